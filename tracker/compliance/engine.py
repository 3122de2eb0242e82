"""The whole check as of a date: each kind of finding asked in turn, and each zone's state."""

import datetime
import functools
from collections.abc import Iterable

from tracker.compliance.breach import Breach
from tracker.compliance.ceilings import CeilingCount, ceiling_breaches, ceiling_counts
from tracker.compliance.changes_notified import unnotified_changes
from tracker.compliance.countersignature import late_countersignatures
from tracker.compliance.deadlines import late_notifications
from tracker.compliance.distances import distance_breaches
from tracker.compliance.inspection_timelines import inspection_time_limits
from tracker.compliance.inspections import inspection_findings
from tracker.compliance.object_notice import short_notices
from tracker.compliance.observations import observation_breaches
from tracker.compliance.receipts import missing_receipts
from tracker.compliance.storage import storage_outside_designated_sites
from tracker.models import Ceiling
from zones.models import Zone

NEAR_SHARE = 0.9


# The kinds of finding asked of one party's records at a time as well (``party``), and the others.
PER_PARTY = (storage_outside_designated_sites, late_notifications, unnotified_changes, short_notices)
WHOLE = (
    distance_breaches,
    functools.partial(inspection_findings, ambiguity=False),
    observation_breaches,
    late_countersignatures,
    inspection_time_limits,
    missing_receipts,
)


def in_order(breaches: Iterable[Breach]) -> list[Breach]:
    """``breaches`` ordered by kind, zone, party, category, as every list of them is."""
    return sorted(breaches, key=Breach.sort_key)


def evaluate(as_of: datetime.date, counts: list[CeilingCount] | None = None) -> list[Breach]:
    """Every breach as of ``as_of``, ordered by kind, zone, party, category.

    ``counts``: every ceiling's counts on ``as_of`` (``ceiling_counts``), when already at hand.
    """
    return in_order(
        [*ceiling_breaches(as_of, counts), *(breach for check in (*PER_PARTY, *WHOLE) for breach in check(as_of))]
    )


def ambiguities(as_of: datetime.date) -> list[Breach]:
    """Inspections that observed fewer items than declared: unresolved, but no breach."""
    return in_order(inspection_findings(as_of, ambiguity=True))


def zone_states(
    as_of: datetime.date, counts: list[CeilingCount] | None = None, breaches: list[Breach] | None = None
) -> dict[str, str]:
    """Every zone's state on ``as_of``: breached, near (≥ 90 % of a limit, or above it within a temporary
    deployment allowance), within, or none.

    ``counts`` (``ceiling_counts``) and ``breaches`` (``evaluate``) on ``as_of``, when already at hand.
    """
    counts = ceiling_counts(as_of) if counts is None else counts
    breaches = evaluate(as_of, counts) if breaches is None else breaches
    states = dict.fromkeys(Zone.objects.values_list("code", flat=True), "none")
    for code in Ceiling.objects.in_force(as_of).values_list("zone__code", flat=True):
        states[code] = "within"
    for count in counts:
        code, limit = count.ceiling.zone.code, count.ceiling.limit
        if limit > 0 and NEAR_SHARE * limit <= count.counted <= count.permitted:
            states[code] = "near"
    for breach in breaches:
        if breach.zone is not None:
            states[breach.zone] = "breached"
    return states
