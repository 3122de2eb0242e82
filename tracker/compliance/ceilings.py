"""``ceiling_exceeded`` and ``temporary_allowance_exceeded``: the holdings a ceiling in force covers —
at sites inside its zone's version in force, boundary included, of its category, active units only
where it counts active units — summed for the party, the group's members, each party on its own, or
all parties together, are above what it permits.

What a ceiling covers:

- Types: a ceiling naming a subtype (CFE Art. II.1(D), (F); Art. IV.1(B): "no more than 1,500 shall be
  heavy armament combat vehicles") or a list of types counts only lines naming a type of that subtype
  or on that list (either, when it names both); a line naming only its category counts for neither.
  A ceiling naming neither counts its whole category, whatever type a line names.
- Storage: equipment in a designated permanent storage site counts within overall ceilings, not
  within those of active units (CFE Art. II.1(H)); storage anywhere else counts as active
  (CFE Art. X.4, ``storage``).
- Temporary deployments: lines in temporary deployment count as active holdings, but "notwithstanding
  the numerical limitations" a ceiling's ``temporary_allowance`` lets them take the count above its
  limit (CFE Art. V.1(B): "a State Party or States Parties may on a temporary basis deploy ...
  additional aggregate numbers in active units ... not to exceed: (1) 459 battle tanks; (2) 723
  armoured combat vehicles; and (3) 420 pieces of artillery"; V.1(C): "no more than one-third ... to any
  State Party", 153 / 241 / 140). A ceiling permits its limit plus its temporary deployments, up to the
  allowance. Above that, it is ``ceiling_exceeded`` when the holdings other than temporary deployments
  alone are above the limit, else ``temporary_allowance_exceeded`` (shown against limit + allowance).
"""

import datetime
import functools
import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from django.db import connection
from django.db.models import QuerySet

from tracker.compliance.breach import CEILING_EXCEEDED, TEMPORARY_ALLOWANCE_EXCEEDED, Breach
from tracker.compliance.storage import designated_sql
from tracker.compliance.totals import Tally, zone_notifications
from tracker.models import AppliesTo, Ceiling, Counting, GroupMembership, StateParty
from tracker.models.declarations import ACTIVE_STATUSES, COUNTED_STATUSES, HoldingStatus, holding_in_force_sql
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
    """A ceiling, one holder it limits, the parties whose holdings count for it, and what they hold:
    in all, and in temporary deployment. ``types``: the equipment types the ceiling counts, None
    for its whole category."""

    ceiling: Ceiling
    holder: str | None
    parties: frozenset[int]
    tally: Tally
    temporary: int = 0
    types: frozenset[int] | None = None

    @property
    def counted(self) -> int:
        return self.tally.quantity

    @property
    def permitted(self) -> int:
        """The limit, plus the temporary deployments up to the ceiling's allowance (CFE Art. V.1(B)-(C))."""
        return self.ceiling.limit + min(self.temporary, self.ceiling.temporary_allowance)

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


def _listed_types_sql(ceiling: str) -> str:
    return f"SELECT ct.equipmenttype_id FROM tracker_ceiling_types ct WHERE ct.ceiling_id = {ceiling}.id"


def counted_types_sql(ceiling: str) -> str:
    """SQL: the ids of the equipment types that ceiling ``ceiling`` (a tracker_ceiling alias) counts, those
    of its subtype and those it lists; NULL when it names neither and counts its whole category."""
    return f"""
        CASE WHEN {ceiling}.subtype <> '' OR EXISTS ({_listed_types_sql(ceiling)}) THEN ARRAY(
            SELECT et.id FROM tracker_equipmenttype et
            WHERE ({ceiling}.subtype <> '' AND et.subtype = {ceiling}.subtype) OR et.id IN ({_listed_types_sql(ceiling)})
        ) END"""


