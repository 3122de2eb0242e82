"""The engine's answers reused while none of the data they read has changed (``tracker.answers``).

The only place the engine caches: every name here says so, and everything else computes afresh.
Breaches, zone states and statuses on a date are all read from the same cached ceiling counts.

A whole evaluation is kept against the version of all the data, so any write makes it again; but it is
made of pieces kept against what each reads alone (``answers.reused_each``): each zone's ceiling counts
and ceiling breaches against the zone's row, each party's findings of the kinds asked party by party
(``engine.PER_PARTY``) against the party's row, and each party's rows of the zone totals the counts are
made from against the party's row too. After a notification, only the zones its lines are in are counted
again, from its own party's totals read again and every other party's kept, and only its own party's
findings are asked again; the other kinds, cheap, are asked afresh.
"""

import datetime
from collections import defaultdict
from collections.abc import Callable

from django.db import DatabaseError, transaction

from tracker import answers
from tracker.answers import reused
from tracker.compliance.breach import Breach
from tracker.compliance.ceilings import (
    CeilingCount,
    CeilingStatus,
    ceiling_breaches,
    ceiling_changes,
    ceiling_counts_by_zone,
)
from tracker.compliance.engine import PER_PARTY, WHOLE, in_order, zone_states
from tracker.models import Ceiling, StateParty
from zones.models import Zone, ZoneVersion

# How many days a submission makes the evaluation of again before it commits: those asked about last.
MADE_AHEAD_DAYS = 3


def _parties_zone_rows(as_of: datetime.date, parties: list[int]) -> dict[int, dict[int, list[tuple]]]:
    """Each of ``parties``' rows of the zone totals every ceiling in force on ``as_of`` is counted from
    (``ceiling_changes``), by zone. One party is read alone, as after its submission, more at once."""
    ceilings = list(Ceiling.objects.in_force(as_of))
    zone_of = dict(ZoneVersion.objects.values_list("id", "zone_id"))
    found: dict[int, dict[int, list[tuple]]] = {party: defaultdict(list) for party in parties}
    for row in ceiling_changes([as_of], ceilings, parties if len(parties) == 1 else None):
        if row[2] in found:
            found[row[2]][zone_of[row[1]]].append(row)
    return found


def _kept_zone_rows(days: list[datetime.date], ceilings: list[Ceiling]) -> list[tuple]:
    """``ceiling_changes(days, ceilings)`` on one day, from every party's rows kept against its own row of the
    data version: a submission reads again the rows of its own party only, in every zone, where the zones its
    lines are in would read every party's."""
    (as_of,) = days
    parties = list(StateParty.objects.values_list("id", flat=True))
    kept = answers.reused_each("party {}", answers.versions(), _parties_zone_rows, as_of, parties)
    zones, counted = {c.zone_id for c in ceilings}, {c.id for c in ceilings}
    return [
        row
        for rows in kept.values()
        for zone in zones
        for row in rows.get(zone, ())
        if row[0] is None or row[0] in counted
    ]


def _zones_ceilings(as_of: datetime.date, zones: list[int]) -> dict[int, tuple[list[CeilingCount], list[Breach]]]:
    """For each of ``zones``, the counts of its ceilings on ``as_of`` and those above what they permit."""
    counts = ceiling_counts_by_zone(as_of, zones, _kept_zone_rows)
    breaches: dict[str, list[Breach]] = defaultdict(list)
    for breach in ceiling_breaches(as_of, [count for zone in zones for count in counts[zone]]):
        breaches[breach.zone].append(breach)
    codes = dict(Zone.objects.filter(id__in=zones).values_list("id", "code"))
    return {zone: (counts[zone], breaches[codes[zone]]) for zone in zones}


def _by_zone(as_of: datetime.date) -> list[tuple[list[CeilingCount], list[Breach]]]:
    """Each zone's ceiling counts and ceiling breaches on ``as_of``, zones in code order."""
    zones = list(Zone.objects.order_by("code").values_list("id", flat=True))
    found = answers.reused_each("zone {}", answers.versions(), _zones_ceilings, as_of, zones)
    return [found[zone] for zone in zones]


def cached_ceiling_counts(as_of: datetime.date) -> list[CeilingCount]:
    """``ceiling_counts(as_of)`` for every zone."""
    return [count for counts, _ in reused(_by_zone, as_of) for count in counts]


def _parties_findings(as_of: datetime.date, parties: list[int], check: Callable) -> dict[int, list[Breach]]:
    """``check``'s findings on ``as_of`` of each of ``parties``. One party is asked alone, as after its
    notification; more (the first evaluation in a process) are found by one check of everyone, as
    one query costs about the same for every party as for one."""
    if len(parties) == 1:
        return {parties[0]: check(as_of, parties[0])}
    party_of = dict(StateParty.objects.filter(id__in=parties).values_list("code", "id"))
    found: dict[int, list[Breach]] = {party: [] for party in parties}
    for breach in check(as_of):
        if breach.party in party_of:
            found[party_of[breach.party]].append(breach)
    return found


def _evaluate_from_pieces(as_of: datetime.date) -> list[Breach]:
    found = [breach for _, breaches in reused(_by_zone, as_of) for breach in breaches]
    read = answers.versions()
    parties = list(StateParty.objects.values_list("id", flat=True))
    for check in PER_PARTY:
        for breaches in answers.reused_each("party {}", read, _parties_findings, as_of, parties, check).values():
            found += breaches
    for check in WHOLE:
        found += check(as_of)
    return in_order(found)


def cached_evaluate(as_of: datetime.date) -> list[Breach]:
    """``evaluate(as_of)``."""
    return list(reused(_evaluate_from_pieces, as_of))


def _zone_states_from_cached(as_of: datetime.date) -> dict[str, str]:
    return zone_states(as_of, cached_ceiling_counts(as_of), cached_evaluate(as_of))


def cached_zone_states(as_of: datetime.date) -> dict[str, str]:
    """``zone_states(as_of)``."""
    return dict(reused(_zone_states_from_cached, as_of))


def _ceiling_statuses_from_cached(as_of: datetime.date) -> list[CeilingStatus]:
    return [count.status() for count in cached_ceiling_counts(as_of)]


def cached_ceiling_statuses(as_of: datetime.date) -> list[CeilingStatus]:
    """Counted, limit and headroom of every ceiling in force on ``as_of``, all zones at once."""
    return reused(_ceiling_statuses_from_cached, as_of)


def cached_zone_status(zone: Zone, as_of: datetime.date) -> list[CeilingStatus]:
    """``zone_status(zone, as_of)``, from the zone's own ceiling counts: a notification elsewhere leaves them
    as they were."""
    counts, _ = answers.reused_each("zone {}", answers.versions(), _zones_ceilings, as_of, [zone.pk])[zone.pk]
    return [count.status() for count in counts]


def made_ahead() -> None:
    """Within a write's transaction, once it has written: the whole evaluation and the zone states of the days
    they were last kept for (``MADE_AHEAD_DAYS``), made again at the write's version and kept when it commits
    (``answers.ahead``). A reader asking about many days makes no write wait for them all: the others are made
    by their readers. In a savepoint: when a statement of it fails or runs out of time, the write stands and
    its readers make the answers."""
    try:
        with transaction.atomic(), answers.ahead():
            for (day,) in answers.asked(_evaluate_from_pieces)[-MADE_AHEAD_DAYS:]:
                cached_zone_states(day)
    except DatabaseError:
        pass
