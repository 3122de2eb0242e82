"""The compliance engine: every breach of the agreed limits as of a date, with its evidence.

One module per kind of finding, each returning ``Breach`` (``breach.py``):

- ``ceilings``: ``ceiling_exceeded`` and ``temporary_allowance_exceeded``, counted from the zone
  totals (``totals``);
- ``storage``: ``storage_outside_designated_site``;
- ``inspections``: ``inspection_discrepancy`` (and ``inspection_ambiguity``, no breach);
- ``observations``: ``observation_discrepancy``;
- ``deadlines``: ``late_notification`` (change deadlines in calendar or working days, temporary deployments);
- ``changes_notified``: ``unnotified_change``;
- ``object_notice``: ``short_notice`` (objects of verification created or relocated);
- ``distances``: ``within_withdrawal_distance`` (equipment too near a line of contact);
- ``countersignature``: ``late_countersignature`` (an inspection report's escort later than its hour).
- ``inspection_timelines``: the Protocol on Inspection's time limits on each request, from the
  notification of intent to departure, and refused declared-site inspections.
- ``receipts``: ``receipt_missing`` (a record of the ledger a party did not acknowledge in time).

``engine.evaluate(as_of)`` asks each in turn; ``changes.change_dates`` lists the days an answer
may change; ``cached`` is the only place answers are kept, and every name in it says so.
"""

from tracker.compliance.breach import (
    CEILING_EXCEEDED,
    COLUMNS,
    GRADE_LABELS,
    INSPECTION_AMBIGUITY,
    INSPECTION_DISCREPANCY,
    KIND_LABELS,
    KINDS,
    LATE_NOTIFICATION,
    OBSERVATION_DISCREPANCY,
    STATE_LABELS,
    STORAGE_OUTSIDE_DESIGNATED_SITE,
    TEMPORARY_ALLOWANCE_EXCEEDED,
    Breach,
    readable_by,
)
from tracker.compliance.cached import (
    cached_ceiling_counts,
    cached_ceiling_statuses,
    cached_evaluate,
    cached_zone_states,
    cached_zone_status,
    made_ahead,
)
from tracker.compliance.ceilings import (
    EVIDENCE_SITE_LINES,
    CeilingCount,
    CeilingStatus,
    ceiling_breaches,
    ceiling_counts,
    ceiling_counts_over,
    zone_status,
)
from tracker.compliance.changes import change_dates
from tracker.compliance.changes_notified import unnotified_changes
from tracker.compliance.deadlines import annual_due, late_notifications, missing_annual_exchanges
from tracker.compliance.distances import distance_breaches
from tracker.compliance.engine import NEAR_SHARE, ambiguities, evaluate, zone_states
from tracker.compliance.inspection_timelines import inspection_time_limits
from tracker.compliance.inspections import declared_where_inspected, inspection_findings
from tracker.compliance.object_notice import short_notices
from tracker.compliance.observations import OBSERVATION_WINDOW_DAYS, observation_breaches
from tracker.compliance.storage import storage_outside_designated_sites
from tracker.compliance.totals import Tally, zone_counts, zone_notifications, zone_tallies

__all__ = [
    "CEILING_EXCEEDED",
    "COLUMNS",
    "GRADE_LABELS",
    "KIND_LABELS",
    "STATE_LABELS",
    "EVIDENCE_SITE_LINES",
    "INSPECTION_AMBIGUITY",
    "INSPECTION_DISCREPANCY",
    "KINDS",
    "LATE_NOTIFICATION",
    "NEAR_SHARE",
    "OBSERVATION_DISCREPANCY",
    "OBSERVATION_WINDOW_DAYS",
    "STORAGE_OUTSIDE_DESIGNATED_SITE",
    "TEMPORARY_ALLOWANCE_EXCEEDED",
    "Breach",
    "CeilingCount",
    "CeilingStatus",
    "Tally",
    "ambiguities",
    "annual_due",
    "cached_ceiling_counts",
    "cached_ceiling_statuses",
    "cached_evaluate",
    "cached_zone_states",
    "cached_zone_status",
    "ceiling_breaches",
    "ceiling_counts",
    "ceiling_counts_over",
    "change_dates",
    "declared_where_inspected",
    "distance_breaches",
    "evaluate",
    "inspection_findings",
    "inspection_time_limits",
    "late_notifications",
    "made_ahead",
    "missing_annual_exchanges",
    "observation_breaches",
    "readable_by",
    "short_notices",
    "storage_outside_designated_sites",
    "unnotified_changes",
    "zone_counts",
    "zone_notifications",
    "zone_states",
    "zone_status",
    "zone_tallies",
]