# What each ceiling of %(ceilings)s counts, per zone version and party, as it changes from day to day (the
# first column NULL), and the lines each party holds there of any category (the first column 0: a party is
# present in a zone on a day it holds a line there, which is what a ceiling applying to each party, or to
# all together, is counted for). The zone totals are kept as changes by day, so summing them up to a day
# gives that day's holdings. Every change before %(first)s is folded into that day, so the rows are the
# holdings on the first day asked plus the changes after it: a walk over the days asked (``_counts``) adds
# them up without ever making a row per day and key, which a three-year history of daily changes would
# make by the hundred thousand. Each zone total is matched to its ceilings (a few hundred, hashed) before
# anything is summed, so the totals are summed once, by four integers, rather than first by their own
# seven columns and then again per ceiling.
# The zone totals both parts of CEILING_CHANGES read: of %(zones)s, up to %(last)s, of %(parties)s if given.
_TOTALS_ASKED = """v.zone_id = ANY(%(zones)s) AND t.day <= %(last)s
      AND (%(parties)s::bigint[] IS NULL OR t.party_id = ANY(%(parties)s))"""
CEILING_CHANGES = f"""
    WITH ceilings AS MATERIALIZED (
        SELECT c.id, c.zone_id, c.category_id, c.counting, {counted_types_sql("c")} AS types
        FROM tracker_ceiling c WHERE c.id = ANY(%(ceilings)s)
    )
    SELECT c.id, t.zone_version_id, t.party_id, greatest(t.day, %(first)s) AS day, sum(t.quantity)::bigint,
           sum(t.lines)::bigint,
           coalesce(sum(t.quantity) FILTER (WHERE t.status = '{HoldingStatus.TEMPORARY}'), 0)::bigint
    FROM tracker_zonetotal t
    JOIN zones_zoneversion v ON v.id = t.zone_version_id
    JOIN ceilings c ON c.zone_id = v.zone_id AND c.category_id = t.category_id
         AND (c.counting = '{Counting.ALL}' OR t.status IN ({", ".join(f"'{s}'" for s in ACTIVE_STATUSES)}))
         AND (c.types IS NULL OR t.equipment_type_id = ANY(c.types))
    WHERE {_TOTALS_ASKED}
    GROUP BY 1, 2, 3, 4
    UNION ALL
    SELECT NULL, t.zone_version_id, t.party_id, greatest(t.day, %(first)s), 0, sum(t.lines)::bigint, 0
    FROM tracker_zonetotal t JOIN zones_zoneversion v ON v.id = t.zone_version_id
    WHERE {_TOTALS_ASKED}
    GROUP BY 2, 3, 4
    ORDER BY 4
"""

COUNTED_TYPES = f"SELECT c.id, {counted_types_sql('c')} FROM tracker_ceiling c WHERE c.id = ANY(%(ceilings)s)"


def ceiling_changes(
    days: Sequence[datetime.date], ceilings: list[Ceiling], parties: list[int] | None = None
) -> list[tuple]:
    """The rows of ``CEILING_CHANGES`` for ``ceilings`` over ``days`` (sorted), of ``parties`` only if given."""
    parameters = {
        "first": days[0],
        "last": days[-1],
        "ceilings": [c.id for c in ceilings],
        "zones": sorted({c.zone_id for c in ceilings}),
        "parties": parties,
    }
    with connection.cursor() as cursor:
        cursor.execute(CEILING_CHANGES, parameters)
        return cursor.fetchall()


def counted_types(ceilings: list[Ceiling]) -> dict[int, frozenset[int] | None]:
    """The equipment types each of ``ceilings`` counts (``counted_types_sql``), None for its whole category."""
    with connection.cursor() as cursor:
        cursor.execute(COUNTED_TYPES, {"ceilings": [c.id for c in ceilings]})
        return {ceiling: None if listed is None else frozenset(listed) for ceiling, listed in cursor}


def _count(
    ceiling: Ceiling,
    held: dict[int, tuple[int, int, int]],
    types: frozenset[int] | None,
    holder: str | None,
    parties: Iterable[int],
) -> CeilingCount:
    """``ceiling`` counted for ``holder``: the sums of what ``parties`` hold (``held``: quantity, lines and
    quantity in temporary deployment, per party)."""
    parties = frozenset(parties)
    quantity = lines = temporary = 0
    for party in parties:
        q, n, t = held.get(party, (0, 0, 0))
        quantity, lines, temporary = quantity + q, lines + n, temporary + t
    return CeilingCount(ceiling, holder, parties, Tally(quantity, lines), temporary, types)


