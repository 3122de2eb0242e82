"""``late_notification``: a notification submitted after its deadline, or an annual exchange that never came.

Each notification known by the date is held to the earliest deadline among the rules its lines fall under,
under the treaties in force on its effective date (none in force: no deadline):

- an annual exchange: 15 December of the year before the one it is valid for (Protocol on Information
  Exchange, Section VII.1(C));
- lines that start or enlarge a temporary deployment (a holding in status ``temporary`` above the one
  declared before): by the deployment's start, its effective date, that day included (CFE Art. V.2:
  "no later than at the start of the deployment");
- lines that withdraw one (a temporary holding below the one declared before, to 0 or part of it):
  within 30 days of the withdrawal, day 30 included (CFE Art. V.2);
- any other line, or none: the treaty's change deadline counted from the effective date, in calendar days,
  or in working days (Protocol on Information Exchange, Section VIII.1(B); Final Document 1996, Annex B §10:
  "five working days"): Monday to Friday, less the notifying party's holidays (Annex B §5). Of several
  treaties in force, the one whose deadline falls first.

A year that has begun with no annual exchange from a party that had declared before it is missing.
"""

import datetime
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass

from django.db.models import Exists, F, Min, OuterRef, Window
from django.db.models.functions import Lag
from django.utils import timezone, translation

from tracker.compliance.breach import LATE_NOTIFICATION, Breach
from tracker.dates import shifted, working_days_after
from tracker.models import Holding, Holiday, Notification, NotificationKind, NotificationStatus, Treaty
from tracker.models.declarations import HoldingStatus
from tracker.models.treaties import TREATY_IN_FORCE, DayCount

# Protocol on Information Exchange: the annual exchange is due on 15 December, valid from 1 January.
ANNUAL_DUE_MONTH, ANNUAL_DUE_DAY = 12, 15
# CFE Art. V.2: the withdrawal of a temporary deployment is notified within 30 days.
WITHDRAWAL_NOTICE_DAYS = 30

ANNUAL_RULE = "annual exchange by 15 December (Protocol on Information Exchange, Section VII.1(C))"
DEPLOYMENT_RULE = "temporary deployment notified by its start (CFE Art. V.2)"
WITHDRAWAL_RULE = "withdrawal of a temporary deployment notified within 30 days (CFE Art. V.2)"
CHANGE_RULE = "change notified within {days} {unit} (Protocol on Information Exchange, Section VIII.1(B))"
WORKING_DAYS_RULE = CHANGE_RULE + "; working days less the party's holidays (Final Document 1996, Annex B §5, §10)"

SUBMITTED_STATUSES = [NotificationStatus.SUBMITTED, NotificationStatus.SUPERSEDED]


@dataclass(frozen=True)
class Deadline:
    due: datetime.date
    rule: str
    treaty: Treaty


def annual_due(effective: datetime.date) -> datetime.date:
    """15 December of the year before the annual exchange's year of validity (the calendar's first day
    for year 1, whose year before has no date)."""
    if effective.year == datetime.MINYEAR:
        return datetime.date.min
    return datetime.date(effective.year - 1, ANNUAL_DUE_MONTH, ANNUAL_DUE_DAY)


def in_force(treaties: list[Treaty], day: datetime.date) -> list[Treaty]:
    return [treaty for treaty in treaties if TREATY_IN_FORCE.holds(treaty, day)]


def change_deadline(
    treaties: list[Treaty], effective: datetime.date, holidays: Collection[datetime.date]
) -> Deadline | None:
    """The treaty deadline for a change effective on ``effective``: of the treaties in force that day, the one
    that falls first; ``holidays`` the notifying party's, for deadlines in working days."""
    deadlines = []
    for treaty in in_force(treaties, effective):
        days = treaty.notification_deadline_days
        if treaty.notification_deadline_unit == DayCount.WORKING:
            due, rule = working_days_after(effective, days, holidays), WORKING_DAYS_RULE
        else:
            due, rule = shifted(effective, days), CHANGE_RULE
        with translation.override(None):  # the rule's words are the finding's evidence, whoever asks
            unit = str(DayCount(treaty.notification_deadline_unit).label)
        deadlines.append(Deadline(due, rule.format(days=days, unit=unit), treaty))
    return min(deadlines, key=lambda d: (d.due, d.treaty.name), default=None)


