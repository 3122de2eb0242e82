"""The compliance engine: every breach of the agreed limits as of a date, with its evidence.

Four kinds of breach are found:

- ``ceiling_exceeded``: the holdings a ceiling in force covers — at sites inside its zone's
  version in force, boundary included, of its category, active units only where it counts
  active units — summed for the party, the group's members, each party on its own, or all
  parties together, are above its limit.
- ``inspection_discrepancy``: an inspection observed more of a category than the inspected
  party had declared, as of the inspection date, at the site or at all its sites inside the
  specified area. Fewer observed than declared is an ambiguity (``ambiguities``), not a breach.
- ``observation_discrepancy``: in the window before the date, the highest total a party was
  seen with in a zone on a single day exceeds what it declared in that zone as of that day.
- ``late_notification``: a change notification submitted after the deadline of the treaty in
  force on its effective date (the strictest one when several are), an annual exchange
  submitted after 15 December of the year before, or no annual exchange for a year that has
  begun, once the party had started declaring before that year.
"""

import datetime
import json
from collections import defaultdict
from dataclasses import dataclass

from django.contrib.gis.geos import GEOSGeometry, MultiPoint
from django.db import connection
from django.db.models import Min
from django.utils import timezone

from tracker.answers import reused
from tracker.dates import shifted
from tracker.membership import sites_in
from tracker.models import (
    AppliesTo,
    Ceiling,
    Counting,
    Holding,
    HoldingStatus,
    Inspection,
    InspectionKind,
    Notification,
    NotificationKind,
    NotificationStatus,
    Observation,
    Site,
    StateParty,
    Treaty,
)
from zones.models import Zone, ZoneVersion

CEILING_EXCEEDED = "ceiling_exceeded"
INSPECTION_DISCREPANCY = "inspection_discrepancy"
OBSERVATION_DISCREPANCY = "observation_discrepancy"
LATE_NOTIFICATION = "late_notification"
INSPECTION_AMBIGUITY = "inspection_ambiguity"
KINDS = [CEILING_EXCEEDED, INSPECTION_DISCREPANCY, OBSERVATION_DISCREPANCY, LATE_NOTIFICATION, INSPECTION_AMBIGUITY]

OBSERVATION_WINDOW_DAYS = 30
NEAR_SHARE = 0.9
# Protocol on Information Exchange: the annual exchange is due on 15 December, valid from 1 January.
ANNUAL_DUE_MONTH, ANNUAL_DUE_DAY = 12, 15
IDENTIFYING_EVIDENCE = ("ceiling", "inspection", "notification", "year")


@dataclass(frozen=True)
class Breach:
    kind: str
    as_of: datetime.date
    zone: str | None
    party: str | None
    category: str | None
    limit: int | None
    counted: int | None
    excess: int | None
    treaty: str | None
    evidence: dict
    geometry: GEOSGeometry | None = None

    def as_dict(self) -> dict:
        """The breach as JSON-ready data, geometry left out."""
        return {
            "kind": self.kind,
            "as_of": self.as_of.isoformat(),
            "zone": self.zone,
            "party": self.party,
            "category": self.category,
            "limit": self.limit,
            "counted": self.counted,
            "excess": self.excess,
            "treaty": self.treaty,
            "evidence": self.evidence,
        }

    @property
    def identity(self) -> str:
        """What stays the same while the breach lasts from one date to the next (counts may change)."""
        which = [f"{name}={self.evidence[name]}" for name in IDENTIFYING_EVIDENCE if name in self.evidence]
        return "|".join([self.kind, self.zone or "", self.party or "", self.category or "", *which])

    def sort_key(self) -> tuple:
        return (
            KINDS.index(self.kind),
            self.zone or "",
            self.party or "",
            self.category or "",
            self.treaty or "",
            repr(sorted(self.evidence.items())),
        )


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


def evaluate(as_of: datetime.date, counts: "list[_Count] | None" = None) -> list[Breach]:
    """Every breach as of ``as_of``, ordered by kind, zone, party, category.

    ``counts``: every ceiling's counts on ``as_of`` (``ceiling_counts``), when already at hand.
    """
    breaches = [
        *ceiling_breaches(as_of, counts),
        *inspection_findings(as_of, ambiguity=False),
        *observation_breaches(as_of),
        *late_notifications(as_of),
    ]
    return sorted(breaches, key=Breach.sort_key)


# --- reuse -----------------------------------------------------------------------------------


