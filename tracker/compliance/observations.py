"""``observation_discrepancy``: in the window before the date, the highest total a party was seen
with in a zone on a single day exceeds what it declared in that zone as of that day.

Which observations count (docs/observations.md gives the rule with an example):

- attributed to a party, observed in the window (the date and the 29 days before it), their point
  inside the zone's version in force on the day observed, boundary included;
- of a confidence at least the floor of the treaties whose ceilings are checked in the zone that day
  (``Treaty.observation_confidence_floor``, the highest if several; none: no floor). Imagery is an
  indicator to be clarified, not proof (CFE Art. XV.1: national technical means are "at its
  disposal" to assure verification): what an analyst read with less confidence than the parties
  agreed on is no finding;
- seen twice on one day: observations of the same party and category on the same day whose
  footprints overlap (share ground, not only a border), or, when either has no footprint, whose
  points lie within each other's accuracy circles (on the ellipsoid), are the same equipment: a
  connected group of them counts once, with its largest count.

The peak in a zone is the highest, over the days of the window, of the sum over that day's groups.

Three queries, however many observations and breaches: the observations per zone, party,
category and day with those they overlap; the observations themselves; what was declared on each
busiest day.
"""

import datetime
import json
from collections import defaultdict

from django.contrib.gis.geos import MultiPoint
from django.db import connection

from tracker.compliance.breach import OBSERVATION_DISCREPANCY, Breach
from tracker.dates import shifted
from tracker.models import Observation
from tracker.models.declarations import holding_in_force_sql
from tracker.models.treaties import TREATY_IN_FORCE
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


def groups_seen_once(ids: list[int], overlaps: dict[int, list[int]]) -> list[list[int]]:
    """``ids`` split into connected groups: two observations in one group when a chain of overlaps joins them."""
    parent = {oid: oid for oid in ids}

    def root(oid: int) -> int:
        while parent[oid] != oid:
            parent[oid] = parent[parent[oid]]
            oid = parent[oid]
        return oid

    for oid in ids:
        for other in overlaps.get(oid, []):
            if other in parent:
                parent[root(other)] = root(oid)
    groups: dict[int, list[int]] = defaultdict(list)
    for oid in ids:
        groups[root(oid)].append(oid)
    return list(groups.values())


def peak_of_day(seen: list[Observation], overlaps: dict[int, list[int]]) -> tuple[int, list[list[Observation]]]:
    """What one day's observations count for: each group seen once, with its largest count; and the groups."""
    by_id = {o.id: o for o in seen}
    groups = [[by_id[oid] for oid in group] for group in groups_seen_once(list(by_id), overlaps)]
    return sum(max(o.count for o in group) for group in groups), groups


def observation_breaches(as_of: datetime.date, window_days: int = OBSERVATION_WINDOW_DAYS) -> list[Breach]:
    """A party seen in a zone, on one day of the window, with more than it declared there that day."""
    start = shifted(as_of, -(window_days - 1))
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            WITH seen AS (
                SELECT v.zone_id, o.id, o.party_id, o.category_id, o.observed_on, o.reference,
                       o.location, o.footprint, o.accuracy_m
                FROM tracker_observation o
                JOIN zones_zoneversion v ON ST_Intersects(v.geom, o.location)
                WHERE o.party_id IS NOT NULL AND o.observed_on BETWEEN %(start)s AND %(day)s
                  AND {VALID.sql("v", "o.observed_on")}
                  AND o.confidence >= coalesce((
                      SELECT max(t.observation_confidence_floor)
                      FROM tracker_ceiling c JOIN tracker_treaty t ON t.id = c.treaty_id
                      WHERE c.zone_id = v.zone_id AND {VALID.sql("c", "o.observed_on")}
                        AND {TREATY_IN_FORCE.sql("t", "o.observed_on")}
                  ), 0)
            )
            SELECT a.zone_id, a.party_id, a.category_id, a.observed_on,
                   array_agg(a.id ORDER BY a.reference),
                   array_agg(coalesce((
                       SELECT array_to_string(array_agg(b.id), ',') FROM seen b
                       WHERE b.zone_id = a.zone_id AND b.party_id = a.party_id AND b.category_id = a.category_id
                         AND b.observed_on = a.observed_on AND b.id <> a.id
                         AND CASE WHEN a.footprint IS NOT NULL AND b.footprint IS NOT NULL
                                  THEN ST_Relate(a.footprint, b.footprint, 'T********')
                                  ELSE ST_DWithin(a.location::geography, b.location::geography,
                                                  least(a.accuracy_m, b.accuracy_m))
                             END
                   ), '') ORDER BY a.reference)
            FROM seen a
            GROUP BY 1, 2, 3, 4
            """,
            {"start": start, "day": as_of},
        )
        rows = cursor.fetchall()
    if not rows:
        return []
    observations = Observation.objects.select_related("party", "category").in_bulk(
        [oid for *_, ids, _ in rows for oid in ids]
    )
    # Per zone, party and category: the single day with the highest total seen (latest on a tie).
    busiest: dict[tuple, tuple[int, datetime.date, list[Observation], list[list[Observation]]]] = {}
    for zone_id, party_id, category_id, day, ids, linked in rows:
        seen = [observations[oid] for oid in ids]
        overlaps = {oid: [int(other) for other in others.split(",") if other] for oid, others in zip(ids, linked)}
        total, groups = peak_of_day(seen, overlaps)
        key = (zone_id, party_id, category_id)
        if key not in busiest or (total, day) > busiest[key][:2]:
            busiest[key] = (total, day, seen, groups)

    keys = list(busiest)
    declared = _declared_on([(*key, busiest[key][1]) for key in keys])
    breaches = []
    for key, (expected, sites, references, zone) in zip(keys, declared):
        total, day, seen, groups = busiest[key]
        if total <= expected:
            continue
        first = seen[0]
        evidence = {
            "date": day.isoformat(),
            "observations": [o.reference for o in seen],
            "sites": sorted(sites),
            "notifications": sorted(references),
        }
        seen_twice = sorted(sorted(o.reference for o in group) for group in groups if len(group) > 1)
        if seen_twice:
            evidence["counted_once"] = seen_twice
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
                evidence=evidence,
                geometry=MultiPoint([o.location for o in seen], srid=4326),
            )
        )
    return breaches
