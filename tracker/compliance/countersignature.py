"""``late_countersignature``: the escort countersigned a report later than the treaty allows, or had not when
the time ran out (Protocol on Inspection, Section XII.1(B): the escort team "shall countersign the report
within one hour after having received the report from the inspection team").

The hour runs from the team leader's signature, which is the report's handing over (XII.2); exactly the
hours allowed is in time. The treaty is the report's request's; for a report recorded without a request,
of the treaties in force on the day it was signed, the one allowing the fewest hours (as a change
notification is held to the deadline falling first); none in force, no limit. An evaluation as of a day
reads the end of that day: a report still not countersigned when its time ran out that day is late.
An extension the teams agreed (XII.1(B)) is the escort's comment to make, not a rule applied here.
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from tracker.compliance.breach import LATE_COUNTERSIGNATURE, Breach
from tracker.compliance.inspections import place_of, smallest_zones
from tracker.dates import shifted
from tracker.models import Inspection, ReportStatus, Treaty
from tracker.models.treaties import TREATY_IN_FORCE

RULE = "Protocol on Inspection, Section XII.1(B)"


@dataclass(frozen=True)
class Countersignature:
    report: Inspection
    treaty: Treaty
    due: datetime.datetime

    def late_before(self, moment: datetime.datetime | None) -> bool:
        """Whether the time ran out before ``moment`` (None: ever) with no countersignature in time."""
        countersigned = self.report.countersigned_at
        in_time = countersigned is not None and countersigned <= self.due
        return not in_time and (moment is None or self.due < moment)


def treaty_of(report: Inspection, treaties: list[Treaty]) -> Treaty | None:
    if report.request_id:
        return report.request.treaty
    signed = timezone.localdate(report.signed_at)
    in_force = [treaty for treaty in treaties if TREATY_IN_FORCE.holds(treaty, signed)]
    return min(in_force, key=lambda treaty: (treaty.countersign_hours, treaty.name), default=None)


def countersignatures() -> list[Countersignature]:
    """Every signed report with the treaty it answers to and the moment its countersignature was due."""
    treaties = list(Treaty.objects.all())
    reports = (
        Inspection.objects.filter(status__in=[ReportStatus.SIGNED, ReportStatus.COUNTERSIGNED])
        .select_related("inspected_party", "site", "request__treaty")
        .order_by("signed_at", "reference")
    )
    found = []
    for report in reports:
        treaty = treaty_of(report, treaties)
        if treaty is not None:
            due = report.signed_at + datetime.timedelta(hours=treaty.countersign_hours)
            found.append(Countersignature(report, treaty, due))
    return found


def end_of(day: datetime.date) -> datetime.datetime | None:
    """The first moment after ``day``; None after the calendar's last day."""
    after = shifted(day, 1)
    return None if after == day else timezone.make_aware(datetime.datetime.combine(after, datetime.time.min))


def late_countersignatures(as_of: datetime.date) -> list[Breach]:
    end = end_of(as_of)
    late = [c for c in countersignatures() if c.late_before(end)]
    zones = smallest_zones([c.report for c in late])
    return [
        Breach(
            kind=LATE_COUNTERSIGNATURE,
            as_of=as_of,
            zone=zone,
            party=c.report.inspected_party.code,
            category=None,
            limit=None,
            counted=None,
            excess=None,
            treaty=c.treaty.name,
            evidence={
                "inspection": c.report.reference,
                "rule": RULE,
                "signed_at": c.report.signed_at.isoformat(),
                "countersigned_at": c.report.countersigned_at.isoformat() if c.report.countersigned_at else None,
                "hours": c.treaty.countersign_hours,
            },
            geometry=place_of(c.report),
        )
        for c, zone in zip(late, zones)
    ]


def countersignature_dates() -> set[datetime.date]:
    """The days a countersignature falls due: a finding may begin on one."""
    return {timezone.localdate(c.due) for c in countersignatures()}