def cached_ceiling_counts(as_of: datetime.date) -> "list[_Count]":
    """``ceiling_counts(as_of)`` for every zone, reused while none of the data it reads has changed:
    breaches, zone states and statuses are all read from the same counts."""
    return reused(ceiling_counts, as_of)


def evaluate_from_cached_counts(as_of: datetime.date) -> list[Breach]:
    return evaluate(as_of, cached_ceiling_counts(as_of))


def cached_evaluate(as_of: datetime.date) -> list[Breach]:
    """``evaluate(as_of)``, reused from an earlier call while none of the data it reads has changed."""
    return list(reused(evaluate_from_cached_counts, as_of))


def cached_zone_states(as_of: datetime.date) -> dict[str, str]:
    """``zone_states(as_of)``, reused the same way."""
    return dict(reused(zone_states, as_of))


def ambiguities(as_of: datetime.date) -> list[Breach]:
    """Inspections that observed fewer items than declared: unresolved, but no breach."""
    return sorted(inspection_findings(as_of, ambiguity=True), key=Breach.sort_key)


# --- ceilings --------------------------------------------------------------------------------

AS_OF_HOLDING = (
    "h.effective_from <= %(day)s AND (h.effective_to IS NULL OR h.effective_to > %(day)s) AND h.quantity > 0"
)
IN_FORCE_VERSION = "(v.valid_from IS NULL OR v.valid_from <= %(day)s) AND (v.valid_to IS NULL OR v.valid_to >= %(day)s)"
# A ceiling breach lists the sites behind its count when the count rests on at most this many
# lines; beyond that the sites are a question for the holdings API (zone, party, category, date).
EVIDENCE_SITE_LINES = 100


@dataclass(frozen=True)
class Tally:
    """Holdings in force: their total quantity and the number of lines it is made of."""

    quantity: int = 0
    lines: int = 0


# (zone id, party id, category id, status) -> what is in force there
Tallies = dict[tuple[int, int, int, str], Tally]

# Zone totals summed as of %(day)s per zone (of those in %(zones)s), party, category, status
# and, when ``{by}`` names it, one more column.
ZONE_TOTALS_AS_OF = f"""
    SELECT v.zone_id, t.party_id, t.category_id, t.status{{by}}, sum(t.quantity) AS quantity, sum(t.lines) AS lines
    FROM tracker_zonetotal t
    JOIN zones_zoneversion v ON v.id = t.zone_version_id
    WHERE t.day <= %(day)s AND {IN_FORCE_VERSION} AND v.zone_id = ANY(%(zones)s)
    GROUP BY v.zone_id, t.party_id, t.category_id, t.status{{by}}
    HAVING sum(t.lines) > 0
"""


def zone_tallies(as_of: datetime.date, zone_ids: list[int]) -> Tallies:
    """Holdings in force on ``as_of`` at sites inside each zone, per party, category and status.

    Read from the zone totals (``ZoneTotal``) that writes keep, not from the holdings: no
    holding, site or geometry is touched here, however many there are.
    """
    with connection.cursor() as cursor:
        cursor.execute(ZONE_TOTALS_AS_OF.format(by=""), {"day": as_of, "zones": zone_ids})
        return {
            (zone, party, category, status): Tally(int(quantity), int(lines))
            for zone, party, category, status, quantity, lines in cursor
        }


def zone_counts(as_of: datetime.date, zone_ids: list[int]) -> dict[tuple[int, int, int, str], int]:
    """The quantities of ``zone_tallies``."""
    return {key: tally.quantity for key, tally in zone_tallies(as_of, zone_ids).items()}


