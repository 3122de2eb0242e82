"""``observation_discrepancy``: in the window before the date, the highest total a party was seen
with in a zone on a single day exceeds what it declared in that zone as of that day.

Three queries, however many observations and breaches: the observations per zone, party,
category and day; the observations themselves; what was declared on each busiest day.
"""

import datetime
import json

from django.contrib.gis.geos import MultiPoint
from django.db import connection

from tracker.compliance.breach import OBSERVATION_DISCREPANCY, Breach
from tracker.dates import shifted
from tracker.models import Observation
from tracker.models.declarations import holding_in_force_sql
from zones.in_force import VALID

OBSERVATION_WINDOW_DAYS = 30


def _declared_on(busiest: list[tuple[int, int, int, datetime.date]]) -> list[tuple[int, list[str], list[str], str]]:
    """For each (zone id, party id, category id, day): what the party had declared of the category that
    day at its sites inside the zone's version in force, the sites, the notifications; and the zone's code."""
    wanted = [
        {"n": n, "zone": zone, "party": party, "category": category, "day": day.isoformat()}
        for n, (zone, party, category, day) in enumerate(busiest)
    ]
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT b.n, z.code, coalesce(sum(h.quantity), 0),
                   coalesce(array_agg(DISTINCT s.code) FILTER (WHERE h.id IS NOT NULL), '{{}}'),
                   coalesce(array_agg(DISTINCT n.reference) FILTER (WHERE h.id IS NOT NULL), '{{}}')
            FROM jsonb_to_recordset(%(wanted)s::jsonb) AS b(n int, zone bigint, party bigint, category bigint, day date)
            JOIN zones_zone z ON z.id = b.zone
            LEFT JOIN zones_zoneversion v ON v.zone_id = b.zone AND {VALID.sql("v", "b.day")}
            LEFT JOIN tracker_zoneset zs ON zs.versions @> ARRAY[v.id]
            LEFT JOIN tracker_sitezones m ON m.zone_set_id = zs.id
            LEFT JOIN tracker_site s ON s.id = m.site_id AND s.party_id = b.party
            LEFT JOIN tracker_holding h ON h.site_id = s.id AND h.category_id = b.category
                 AND {holding_in_force_sql("h", "b.day")}
            LEFT JOIN tracker_notification n ON n.id = h.notification_id
            GROUP BY b.n, z.code
            """,
            {"wanted": json.dumps(wanted)},
        )
        found = {n: (int(quantity), sites, references, code) for n, code, quantity, sites, references in cursor}
    return [found[n] for n in range(len(busiest))]


def observation_breaches(as_of: datetime.date, window_days: int = OBSERVATION_WINDOW_DAYS) -> list[Breach]:
    """A party seen in a zone, on one day of the window, with more than it declared there that day."""
    start = shifted(as_of, -(window_days - 1))
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT v.zone_id, o.party_id, o.category_id, o.observed_on, array_agg(o.id ORDER BY o.reference)
            FROM tracker_observation o
            JOIN zones_zoneversion v ON ST_Intersects(v.geom, o.location)
            WHERE o.party_id IS NOT NULL AND o.observed_on BETWEEN %(start)s AND %(day)s
              AND {VALID.sql("v", "o.observed_on")}
            GROUP BY 1, 2, 3, 4
            """,
            {"start": start, "day": as_of},
        )
        rows = cursor.fetchall()
    if not rows:
        return []
    observations = Observation.objects.select_related("party", "category").in_bulk(
        [oid for *_, ids in rows for oid in ids]
    )
    # Per zone, party and category: the single day with the highest total seen (latest on a tie).
    busiest: dict[tuple, tuple[int, datetime.date, list[Observation]]] = {}
    for zone_id, party_id, category_id, day, ids in rows:
        seen = [observations[oid] for oid in ids]
        total = sum(o.count for o in seen)
        key = (zone_id, party_id, category_id)
        if key not in busiest or (total, day) > busiest[key][:2]:
            busiest[key] = (total, day, seen)

    keys = list(busiest)
    declared = _declared_on([(*key, busiest[key][1]) for key in keys])
    breaches = []
    for key, (expected, sites, references, zone) in zip(keys, declared):
        total, day, seen = busiest[key]
        if total <= expected:
            continue
        first = seen[0]
        breaches.append(
            Breach(
                kind=OBSERVATION_DISCREPANCY,
                as_of=as_of,
                zone=zone,
                party=first.party.code,
                category=first.category.code,
                limit=expected,
                counted=total,
                excess=total - expected,
                treaty=None,
                evidence={
                    "date": day.isoformat(),
                    "observations": [o.reference for o in seen],
                    "sites": sorted(sites),
                    "notifications": sorted(references),
                },
                geometry=MultiPoint([o.location for o in seen], srid=4326),
            )
        )
    return breaches