def _kept(
    kept: dict,
    ceiling: Ceiling,
    version: int | None,
    held: dict[int, tuple[int, int, int]],
    types: frozenset[int] | None,
    holder: str | None,
    parties: tuple[int, ...],
) -> CeilingCount:
    """``_count``, or the count kept from an earlier day while what ``parties`` hold in ``version`` (``held``)
    is what it was then."""
    state = (version, parties, tuple(map(held.get, parties)))
    previous = kept.get((ceiling.id, holder))
    if previous is None or previous[0] != state:
        previous = kept[ceiling.id, holder] = (state, _count(ceiling, held, types, holder, parties))
    return previous[1]


def _counts(
    days: Sequence[datetime.date],
    ceilings: QuerySet[Ceiling],
    zone: Zone | None,
    read_changes: Callable[[Sequence[datetime.date], list[Ceiling]], list[tuple]] = ceiling_changes,
) -> dict[datetime.date, list[CeilingCount]]:
    """Each of ``ceilings`` (of ``zone`` only, if given) counted per holder on each of ``days`` it is in force
    (under a treaty in force): the party, the group's members that day, each party present in the zone, or
    all present together. A ceiling with no holder that day (a group without members, a zone where nobody
    holds anything) is counted at 0, except one applying to each party, which then counts no one.
    ``read_changes``: where the rows of the zone totals come from, as ``ceiling_changes`` gives them."""
    ceilings = ceilings.select_related("treaty", "zone", "category", "party", "group")
    if zone is not None:
        ceilings = ceilings.filter(zone=zone)
    ceilings = list(ceilings.order_by("zone__code", "category_id", "treaty__name", "id"))
    if not ceilings or not days:
        return {}
    days = sorted(set(days))
    changes, types = read_changes(days, ceilings), counted_types(ceilings)
    versions = defaultdict(list)
    for version in ZoneVersion.objects.filter(zone__in={c.zone_id for c in ceilings}).only(
        "id", "zone_id", "valid_from", "valid_to"
    ):
        versions[version.zone_id].append(version)
    members = defaultdict(list)
    for membership in GroupMembership.objects.filter(partygroup__in={c.group_id for c in ceilings if c.group_id}):
        members[membership.partygroup_id].append(membership)
    codes = dict(StateParty.objects.values_list("id", "code"))

    # Running sums: what each ceiling counts per zone version and party, and each party's lines per version.
    # With them, how many changes were applied so far per ceiling and version, and how many times a party came
    # to a version or left it: a ceiling's counts are kept whole while neither moved, nor its version or group,
    # and a holder's count while its parties hold what they held (``_kept``): a history of daily changes
    # mostly repeats itself.
    holdings: dict[tuple[int, int], dict[int, tuple[int, int, int]]] = defaultdict(dict)
    lines: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    moved: dict[tuple[int | None, int], int] = defaultdict(int)
    kept: dict[tuple, tuple[tuple, CeilingCount]] = {}
    segments: dict[int, tuple[tuple, list[CeilingCount]]] = {}
    applied = 0
    result: dict[datetime.date, list[CeilingCount]] = defaultdict(list)
    for day in days:
        while applied < len(changes) and changes[applied][3] <= day:
            ceiling_id, version_id, party_id, _, quantity, line_count, temporary = changes[applied]
            if ceiling_id is None:
                was_present = lines[version_id][party_id] > 0
                lines[version_id][party_id] += line_count
                if (lines[version_id][party_id] > 0) != was_present:
                    moved[None, version_id] += 1
            else:
                q, n, t = holdings[ceiling_id, version_id].get(party_id, (0, 0, 0))
                holdings[ceiling_id, version_id][party_id] = (q + quantity, n + line_count, t + temporary)
                moved[ceiling_id, version_id] += 1
            applied += 1
        present: dict[int | None, tuple[int, ...]] = {}
        for ceiling in ceilings:
            if not (VALID.holds(ceiling, day) and TREATY_IN_FORCE.holds(ceiling.treaty, day)):
                continue
            version = next((v.id for v in versions[ceiling.zone_id] if VALID.holds(v, day)), None)
            group = ()
            if ceiling.applies_to == AppliesTo.GROUP:
                group = tuple(m.stateparty_id for m in members[ceiling.group_id] if VALID.holds(m, day))
            state = (version, group, moved.get((ceiling.id, version), 0), moved.get((None, version), 0))
            segment = segments.get(ceiling.id)
            if segment is None or segment[0] != state:
                held = holdings.get((ceiling.id, version), {})
                count = functools.partial(_kept, kept, ceiling, version, held, types[ceiling.id])
                if version not in present:
                    present[version] = tuple(
                        sorted((p for p, n in lines.get(version, {}).items() if n > 0), key=codes.__getitem__)
                    )
                there = present[version]
                if ceiling.applies_to == AppliesTo.EACH:
                    counted = [count(codes[party], (party,)) for party in there]
                elif ceiling.applies_to == AppliesTo.PARTY:
                    counted = [count(ceiling.party and ceiling.party.code, (ceiling.party_id,))]
                elif ceiling.applies_to == AppliesTo.GROUP:
                    counted = [count(ceiling.group and ceiling.group.name, group)]
                else:
                    counted = [count(None, there)]
                segment = segments[ceiling.id] = (state, counted)
            result[day].extend(segment[1])
    return result