def zone_notifications(as_of: datetime.date, zone_ids: list[int]) -> dict[tuple[int, int, int, str], set[str]]:
    """The references of the notifications whose lines make up each tally of ``zone_tallies``."""
    notifications: dict[tuple[int, int, int, str], set[str]] = defaultdict(set)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            WITH tallied AS ({ZONE_TOTALS_AS_OF.format(by=", t.notification_id")})
            SELECT tallied.zone_id, tallied.party_id, tallied.category_id, tallied.status, n.reference
            FROM tallied JOIN tracker_notification n ON n.id = tallied.notification_id
            """,
            {"day": as_of, "zones": zone_ids},
        )
        for zone, party, category, status, reference in cursor:
            notifications[zone, party, category, status].add(reference)
    return notifications


def _statuses(ceiling: Ceiling) -> tuple[str, ...]:
    if ceiling.counting == Counting.ACTIVE:
        return (HoldingStatus.ACTIVE,)
    return (HoldingStatus.ACTIVE, HoldingStatus.STORAGE)


@dataclass(frozen=True)
class _Count:
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


# Every ceiling of %(ceilings)s counted per holder from the zone totals as of %(day)s: one row
# per ceiling and holder (the party of an ``each`` ceiling, else NULL), with the parties whose
# holdings count for it. Parties "present" in a zone hold something there, of any category.
CEILING_COUNTS = f"""
    WITH tallies AS ({ZONE_TOTALS_AS_OF.format(by="")}),
    ceilings AS (SELECT * FROM tracker_ceiling WHERE id = ANY(%(ceilings)s)),
    present AS (SELECT DISTINCT zone_id, party_id FROM tallies),
    holders AS (
        SELECT c.id AS ceiling_id, NULL::bigint AS holder, c.party_id FROM ceilings c
        WHERE c.applies_to = '{AppliesTo.PARTY}'
        UNION ALL
        SELECT c.id, NULL, m.stateparty_id FROM ceilings c
        JOIN tracker_partygroup_members m ON m.partygroup_id = c.group_id
        WHERE c.applies_to = '{AppliesTo.GROUP}'
        UNION ALL
        SELECT c.id, p.party_id, p.party_id FROM ceilings c JOIN present p ON p.zone_id = c.zone_id
        WHERE c.applies_to = '{AppliesTo.EACH}'
        UNION ALL
        SELECT c.id, NULL, p.party_id FROM ceilings c JOIN present p ON p.zone_id = c.zone_id
        WHERE c.applies_to = '{AppliesTo.ALL}'
    )
    SELECT h.ceiling_id, h.holder, array_agg(DISTINCT h.party_id),
           coalesce(sum(t.quantity), 0), coalesce(sum(t.lines), 0)
    FROM holders h
    JOIN ceilings c ON c.id = h.ceiling_id
    LEFT JOIN tallies t ON t.zone_id = c.zone_id AND t.party_id = h.party_id AND t.category_id = c.category_id
         AND (c.counting = '{Counting.ALL}' OR t.status = '{HoldingStatus.ACTIVE}')
    GROUP BY h.ceiling_id, h.holder
"""


def ceiling_counts(as_of: datetime.date, zone: Zone | None = None) -> list[_Count]:
    """Each ceiling in force on ``as_of`` (of ``zone`` only, if given), counted per holder: the
    party, the group, each party holding something in the zone, or all of them together."""
    ceilings = Ceiling.objects.in_force(as_of).select_related("treaty", "zone", "category", "party", "group")
    if zone is not None:
        ceilings = ceilings.filter(zone=zone)
    ceilings = list(ceilings.order_by("zone__code", "category_id", "treaty__name", "id"))
    if not ceilings:
        return []
    counted: dict[int, list[tuple]] = defaultdict(list)
    with connection.cursor() as cursor:
        cursor.execute(
            CEILING_COUNTS,
            {"day": as_of, "zones": sorted({c.zone_id for c in ceilings}), "ceilings": [c.id for c in ceilings]},
        )
        for ceiling_id, holder, parties, quantity, lines in cursor:
            counted[ceiling_id].append((holder, frozenset(parties), Tally(int(quantity), int(lines))))
    codes = dict(StateParty.objects.values_list("id", "code"))

    result = []
    for ceiling in ceilings:
        if ceiling.applies_to == AppliesTo.EACH:
            for holder, parties, tally in sorted(counted[ceiling.id], key=lambda row: codes[row[0]]):
                result.append(_Count(ceiling, codes[holder], parties, tally))
            continue
        # A group without members, or a zone where nobody holds anything, still has its ceiling counted: at 0.
        _, parties, tally = (counted[ceiling.id] or [(None, frozenset(), Tally())])[0]
        holder = {
            AppliesTo.PARTY: ceiling.party and ceiling.party.code,
            AppliesTo.GROUP: ceiling.group and ceiling.group.name,
        }
        result.append(_Count(ceiling, holder.get(ceiling.applies_to), parties, tally))
    return result


def zone_status(zone: Zone, as_of: datetime.date) -> list[CeilingStatus]:
    """Counted, limit and headroom of every ceiling of ``zone`` in force on ``as_of``."""
    return [count.status() for count in ceiling_counts(as_of, zone)]


def ceiling_statuses(as_of: datetime.date) -> list[CeilingStatus]:
    """Counted, limit and headroom of every ceiling in force on ``as_of``, all zones at once."""
    return [count.status() for count in cached_ceiling_counts(as_of)]


def cached_zone_status(zone: Zone, as_of: datetime.date) -> list[CeilingStatus]:
    """``zone_status``, read from every zone's statuses, which are reused while the data is unchanged."""
    return [status for status in reused(ceiling_statuses, as_of) if status.zone == zone.code]