def deployment_lines(as_of: datetime.date, party: int | None = None) -> dict[int, set[str]]:
    """Per notification known by ``as_of`` (of ``party`` only, if given), what its temporary lines do to the
    temporary holding declared before for the same object of verification, category and type: "start" (more),
    "withdrawal" (less) or "restated" (the same). In one query."""
    lines = Holding.objects.filter(
        status=HoldingStatus.TEMPORARY,
        notification__status__in=SUBMITTED_STATUSES,
        notification__submitted_at__date__lte=as_of,
    )
    if party is not None:
        # A party's objects of verification hold its own lines only (``declarations``).
        lines = lines.filter(notification__party=party)
    lines = lines.annotate(
        previous=Window(
            Lag("quantity", default=0),
            partition_by=[F("object_of_verification_id"), F("category_id"), F("equipment_type_id")],
            order_by=[F("notification__effective_date"), F("notification__submitted_at"), F("id")],
        )
    ).values_list("notification_id", "quantity", "previous")
    found: dict[int, set[str]] = defaultdict(set)
    for notification, quantity, previous in lines:
        found[notification].add("start" if quantity > previous else "withdrawal" if quantity < previous else "restated")
    return found


def notice_deadline(
    notice: Notification, treaties: list[Treaty], deployments: set[str], holidays: Collection[datetime.date]
) -> Deadline | None:
    """The earliest deadline among the rules ``notice``'s lines fall under (module docstring)."""
    effective = notice.effective_date
    treaty = min(in_force(treaties, effective), key=lambda t: t.name, default=None)
    if treaty is None:
        return None
    if notice.kind == NotificationKind.ANNUAL:
        return Deadline(annual_due(effective), ANNUAL_RULE, treaty)
    deadlines = []
    if "start" in deployments:
        deadlines.append(Deadline(effective, DEPLOYMENT_RULE, treaty))
    if "withdrawal" in deployments:
        deadlines.append(Deadline(shifted(effective, WITHDRAWAL_NOTICE_DAYS), WITHDRAWAL_RULE, treaty))
    if notice.other_lines or "restated" in deployments or not deadlines:
        deadlines.append(change_deadline(treaties, effective, holidays))
    return min(deadlines, key=lambda d: d.due)


def holidays_by_party() -> dict[int, set[datetime.date]]:
    found: dict[int, set[datetime.date]] = defaultdict(set)
    for party, day in Holiday.objects.values_list("party_id", "date"):
        found[party].add(day)
    return found


def late_notifications(as_of: datetime.date, party: int | None = None) -> list[Breach]:
    """Notifications known by ``as_of`` that came after their deadline, and missing annual exchanges; of
    ``party`` only, if given."""
    breaches = []
    treaties = list(Treaty.objects.all())
    holidays = holidays_by_party()
    deployments = deployment_lines(as_of, party)
    notices = (
        submitted_by(as_of, party)
        .exclude(kind=NotificationKind.CORRECTION)
        .annotate(
            other_lines=Exists(
                Holding.objects.filter(notification=OuterRef("pk")).exclude(status=HoldingStatus.TEMPORARY)
            )
        )
        .select_related("party")
        .order_by("effective_date", "reference")
    )
    for notice in notices:
        deadline = notice_deadline(notice, treaties, deployments.get(notice.id, set()), holidays[notice.party_id])
        submitted = timezone.localdate(notice.submitted_at)
        if deadline is None or submitted <= deadline.due:
            continue
        allowed = (deadline.due - notice.effective_date).days
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
                treaty=deadline.treaty.name,
                evidence={
                    "notification": notice.reference,
                    "kind": notice.kind,
                    "effective_date": notice.effective_date.isoformat(),
                    "due": deadline.due.isoformat(),
                    "submitted": submitted.isoformat(),
                    "rule": deadline.rule,
                },
            )
        )
    return breaches + missing_annual_exchanges(as_of, treaties, party)


def submitted_by(as_of: datetime.date, party: int | None = None):
    """The notifications submitted by ``as_of`` (of ``party`` only, if given)."""
    submitted = Notification.objects.filter(status__in=SUBMITTED_STATUSES, submitted_at__date__lte=as_of)
    return submitted if party is None else submitted.filter(party=party)


def missing_annual_exchanges(as_of: datetime.date, treaties: list[Treaty], party: int | None = None) -> list[Breach]:
    """A party that had declared before a year began, with no annual exchange for that year known by ``as_of``;
    ``party`` only, if given."""
    submitted = submitted_by(as_of, party)
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
            treaty = min(in_force(treaties, new_year), key=lambda t: t.name, default=None)
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
