"""``within_withdrawal_distance``: equipment of a kind a distance rule names, held at a site within
the rule's distance of its line (of contact), on either side.

The model is the Minsk II Package of Measures (UN Security Council resolution 2202 (2015),
Annex I §2): heavy weapons withdrawn by equal distances from the line of contact, farther the
heavier the system — a security zone at least 50 km wide for artillery of 100 mm and more, 70 km
for multiple launch rocket systems, 140 km for the heaviest of them, so 25, 35 and 70 km from the
line on each side. A rule names a category and, narrower, a subtype, a list of types or a minimum
calibre; a line that names no type matches only a rule that names nothing narrower than its
category. Distances are measured on the WGS84 ellipsoid (PostGIS geography), and a site at
exactly the rule's distance is within it.

Every rule in force is checked in one query, the sites found through their spatial index.
"""

import datetime

from django.contrib.gis.geos import GEOSGeometry, MultiPoint
from django.db import connection

from tracker.compliance.breach import WITHIN_WITHDRAWAL_DISTANCE, Breach, innermost_zone_sql
from tracker.models.declarations import holding_in_force_sql
from tracker.models.treaties import TREATY_IN_FORCE
from zones.in_force import VALID

# The ellipsoid's distance and ST_DWithin's test of it differ by up to about 1e-8 m: a site at exactly
# the rule's distance is compared within half a millimetre, so that it is within, as the rule says.
TOLERANCE_M = 0.0005

# A degree of latitude is at least 110.57 km, of longitude 111.32 km × cos(latitude): the box
# below, with rounder figures, holds every point within the distance, so the index may narrow.
NEAR = """
    WITH rules AS (
        SELECT r.id, r.category_id, r.subtype, r.min_calibre_mm, r.distance_km, tr.name AS treaty,
               l.code AS line, v.geom,
               ARRAY(SELECT t.equipmenttype_id FROM tracker_distancerule_types t WHERE t.distancerule_id = r.id) AS types,
               r.distance_km / 110.0 AS dlat
        FROM tracker_distancerule r
        JOIN tracker_treaty tr ON tr.id = r.treaty_id AND {treaty_in_force}
        JOIN zones_contactline l ON l.id = r.line_id
        JOIN zones_contactlineversion v ON v.line_id = l.id AND {line_in_force}
        WHERE {rule_in_force}
    ), boxed AS (
        SELECT rules.*, ST_Expand(
            geom,
            distance_km / (111.0 * cos(radians(least(89.0, greatest(abs(ST_YMin(geom)), abs(ST_YMax(geom))) + dlat)))),
            dlat
        ) AS box
        FROM rules
    )
    SELECT r.id, r.treaty, r.line, r.distance_km, c.code, p.code, s.code, ST_AsEWKB(s.location),
           round((ST_Distance(s.location::geography, r.geom::geography) / 1000)::numeric, 3),
           sum(h.quantity), array_agg(DISTINCT o.record_number ORDER BY o.record_number),
           array_agg(DISTINCT n.reference ORDER BY n.reference)
    FROM boxed r
    JOIN tracker_site s ON s.location && r.box
         AND ST_DWithin(s.location::geography, r.geom::geography, r.distance_km * 1000 + {tolerance}, true)
    JOIN tracker_holding h ON h.site_id = s.id AND h.category_id = r.category_id AND {holding_in_force}
    LEFT JOIN tracker_equipmenttype t ON t.id = h.equipment_type_id
    JOIN tracker_objectofverification o ON o.id = h.object_of_verification_id
    JOIN tracker_notification n ON n.id = h.notification_id
    JOIN tracker_equipmentcategory c ON c.id = r.category_id
    JOIN tracker_stateparty p ON p.id = s.party_id
    WHERE (r.subtype = '' OR t.subtype = r.subtype)
      AND (cardinality(r.types) = 0 OR h.equipment_type_id = ANY(r.types))
      AND (r.min_calibre_mm IS NULL OR t.calibre_mm >= r.min_calibre_mm)
    GROUP BY r.id, r.treaty, r.line, r.distance_km, c.code, p.code, s.id, r.geom
    ORDER BY r.id, p.code, s.code
""".format(
    treaty_in_force=TREATY_IN_FORCE.sql("tr"),
    line_in_force=VALID.sql("v"),
    rule_in_force=VALID.sql("r"),
    holding_in_force=holding_in_force_sql("h"),
    tolerance=TOLERANCE_M,
)

# The innermost zone in force holding all of a breach's sites, for each breach: where the finding is.
INNERMOST = f"""
    SELECT b.n, {innermost_zone_sql("ST_GeomFromEWKB(decode(b.sites, 'hex'))", holds="ST_Covers")}
    FROM unnest(%(sites)s::text[]) WITH ORDINALITY AS b(sites, n)
"""


def distance_breaches(as_of: datetime.date) -> list[Breach]:
    """Per distance rule in force on ``as_of`` and party, the holdings it names within its distance of its line."""
    found: dict[tuple[int, str], dict] = {}
    with connection.cursor() as cursor:
        cursor.execute(NEAR, {"day": as_of})
        for rule, treaty, line, distance, category, party, site, point, km, quantity, objects, references in cursor:
            breach = found.setdefault(
                (rule, party),
                {
                    "rule": rule,
                    "treaty": treaty,
                    "line": line,
                    "distance_km": float(distance),
                    "category": category,
                    "party": party,
                    "sites": [],
                    "points": [],
                    "notifications": set(),
                },
            )
            breach["sites"].append({"site": site, "km": float(km), "quantity": int(quantity), "objects": objects})
            breach["points"].append(GEOSGeometry(memoryview(point)))
            breach["notifications"].update(references)
    if not found:
        return []
    places = [MultiPoint(*breach["points"], srid=4326) for breach in found.values()]
    with connection.cursor() as cursor:
        cursor.execute(INNERMOST, {"sites": [place.hexewkb.decode() for place in places], "day": as_of})
        zones = dict(cursor.fetchall())
    breaches = []
    for n, (breach, place) in enumerate(zip(found.values(), places), start=1):
        quantity = sum(site["quantity"] for site in breach["sites"])
        breaches.append(
            Breach(
                kind=WITHIN_WITHDRAWAL_DISTANCE,
                as_of=as_of,
                zone=zones[n],
                party=breach["party"],
                category=breach["category"],
                limit=0,
                counted=quantity,
                excess=quantity,
                treaty=breach["treaty"],
                evidence={
                    "rule": breach["rule"],
                    "line": breach["line"],
                    "distance_km": breach["distance_km"],
                    "sites": breach["sites"],
                    "notifications": sorted(breach["notifications"]),
                },
                geometry=place,
            )
        )
    return breaches
