"""``storage_outside_designated_site``: equipment a party declares in storage at a site that is not a
designated permanent storage site that day.

CFE Art. II.1(H): a designated permanent storage site is "a place with a clearly defined physical
boundary containing conventional armaments and equipment limited by the Treaty, which are counted
within overall ceilings but which are not subject to limitations on conventional armaments and
equipment limited by the Treaty in active units". CFE Art. X.4: "Conventional armaments and equipment
limited by the Treaty in storage other than in designated permanent storage sites shall be counted as
conventional armaments and equipment limited by the Treaty in active units." And CFE Art. IV.1:
"Battle tanks, armoured combat vehicles and artillery not in active units shall be placed in
designated permanent storage sites".

The zone totals already count such storage as active (status 'undesignated',
``tracker/sql/zone_totals.sql``), so every active-only ceiling includes it; this finding names each
site where it happens (per party and category), with the objects of verification and the
notifications that declare it. The zone totals say first which parties store what outside
designated sites in which zones, so only the sites that can hold it are looked at, never every
holding. A site inside no zone in force lies outside every zone the agreements limit: no finding.
"""

import datetime

from django.contrib.gis.geos import GEOSGeometry
from django.db import connection

from tracker.compliance.breach import STORAGE_OUTSIDE_DESIGNATED_SITE, Breach
from tracker.models.declarations import UNDESIGNATED_STORAGE, HoldingStatus, holding_in_force_sql
from zones.in_force import VALID


def designated_sql(site: str, day: str = "%(day)s") -> str:
    """``Site.is_storage_site(day)`` as a SQL condition on table ``site``; ``day`` a parameter or a column."""
    return (
        f"({site}.storage_from IS NOT NULL AND {site}.storage_from <= {day}"
        f" AND ({site}.storage_to IS NULL OR {day} <= {site}.storage_to))"
    )


# Per party and category, the zone versions in force where the zone totals count storage outside a
# designated site; then the zone sets lying only in such versions (a site storing outside one lies
# in no other), their sites of that party, and those sites' storage lines in force. The innermost
# zone is worked out once per zone set, not per finding: areas of large polygons are not free.
STORAGE_OUTSIDE = f"""
    WITH undesignated AS (
        SELECT t.party_id, t.category_id, array_agg(t.zone_version_id) AS versions
        FROM (
            SELECT t.zone_version_id, t.party_id, t.category_id
            FROM tracker_zonetotal t JOIN zones_zoneversion v ON v.id = t.zone_version_id AND {VALID.sql("v")}
            WHERE t.status = '{UNDESIGNATED_STORAGE}' AND t.day <= %(day)s
            GROUP BY 1, 2, 3
            HAVING sum(t.lines) > 0
        ) t
        GROUP BY 1, 2
    ),
    places AS (
        SELECT u.party_id, u.category_id, z.id AS zone_set_id, z.versions
        FROM undesignated u JOIN tracker_zoneset z ON z.versions && u.versions
        WHERE NOT EXISTS (
            SELECT FROM zones_zoneversion v
            WHERE v.id = ANY(z.versions) AND {VALID.sql("v")} AND v.id <> ALL(u.versions)
        )
    ),
    stored AS (
        SELECT p.party_id, m.site_id, p.category_id, p.versions, sum(h.quantity) AS quantity,
               array_agg(DISTINCT o.record_number ORDER BY o.record_number) AS objects,
               array_agg(DISTINCT n.reference ORDER BY n.reference) AS notifications
        FROM places p
        JOIN tracker_sitezones m ON m.zone_set_id = p.zone_set_id AND m.party_id = p.party_id
        JOIN tracker_site s ON s.id = m.site_id AND NOT {designated_sql("s")}
        JOIN tracker_holding h ON h.site_id = m.site_id AND h.category_id = p.category_id
             AND h.status = '{HoldingStatus.STORAGE}' AND {holding_in_force_sql("h")}
        JOIN tracker_objectofverification o ON o.id = h.object_of_verification_id
        JOIN tracker_notification n ON n.id = h.notification_id
        GROUP BY 1, 2, 3, 4
    ),
    innermost AS (
        SELECT DISTINCT ON (sets.versions) sets.versions, z.code
        FROM (SELECT DISTINCT versions FROM stored) sets
        JOIN zones_zoneversion v ON v.id = ANY(sets.versions) AND {VALID.sql("v")}
        JOIN zones_zone z ON z.id = v.zone_id
        ORDER BY sets.versions, ST_Area(v.geom), z.code
    )
    SELECT party.code, s.code, s.location, category.code, stored.quantity, stored.objects, stored.notifications,
           innermost.code
    FROM stored
    JOIN innermost ON innermost.versions = stored.versions
    JOIN tracker_site s ON s.id = stored.site_id
    JOIN tracker_stateparty party ON party.id = stored.party_id
    JOIN tracker_equipmentcategory category ON category.id = stored.category_id
"""


def storage_outside_designated_sites(as_of: datetime.date) -> list[Breach]:
    """Every site where a party holds equipment in storage on ``as_of`` without the site being a
    designated permanent storage site that day: one finding per party, site and category."""
    with connection.cursor() as cursor:
        cursor.execute(STORAGE_OUTSIDE, {"day": as_of})
        rows = cursor.fetchall()
    return [
        Breach(
            kind=STORAGE_OUTSIDE_DESIGNATED_SITE,
            as_of=as_of,
            zone=zone,
            party=party,
            category=category,
            limit=None,
            counted=int(quantity),
            excess=None,
            treaty=None,
            evidence={"site": site, "objects_of_verification": objects, "notifications": notifications},
            geometry=GEOSGeometry(location),
        )
        for party, site, location, category, quantity, objects, notifications, zone in rows
    ]