def ceiling_counts(as_of: datetime.date, zone: Zone | None = None) -> list[CeilingCount]:
    """Each ceiling in force on ``as_of`` (of ``zone`` only, if given), counted per holder: the
    party, the group, each party holding something in the zone, or all of them together."""
    return _counts([as_of], Ceiling.objects.in_force(as_of), zone).get(as_of, [])


def ceiling_counts_by_zone(
    as_of: datetime.date, zones: Sequence[int], read_changes: Callable = ceiling_changes
) -> dict[int, list[CeilingCount]]:
    """``ceiling_counts(as_of, zone)`` for each of ``zones`` (ids), in one query over the zone totals, or from the
    rows ``read_changes`` gives as ``ceiling_changes`` would."""
    found: dict[int, list[CeilingCount]] = {zone: [] for zone in zones}
    ceilings = Ceiling.objects.in_force(as_of).filter(zone__in=zones)
    for count in _counts([as_of], ceilings, None, read_changes).get(as_of, []):
        found[count.ceiling.zone_id].append(count)
    return found


def ceiling_counts_over(days: Sequence[datetime.date], zone: Zone) -> dict[datetime.date, list[CeilingCount]]:
    """``ceiling_counts(day, zone)`` for every day of ``days``, in one query over the zone totals."""
    return _counts(days, Ceiling.objects.all(), zone)


def zone_status(zone: Zone, as_of: datetime.date) -> list[CeilingStatus]:
    """Counted, limit and headroom of every ceiling of ``zone`` in force on ``as_of``."""
    return [count.status() for count in ceiling_counts(as_of, zone)]


