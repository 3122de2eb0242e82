"""``ceiling_exceeded``: the holdings a ceiling in force covers — at sites inside its zone's version
in force, boundary included, of its category, active units only where it counts active units —
summed for the party, the group's members, each party on its own, or all parties together, are
above its limit."""

import datetime
import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import connection
from django.db.models import QuerySet

from tracker.compliance.breach import CEILING_EXCEEDED, Breach
from tracker.compliance.totals import Tally, zone_notifications, zone_totals_sql
from tracker.models import AppliesTo, Ceiling, Counting, StateParty
from tracker.models.declarations import ACTIVE_STATUSES, COUNTED_STATUSES, holding_in_force_sql
from tracker.models.treaties import TREATY_IN_FORCE
from zones.in_force import VALID
from zones.models import Zone, ZoneVersion

# A ceiling breach lists the sites behind its count when the count rests on at most this many
# lines; beyond that the sites are a question for the holdings API (zone, party, category, date).
EVIDENCE_SITE_LINES = 100


@dataclass(frozen=True)
class CeilingStatus:
    ceiling: int
    treaty: str
    zone: str
    category: str
    applies_to: str
    party: str | None
    counting: str
    limit: int
    counted: int
    headroom: int


def statuses_counted(ceiling: Ceiling) -> tuple[str, ...]:
    """The zone totals' statuses a ceiling counts: storage in a designated permanent storage site
    only where it counts all holdings (CFE Art. II.1(H), X.4)."""
    if ceiling.counting == Counting.ACTIVE:
        return tuple(ACTIVE_STATUSES)
    return tuple(COUNTED_STATUSES)


@dataclass(frozen=True)
class CeilingCount:
    """A ceiling, one holder it limits, the parties whose holdings count for it, and what they hold."""

    ceiling: Ceiling
    holder: str | None
    parties: frozenset[int]
    tally: Tally

    @property
    def counted(self) -> int:
        return self.tally.quantity

    def status(self) -> CeilingStatus:
        c = self.ceiling
        return CeilingStatus(
            ceiling=c.id,
            treaty=c.treaty.name,
            zone=c.zone.code,
            category=c.category.code,
            applies_to=c.applies_to,
            party=self.holder,
            counting=c.counting,
            limit=c.limit,
            counted=self.counted,
            headroom=c.limit - self.counted,
        )


# Every ceiling of %(ceilings)s in force on each day of %(days)s (under a treaty in force then),
# counted per holder from the zone totals: one row per day, ceiling and holder (the party of an
# ``each`` ceiling, else NULL), with the parties whose holdings count for it. Parties "present"
# in a zone hold something there, of any category. A ceiling with no holder that day (a group
# without members, a zone where nobody holds anything) still has its row, counted at 0.
CEILING_COUNTS = f"""
    WITH tallies AS ({zone_totals_sql()}),
    ceilings AS (
        SELECT d.day, c.* FROM unnest(%(days)s::date[]) AS d(day)
        JOIN tracker_ceiling c ON c.id = ANY(%(ceilings)s) AND {VALID.sql("c", "d.day")}
        JOIN tracker_treaty tr ON tr.id = c.treaty_id AND {TREATY_IN_FORCE.sql("tr", "d.day")}
    ),
    present AS (SELECT DISTINCT day, zone_id, party_id FROM tallies),
    holders AS (
        SELECT c.day, c.id AS ceiling_id, NULL::bigint AS holder, c.party_id FROM ceilings c
        WHERE c.applies_to = '{AppliesTo.PARTY}'
        UNION ALL
        SELECT c.day, c.id, NULL, m.stateparty_id FROM ceilings c
        JOIN tracker_partygroup_members m ON m.partygroup_id = c.group_id AND {VALID.sql("m", "c.day")}
        WHERE c.applies_to = '{AppliesTo.GROUP}'
        UNION ALL
        SELECT c.day, c.id, p.party_id, p.party_id FROM ceilings c
        JOIN present p ON p.day = c.day AND p.zone_id = c.zone_id
        WHERE c.applies_to = '{AppliesTo.EACH}'
        UNION ALL
        SELECT c.day, c.id, NULL, p.party_id FROM ceilings c
        JOIN present p ON p.day = c.day AND p.zone_id = c.zone_id
        WHERE c.applies_to = '{AppliesTo.ALL}'
    )
    SELECT c.day, c.id, h.holder, array_remove(array_agg(DISTINCT h.party_id), NULL),
           coalesce(sum(t.quantity), 0), coalesce(sum(t.lines), 0)
    FROM ceilings c
    LEFT JOIN holders h ON h.day = c.day AND h.ceiling_id = c.id
    LEFT JOIN tallies t ON t.day = c.day AND t.zone_id = c.zone_id AND t.party_id = h.party_id
         AND t.category_id = c.category_id
         AND (c.counting = '{Counting.ALL}' OR t.status IN ({", ".join(f"'{s}'" for s in ACTIVE_STATUSES)}))
    GROUP BY c.day, c.id, h.holder
"""