def zone_states(as_of: datetime.date) -> dict[str, str]:
    """Every zone's state on ``as_of``: breached, near (≥ 90 % of a limit), within, or none."""
    states = dict.fromkeys(Zone.objects.values_list("code", flat=True), "none")
    for code in Ceiling.objects.in_force(as_of).values_list("zone__code", flat=True):
        states[code] = "within"
    for count in cached_ceiling_counts(as_of):
        code, limit = count.ceiling.zone.code, count.ceiling.limit
        if limit > 0 and count.counted >= NEAR_SHARE * limit and count.counted <= limit:
            states[code] = "near"
    for breach in cached_evaluate(as_of):
        if breach.zone is not None:
            states[breach.zone] = "breached"
    return states


def counted_sites(counts: list[_Count], as_of: datetime.date) -> list[list[str]]:
    """For each of ``counts``, the codes of the sites whose holdings make it up; in one query."""
    wanted = [
        {
            "n": n,
            "zone": count.ceiling.zone_id,
            "category": count.ceiling.category_id,
            "parties": sorted(count.parties),
            "statuses": list(_statuses(count.ceiling)),
        }
        for n, count in enumerate(counts)
    ]
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT b.n, array_agg(DISTINCT s.code ORDER BY s.code)
            FROM jsonb_to_recordset(%(wanted)s::jsonb)
                 AS b(n int, zone bigint, category bigint, parties bigint[], statuses text[])
            JOIN zones_zoneversion v ON v.zone_id = b.zone AND {IN_FORCE_VERSION}
            JOIN tracker_zoneset z ON z.versions @> ARRAY[v.id]
            JOIN tracker_sitezones m ON m.zone_set_id = z.id AND m.party_id = ANY(b.parties)
            JOIN tracker_holding h ON h.site_id = m.site_id AND h.category_id = b.category
                 AND h.status = ANY(b.statuses)
            JOIN tracker_site s ON s.id = m.site_id
            WHERE {AS_OF_HOLDING}
            GROUP BY b.n
            """,
            {"wanted": json.dumps(wanted), "day": as_of},
        )
        found = dict(cursor.fetchall())
    return [found.get(n, []) for n in range(len(counts))]


def ceiling_breaches(as_of: datetime.date, counts: list[_Count] | None = None) -> list[Breach]:
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
                        for status in _statuses(ceiling)
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


# --- inspections -----------------------------------------------------------------------------


def _declared(party_id: int, sites, day: datetime.date) -> tuple[dict[int, int], set[str], set[str]]:
    """What the party declared as of ``day`` at ``sites``: quantity per category, sites, notifications."""
    quantities: dict[int, int] = defaultdict(int)
    site_codes, references = set(), set()
    lines = Holding.objects.as_of(day).filter(site__party=party_id, site__in=sites)
    for category, quantity, site, reference in lines.values_list(
        "category_id", "quantity", "site__code", "notification__reference"
    ):
        quantities[category] += quantity
        site_codes.add(site)
        references.add(reference)
    return quantities, site_codes, references


def declared_where_inspected(inspection: Inspection) -> tuple[dict[int, int], set[str], set[str]]:
    """What the inspected party had declared, as of the inspection date, at the site or inside the specified area."""
    if inspection.kind == InspectionKind.DECLARED_SITE:
        sites = Site.objects.filter(pk=inspection.site_id)
    else:
        sites = Site.objects.filter(location__intersects=inspection.area)
    return _declared(inspection.inspected_party_id, sites, inspection.date)


def _smallest_zone(geometry: GEOSGeometry, day: datetime.date) -> str | None:
    """The innermost zone in force on ``day`` that the geometry touches: where the finding is."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT z.code FROM zones_zoneversion v JOIN zones_zone z ON z.id = v.zone_id
            WHERE {IN_FORCE_VERSION} AND ST_Intersects(v.geom, ST_GeomFromEWKT(%(geom)s))
            ORDER BY ST_Area(v.geom), z.code LIMIT 1
            """,
            {"day": day, "geom": geometry.ewkt},
        )
        row = cursor.fetchone()
    return row[0] if row else None


def inspection_findings(as_of: datetime.date, ambiguity: bool) -> list[Breach]:
    """Inspections up to ``as_of`` that saw more than declared (or, with ``ambiguity``, fewer)."""
    results = []
    inspections = (
        Inspection.objects.filter(date__lte=as_of)
        .select_related("inspected_party", "site")
        .prefetch_related("findings__category")
        .order_by("date", "reference")
    )
    for inspection in inspections:
        where = inspection.site.location if inspection.kind == InspectionKind.DECLARED_SITE else inspection.area
        declared, site_codes, references = declared_where_inspected(inspection)
        zone = _smallest_zone(where, inspection.date)
        for finding in inspection.findings.all():
            expected = declared.get(finding.category_id, 0)
            if (finding.observed < expected) if ambiguity else (finding.observed > expected):
                results.append(
                    Breach(
                        kind=INSPECTION_AMBIGUITY if ambiguity else INSPECTION_DISCREPANCY,
                        as_of=as_of,
                        zone=zone,
                        party=inspection.inspected_party.code,
                        category=finding.category.code,
                        limit=expected,
                        counted=finding.observed,
                        excess=finding.observed - expected,
                        treaty=None,
                        evidence={
                            "inspection": inspection.reference,
                            "date": inspection.date.isoformat(),
                            "sites": sorted(site_codes),
                            "notifications": sorted(references),
                        },
                        geometry=where,
                    )
                )
    return results


# --- observations ----------------------------------------------------------------------------


def observation_breaches(as_of: datetime.date, window_days: int = OBSERVATION_WINDOW_DAYS) -> list[Breach]:
    """A party seen in a zone, on one day of the window, with more than it declared there that day."""
    start = shifted(as_of, -(window_days - 1))
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT v.zone_id, o.party_id, o.category_id, o.observed_on, array_agg(o.id ORDER BY o.reference)
            FROM tracker_observation o
            JOIN zones_zoneversion v ON ST_Intersects(v.geom, o.location)
            WHERE o.party_id IS NOT NULL AND o.observed_on BETWEEN %(start)s AND %(day)s
              AND (v.valid_from IS NULL OR v.valid_from <= o.observed_on)
              AND (v.valid_to IS NULL OR v.valid_to >= o.observed_on)
            GROUP BY 1, 2, 3, 4
            """,
            {"start": start, "day": as_of},
        )
        rows = cursor.fetchall()
    observations = Observation.objects.in_bulk([oid for *_, ids in rows for oid in ids])
    # Per zone, party and category: the single day with the highest total seen (latest on a tie).
    busiest: dict[tuple, tuple[int, datetime.date, list[Observation]]] = {}
    for zone_id, party_id, category_id, day, ids in rows:
        seen = [observations[oid] for oid in ids]
        total = sum(o.count for o in seen)
        key = (zone_id, party_id, category_id)
        if key not in busiest or (total, day) > busiest[key][:2]:
            busiest[key] = (total, day, seen)

    breaches = []
    for (zone_id, party_id, category_id), (total, day, seen) in busiest.items():
        declared = (
            Holding.objects.as_of(day)
            .filter(site__party=party_id, category=category_id, site__in=sites_in(zone_id, day))
            .values_list("quantity", "site__code", "notification__reference")
        )
        expected = sum(quantity for quantity, _, _ in declared)
        if total <= expected:
            continue
        first = seen[0]
        breaches.append(
            Breach(
                kind=OBSERVATION_DISCREPANCY,
                as_of=as_of,
                zone=Zone.objects.get(pk=zone_id).code,
                party=first.party.code,
                category=first.category.code,
                limit=expected,
                counted=total,
                excess=total - expected,
                treaty=None,
                evidence={
                    "date": day.isoformat(),
                    "observations": [o.reference for o in seen],
                    "sites": sorted({site for _, site, _ in declared}),
                    "notifications": sorted({reference for _, _, reference in declared}),
                },
                geometry=MultiPoint([o.location for o in seen], srid=4326),
            )
        )
    return breaches


