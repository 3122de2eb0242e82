"""``late_notification``: a change notification submitted after the deadline of the treaty in force
on its effective date (the strictest one when several are), an annual exchange submitted after
15 December of the year before, or no annual exchange for a year that has begun, once the party
had started declaring before that year."""

import datetime

from django.db.models import Min
from django.utils import timezone

from tracker.compliance.breach import LATE_NOTIFICATION, Breach
from tracker.dates import shifted
from tracker.models import Notification, NotificationKind, NotificationStatus, Treaty
from tracker.models.treaties import TREATY_IN_FORCE

# Protocol on Information Exchange: the annual exchange is due on 15 December, valid from 1 January.
ANNUAL_DUE_MONTH, ANNUAL_DUE_DAY = 12, 15


def annual_due(effective: datetime.date) -> datetime.date:
    """15 December of the year before the annual exchange's year of validity (the calendar's first day
    for year 1, whose year before has no date)."""
    if effective.year == datetime.MINYEAR:
        return datetime.date.min
    return datetime.date(effective.year - 1, ANNUAL_DUE_MONTH, ANNUAL_DUE_DAY)


def strictest_treaty(treaties: list[Treaty], day: datetime.date) -> Treaty | None:
    """Of the treaties in force on ``day``, the one with the shortest notification deadline."""
    in_force = [t for t in treaties if TREATY_IN_FORCE.holds(t, day)]
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
        treaty = strictest_treaty(treaties, notice.effective_date)
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
            treaty = strictest_treaty(treaties, new_year)
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
