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
notifications that declare it. Only the storage lines are read (a partial index holds them), never
every holding. A site inside no zone in force lies outside every zone the agreements limit: no
finding.
"""

import datetime

from django.contrib.gis.geos import GEOSGeometry
from django.db import connection

from tracker.compliance.breach import STORAGE_OUTSIDE_DESIGNATED_SITE, Breach
from tracker.models.declarations import HoldingStatus, holding_in_force_sql
from zones.in_force import VALID


def designated_sql(site: str, day: str = "%(day)s") -> str:
    """``Site.is_storage_site(day)`` as a SQL condition on table ``site``; ``day`` a parameter or a column."""
    return (
        f"({site}.storage_from IS NOT NULL AND {site}.storage_from <= {day}"
        f" AND ({site}.storage_to IS NULL OR {day} <= {site}.storage_to))"
    )


# The sites holding any storage line, read from the partial index ``holding_in_storage`` alone
# (storage lines are a small share of all); those not designated that day; their storage lines in
# force, per party and category; each site's innermost zone in force, worked out once per zone
# set (areas of large polygons are not free). A site in no zone in force has no row.
# Most sites with storage are designated ones, which the planner cannot know: it would expect
# thousands of sites left and read whole tables. OFFSET 0 keeps each lateral step a lookup by key.
STORAGE_OUTSIDE = f"""
    WITH storing AS MATERIALIZED (
        SELECT DISTINCT site_id FROM tracker_holding WHERE status = '{HoldingStatus.STORAGE}'
    ),
    stored AS (
        SELECT s.party_id, s.id AS site_id, s.zone_set_id, line.category_id, sum(line.quantity) AS quantity,
               array_agg(DISTINCT line.record_number ORDER BY line.record_number) AS objects,
               array_agg(DISTINCT line.reference ORDER BY line.reference) AS notifications
        FROM storing
        CROSS JOIN LATERAL (
            SELECT s.id, s.party_id, m.zone_set_id FROM tracker_site s JOIN tracker_sitezones m ON m.site_id = s.id
            WHERE s.id = storing.site_id AND NOT {designated_sql("s")}
              AND (%(party)s::bigint IS NULL OR s.party_id = %(party)s) OFFSET 0
        ) s
        CROSS JOIN LATERAL (
            SELECT h.category_id, h.quantity, o.record_number, n.reference
            FROM tracker_holding h
            JOIN tracker_objectofverification o ON o.id = h.object_of_verification_id
            JOIN tracker_notification n ON n.id = h.notification_id
            WHERE h.site_id = s.id AND h.status = '{HoldingStatus.STORAGE}' AND {holding_in_force_sql("h")} OFFSET 0
        ) line
        GROUP BY 1, 2, 3, 4
    ),
    innermost AS (
        SELECT DISTINCT ON (sets.id) sets.id AS zone_set_id, z.code
        FROM tracker_zoneset sets
        JOIN zones_zoneversion v ON v.id = ANY(sets.versions) AND {VALID.sql("v")}
        JOIN zones_zone z ON z.id = v.zone_id
        WHERE sets.id IN (SELECT zone_set_id FROM stored)
        ORDER BY sets.id, ST_Area(v.geom), z.code
    )
    SELECT party.code, s.code, s.location, category.code, stored.quantity, stored.objects, stored.notifications,
           innermost.code
    FROM stored
    JOIN innermost ON innermost.zone_set_id = stored.zone_set_id
    JOIN tracker_site s ON s.id = stored.site_id
    JOIN tracker_stateparty party ON party.id = stored.party_id
    JOIN tracker_equipmentcategory category ON category.id = stored.category_id
"""


def storage_outside_designated_sites(as_of: datetime.date, party: int | None = None) -> list[Breach]:
    """Every site where a party (``party`` only, if given) holds equipment in storage on ``as_of`` without
    the site being a designated permanent storage site that day: one finding per party, site and category."""
    with connection.cursor() as cursor:
        cursor.execute(STORAGE_OUTSIDE, {"day": as_of, "party": party})
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