# --- notifications ---------------------------------------------------------------------------


def annual_due(effective: datetime.date) -> datetime.date:
    """15 December of the year before the annual exchange's year of validity (the calendar's first day
    for year 1, whose year before has no date)."""
    if effective.year == datetime.MINYEAR:
        return datetime.date.min
    return datetime.date(effective.year - 1, ANNUAL_DUE_MONTH, ANNUAL_DUE_DAY)


def _strictest_treaty(treaties: list[Treaty], day: datetime.date) -> Treaty | None:
    """Of the treaties in force on ``day``, the one with the shortest notification deadline."""
    in_force = [
        t for t in treaties if (t.in_force_from or day) <= day and (t.in_force_to is None or day <= t.in_force_to)
    ]
    return min(in_force, key=lambda t: (t.notification_deadline_days, t.name), default=None)


def late_notifications(as_of: datetime.date) -> list[Breach]:
    """Notifications known by ``as_of`` that came after their deadline, and missing annual exchanges."""
    breaches = []
    treaties = list(Treaty.objects.all())
    notices = (
        Notification.objects.filter(
            status__in=[NotificationStatus.SUBMITTED, NotificationStatus.SUPERSEDED],
            submitted_at__date__lte=as_of,
        )
        .exclude(kind=NotificationKind.CORRECTION)
        .select_related("party")
        .order_by("effective_date", "reference")
    )
    for notice in notices:
        treaty = _strictest_treaty(treaties, notice.effective_date)
        if treaty is None:
            continue
        submitted = timezone.localdate(notice.submitted_at)
        if notice.kind == NotificationKind.ANNUAL:
            due = annual_due(notice.effective_date)
        else:
            due = shifted(notice.effective_date, treaty.notification_deadline_days)
        if submitted <= due:
            continue
        allowed = (due - notice.effective_date).days
        taken = (submitted - notice.effective_date).days
        breaches.append(
            Breach(
                kind=LATE_NOTIFICATION,
                as_of=as_of,
                zone=None,
                party=notice.party.code,
                category=None,
                limit=allowed,
                counted=taken,
                excess=taken - allowed,
                treaty=treaty.name,
                evidence={
                    "notification": notice.reference,
                    "kind": notice.kind,
                    "effective_date": notice.effective_date.isoformat(),
                    "due": due.isoformat(),
                    "submitted": submitted.isoformat(),
                },
            )
        )
    return breaches + missing_annual_exchanges(as_of, treaties)


