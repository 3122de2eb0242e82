"""The engine's answers reused while none of the data they read has changed (``tracker.answers``).

The only place the engine caches: every name here says so, and everything else computes afresh.
Breaches, zone states and statuses on a date are all read from the same cached ceiling counts.
"""

import datetime

from tracker.answers import reused
from tracker.compliance.breach import Breach
from tracker.compliance.ceilings import CeilingCount, CeilingStatus, ceiling_counts
from tracker.compliance.engine import evaluate, zone_states
from zones.models import Zone


def cached_ceiling_counts(as_of: datetime.date) -> list[CeilingCount]:
    """``ceiling_counts(as_of)`` for every zone."""
    return reused(ceiling_counts, as_of)


def _evaluate_from_cached_counts(as_of: datetime.date) -> list[Breach]:
    return evaluate(as_of, cached_ceiling_counts(as_of))


def cached_evaluate(as_of: datetime.date) -> list[Breach]:
    """``evaluate(as_of)``."""
    return list(reused(_evaluate_from_cached_counts, as_of))


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
    """``zone_status(zone, as_of)``, read from every zone's statuses."""
    return [status for status in cached_ceiling_statuses(as_of) if status.zone == zone.code]