def counted_sites(counts: list[CeilingCount], as_of: datetime.date) -> list[list[str]]:
    """For each of ``counts``, the codes of the sites whose holdings make it up, by the rules the
    zone totals count with (a storage line counts as active while its site is no designated
    permanent storage site); in one query."""
    wanted = [
        {
            "n": n,
            "zone": count.ceiling.zone_id,
            "category": count.ceiling.category_id,
            "parties": sorted(count.parties),
            "active": count.ceiling.counting == Counting.ACTIVE,
            "types": None if count.types is None else sorted(count.types),
        }
        for n, count in enumerate(counts)
    ]
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT b.n, array_agg(DISTINCT s.code ORDER BY s.code)
            FROM jsonb_to_recordset(%(wanted)s::jsonb)
                 AS b(n int, zone bigint, category bigint, parties bigint[], active boolean, types bigint[])
            JOIN zones_zoneversion v ON v.zone_id = b.zone AND {VALID.sql("v")}
            JOIN tracker_zoneset z ON z.versions @> ARRAY[v.id]
            JOIN tracker_sitezones m ON m.zone_set_id = z.id AND m.party_id = ANY(b.parties)
            JOIN tracker_holding h ON h.site_id = m.site_id AND h.category_id = b.category
                 AND (b.types IS NULL OR h.equipment_type_id = ANY(b.types))
            JOIN tracker_site s ON s.id = m.site_id
            WHERE {holding_in_force_sql("h")}
              AND NOT (b.active AND h.status = '{HoldingStatus.STORAGE}' AND {designated_sql("s")})
            GROUP BY b.n
            """,
            {"wanted": json.dumps(wanted), "day": as_of},
        )
        found = dict(cursor.fetchall())
    return [found.get(n, []) for n in range(len(counts))]


# (zone id, party id, category id, status) -> the references of the notifications behind each type's lines
NotificationsByType = dict[tuple[int, int, int, str], dict[int | None, set[str]]]


def _by_type(as_of: datetime.date, zone_ids: list[int]) -> NotificationsByType:
    grouped: NotificationsByType = defaultdict(dict)
    for (zone, party, category, status, equipment_type), references in zone_notifications(as_of, zone_ids).items():
        grouped[zone, party, category, status][equipment_type] = references
    return grouped


def _notifications_of(count: CeilingCount, notifications: NotificationsByType, statuses: Sequence[str]) -> list[str]:
    """The references of the notifications behind ``count``'s lines of ``statuses``."""
    c = count.ceiling
    found: set[str] = set()
    for party in count.parties:
        for status in statuses:
            for equipment_type, references in notifications.get((c.zone_id, party, c.category_id, status), {}).items():
                if count.types is None or equipment_type in count.types:
                    found |= references
    return sorted(found)


def ceiling_breaches(as_of: datetime.date, counts: list[CeilingCount] | None = None) -> list[Breach]:
    """Every ceiling in force on ``as_of`` counted above what it permits; ``counts`` when already at hand."""
    counts = ceiling_counts(as_of) if counts is None else counts
    over = [count for count in counts if count.counted > count.permitted]
    if not over:
        return []
    zone_ids = sorted({count.ceiling.zone_id for count in over})
    geometry = dict(ZoneVersion.objects.in_force(as_of).filter(zone__in=zone_ids).values_list("zone_id", "geom"))
    notifications = _by_type(as_of, zone_ids)
    # Above the limit without the temporary deployments; else only by deploying beyond the allowance.
    exceeded = [count.counted - count.temporary > count.ceiling.limit for count in over]
    listed = [n for n, count in enumerate(over) if exceeded[n] and count.tally.lines <= EVIDENCE_SITE_LINES]
    sites = dict(zip(listed, counted_sites([over[n] for n in listed], as_of)))
    breaches = []
    for n, count in enumerate(over):
        ceiling = count.ceiling
        if exceeded[n]:
            kind, limit = CEILING_EXCEEDED, ceiling.limit
            evidence = {
                "ceiling": ceiling.id,
                "applies_to": ceiling.applies_to,
                "counting": ceiling.counting,
                "lines": count.tally.lines,
                "temporary": count.temporary,
                "allowance": ceiling.temporary_allowance,
                "notifications": _notifications_of(count, notifications, statuses_counted(ceiling)),
            }
            if n in sites:
                evidence["sites"] = sites[n]
        else:
            kind, limit = TEMPORARY_ALLOWANCE_EXCEEDED, ceiling.limit + ceiling.temporary_allowance
            evidence = {
                "ceiling": ceiling.id,
                "temporary": count.temporary,
                "allowance": ceiling.temporary_allowance,
                "notifications": _notifications_of(count, notifications, [HoldingStatus.TEMPORARY]),
            }
        breaches.append(
            Breach(
                kind=kind,
                as_of=as_of,
                zone=ceiling.zone.code,
                party=count.holder,
                category=ceiling.category.code,
                limit=limit,
                counted=count.counted,
                excess=count.counted - limit,
                treaty=ceiling.treaty.name,
                evidence=evidence,
                geometry=geometry[ceiling.zone_id],
            )
        )
    return breaches
