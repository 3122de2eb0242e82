"""The dates on which an evaluation may differ from the day before."""

import datetime

from django.utils import timezone

from tracker.compliance.countersignature import countersignature_dates
from tracker.compliance.inspection_timelines import request_change_dates
from tracker.compliance.observations import OBSERVATION_WINDOW_DAYS
from tracker.compliance.receipts import receipt_dates
from tracker.dates import shifted
from tracker.models import (
    Ceiling,
    DistanceRule,
    GroupMembership,
    Inspection,
    Notification,
    NotificationStatus,
    Observation,
    Site,
    Treaty,
)
from tracker.models.treaties import TREATY_IN_FORCE
from zones.in_force import VALID, InForce
from zones.models import ContactLineVersion, ZoneVersion


def change_dates() -> list[datetime.date]:
    """Every date on which an evaluation may differ from the day before, sorted."""
    dates: set[datetime.date] = set()
    # Unordered: a model's default ordering would sort every row and make DISTINCT keep one per record (one
    # per site: a hundred thousand rows where a few dozen storage periods are asked).
    submitted = Notification.objects.filter(status=NotificationStatus.SUBMITTED).order_by()
    dates.update(submitted.values_list("effective_date", flat=True).distinct())
    # A notification since corrected was still late, or short of notice, from the day it came.
    known = Notification.objects.filter(
        status__in=[NotificationStatus.SUBMITTED, NotificationStatus.SUPERSEDED]
    ).order_by()
    dates.update(timezone.localdate(moment) for moment in known.values_list("submitted_at", flat=True))
    for model, in_force in (
        (Ceiling, VALID),
        (Treaty, TREATY_IN_FORCE),
        (ZoneVersion, VALID),
        (DistanceRule, VALID),
        (ContactLineVersion, VALID),
        (GroupMembership, VALID),
        (Site, InForce("storage_from", "storage_to")),
    ):
        for first, last in model.objects.order_by().values_list(in_force.start, in_force.end).distinct():
            dates.add(first)
            if last is not None:
                dates.add(shifted(last, 1))
    dates.update(Inspection.objects.order_by().values_list("date", flat=True).distinct())
    dates.update(countersignature_dates())
    dates.update(request_change_dates())
    dates.update(receipt_dates())
    for day in Observation.objects.order_by().values_list("observed_on", flat=True).distinct():
        dates.update((day, shifted(day, OBSERVATION_WINDOW_DAYS)))
    dates.discard(None)
    return sorted(dates)