def missing_annual_exchanges(as_of: datetime.date, treaties: list[Treaty]) -> list[Breach]:
    """A party that had declared before a year began, with no annual exchange for that year known by ``as_of``."""
    submitted = Notification.objects.filter(
        status__in=[NotificationStatus.SUBMITTED, NotificationStatus.SUPERSEDED], submitted_at__date__lte=as_of
    )
    first_declared = dict(
        submitted.values("party__code").annotate(first=Min("effective_date")).values_list("party__code", "first")
    )
    annual_years = {
        (code, day.year)
        for code, day in submitted.filter(kind=NotificationKind.ANNUAL).values_list("party__code", "effective_date")
    }
    breaches = []
    for code, first in sorted(first_declared.items()):
        for year in range(first.year + 1, as_of.year + 1):
            new_year = datetime.date(year, 1, 1)
            treaty = _strictest_treaty(treaties, new_year)
            if treaty is None or (code, year) in annual_years:
                continue
            breaches.append(
                Breach(
                    kind=LATE_NOTIFICATION,
                    as_of=as_of,
                    zone=None,
                    party=code,
                    category=None,
                    limit=None,
                    counted=None,
                    excess=None,
                    treaty=treaty.name,
                    evidence={"missing": "annual", "year": year, "due": annual_due(new_year).isoformat()},
                )
            )
    return breaches


# --- dates -----------------------------------------------------------------------------------


def change_dates() -> list[datetime.date]:
    """Every date on which an evaluation may differ from the day before, sorted."""
    dates: set[datetime.date] = set()
    submitted = Notification.objects.filter(status=NotificationStatus.SUBMITTED)
    dates.update(submitted.values_list("effective_date", flat=True))
    dates.update(timezone.localdate(moment) for moment in submitted.values_list("submitted_at", flat=True))
    for model, start, end in (
        (Ceiling, "valid_from", "valid_to"),
        (Treaty, "in_force_from", "in_force_to"),
        (ZoneVersion, "valid_from", "valid_to"),
    ):
        for first, last in model.objects.values_list(start, end):
            dates.add(first)
            if last is not None:
                dates.add(shifted(last, 1))
    dates.update(Inspection.objects.values_list("date", flat=True))
    for day in Observation.objects.values_list("observed_on", flat=True).distinct():
        dates.update((day, shifted(day, OBSERVATION_WINDOW_DAYS)))
    dates.discard(None)
    return sorted(dates)