def _counts(
    days: Sequence[datetime.date], ceilings: QuerySet[Ceiling], zone: Zone | None
) -> dict[datetime.date, list[CeilingCount]]:
    """Each of ``ceilings`` (of ``zone`` only, if given) counted per holder on each of ``days`` it is in force."""
    ceilings = ceilings.select_related("treaty", "zone", "category", "party", "group")
    if zone is not None:
        ceilings = ceilings.filter(zone=zone)
    ceilings = list(ceilings.order_by("zone__code", "category_id", "treaty__name", "id"))
    if not ceilings or not days:
        return {}
    counted: dict[tuple[datetime.date, int], list[tuple]] = defaultdict(list)
    with connection.cursor() as cursor:
        cursor.execute(
            CEILING_COUNTS,
            {
                "days": list(days),
                "zones": sorted({c.zone_id for c in ceilings}),
                "ceilings": [c.id for c in ceilings],
            },
        )
        for day, ceiling_id, holder, parties, quantity, lines in cursor:
            counted[day, ceiling_id].append((holder, frozenset(parties), Tally(int(quantity), int(lines))))
    codes = dict(StateParty.objects.values_list("id", "code"))

    result: dict[datetime.date, list[CeilingCount]] = defaultdict(list)
    for day in days:
        for ceiling in ceilings:
            rows = counted.get((day, ceiling.id))
            if rows is None:  # not in force that day
                continue
            if ceiling.applies_to == AppliesTo.EACH:
                held = [row for row in rows if row[0] is not None]
                for holder, parties, tally in sorted(held, key=lambda row: codes[row[0]]):
                    result[day].append(CeilingCount(ceiling, codes[holder], parties, tally))
                continue
            ((_, parties, tally),) = rows
            holder = {
                AppliesTo.PARTY: ceiling.party and ceiling.party.code,
                AppliesTo.GROUP: ceiling.group and ceiling.group.name,
            }
            result[day].append(CeilingCount(ceiling, holder.get(ceiling.applies_to), parties, tally))
    return result


def ceiling_counts(as_of: datetime.date, zone: Zone | None = None) -> list[CeilingCount]:
    """Each ceiling in force on ``as_of`` (of ``zone`` only, if given), counted per holder: the
    party, the group, each party holding something in the zone, or all of them together."""
    return _counts([as_of], Ceiling.objects.in_force(as_of), zone).get(as_of, [])


def ceiling_counts_over(days: Sequence[datetime.date], zone: Zone) -> dict[datetime.date, list[CeilingCount]]:
    """``ceiling_counts(day, zone)`` for every day of ``days``, in one query over the zone totals."""
    return _counts(days, Ceiling.objects.all(), zone)


def zone_status(zone: Zone, as_of: datetime.date) -> list[CeilingStatus]:
    """Counted, limit and headroom of every ceiling of ``zone`` in force on ``as_of``."""
    return [count.status() for count in ceiling_counts(as_of, zone)]


def counted_sites(counts: list[CeilingCount], as_of: datetime.date) -> list[list[str]]:
    """For each of ``counts``, the codes of the sites whose holdings make it up; in one query."""
    wanted = [
        {
            "n": n,
            "zone": count.ceiling.zone_id,
            "category": count.ceiling.category_id,
            "parties": sorted(count.parties),
            "statuses": list(statuses_counted(count.ceiling)),
        }
        for n, count in enumerate(counts)
    ]
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT b.n, array_agg(DISTINCT s.code ORDER BY s.code)
            FROM jsonb_to_recordset(%(wanted)s::jsonb)
                 AS b(n int, zone bigint, category bigint, parties bigint[], statuses text[])
            JOIN zones_zoneversion v ON v.zone_id = b.zone AND {VALID.sql("v")}
            JOIN tracker_zoneset z ON z.versions @> ARRAY[v.id]
            JOIN tracker_sitezones m ON m.zone_set_id = z.id AND m.party_id = ANY(b.parties)
            JOIN tracker_holding h ON h.site_id = m.site_id AND h.category_id = b.category
                 AND h.status = ANY(b.statuses)
            JOIN tracker_site s ON s.id = m.site_id
            WHERE {holding_in_force_sql("h")}
            GROUP BY b.n
            """,
            {"wanted": json.dumps(wanted), "day": as_of},
        )
        found = dict(cursor.fetchall())
    return [found.get(n, []) for n in range(len(counts))]


def ceiling_breaches(as_of: datetime.date, counts: list[CeilingCount] | None = None) -> list[Breach]:
    """Every ceiling in force on ``as_of`` counted above its limit; ``counts`` when already at hand."""
    counts = ceiling_counts(as_of) if counts is None else counts
    over = [count for count in counts if count.counted > count.ceiling.limit]
    if not over:
        return []
    zone_ids = sorted({count.ceiling.zone_id for count in over})
    geometry = dict(ZoneVersion.objects.in_force(as_of).filter(zone__in=zone_ids).values_list("zone_id", "geom"))
    notifications = zone_notifications(as_of, zone_ids)
    listed = [n for n, count in enumerate(over) if count.tally.lines <= EVIDENCE_SITE_LINES]
    sites = dict(zip(listed, counted_sites([over[n] for n in listed], as_of)))
    breaches = []
    for n, count in enumerate(over):
        ceiling = count.ceiling
        evidence = {
            "ceiling": ceiling.id,
            "applies_to": ceiling.applies_to,
            "counting": ceiling.counting,
            "lines": count.tally.lines,
            "notifications": sorted(
                set().union(
                    *(
                        notifications[ceiling.zone_id, party, ceiling.category_id, status]
                        for party in count.parties
                        for status in statuses_counted(ceiling)
                    )
                )
            ),
        }
        if n in sites:
            evidence["sites"] = sites[n]
        breaches.append(
            Breach(
                kind=CEILING_EXCEEDED,
                as_of=as_of,
                zone=ceiling.zone.code,
                party=count.holder,
                category=ceiling.category.code,
                limit=ceiling.limit,
                counted=count.counted,
                excess=count.counted - ceiling.limit,
                treaty=ceiling.treaty.name,
                evidence=evidence,
                geometry=geometry[ceiling.zone_id],
            )
        )
    return breaches
