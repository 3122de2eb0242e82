"""Late countersignatures (Protocol on Inspection, Section XII.1(B): the escort countersigns "within one hour after
having received the report"), and inspection findings only from signed reports (XII.2, VI.39)."""

import datetime

import pytest

from tests import factories as f
from tracker.compliance import changes, engine
from tracker.compliance.breach import INSPECTION_DISCREPANCY, LATE_COUNTERSIGNATURE
from tracker.models import Inspection, InspectionRequest, ReportStatus, Treaty

DAY = datetime.date(2026, 3, 2)
SIGNED = datetime.datetime(2026, 3, 2, 10, 0, tzinfo=datetime.UTC)
MINUTE = datetime.timedelta(minutes=1)
HOUR = datetime.timedelta(hours=1)


@pytest.fixture
def world():
    f.treaty()
    ukr, rus = f.party("UKR"), f.party("RUS")
    return ukr, rus, f.site(rus, code="PSKOV-1")


def report(world, signed_at=SIGNED, countersigned_at=None, request=None) -> Inspection:
    ukr, rus, site = world
    report = f.inspection(ukr, rus, DAY, {}, site=site, status="draft")
    Inspection.objects.filter(pk=report.pk).update(request=request)
    Inspection.objects.filter(pk=report.pk).update(status=ReportStatus.SIGNED, signed_at=signed_at)
    if countersigned_at:
        Inspection.objects.filter(pk=report.pk).update(
            status=ReportStatus.COUNTERSIGNED, countersigned_at=countersigned_at
        )
    return report


def late(as_of=DAY):
    return [breach for breach in engine.evaluate(as_of) if breach.kind == LATE_COUNTERSIGNATURE]


def test_a_countersignature_exactly_an_hour_after_signing_is_in_time(world):
    report(world, countersigned_at=SIGNED + HOUR)
    assert late() == []


def test_a_countersignature_an_hour_and_a_minute_after_signing_is_late(world):
    inspection = report(world, countersigned_at=SIGNED + HOUR + MINUTE)
    (breach,) = late()
    assert (breach.party, breach.treaty, breach.zone) == ("RUS", "Settlement", None)
    assert breach.evidence == {
        "inspection": inspection.reference,
        "rule": "Protocol on Inspection, Section XII.1(B)",
        "signed_at": SIGNED.isoformat(),
        "countersigned_at": (SIGNED + HOUR + MINUTE).isoformat(),
        "hours": 1,
    }


def test_a_report_not_countersigned_is_late_once_the_hour_ran_out_that_day(world):
    report(world)
    (breach,) = late()
    assert breach.evidence["countersigned_at"] is None
    assert late(DAY - datetime.timedelta(days=1)) == []


def test_a_report_signed_an_hour_before_midnight_is_late_only_the_day_after(world):
    report(world, signed_at=datetime.datetime(2026, 3, 2, 23, 0, tzinfo=datetime.UTC))
    assert late(DAY) == []
    assert len(late(DAY + datetime.timedelta(days=1))) == 1


def test_a_report_signed_a_minute_later_is_late_the_same_day_its_hour_ends(world):
    report(world, signed_at=datetime.datetime(2026, 3, 2, 22, 59, tzinfo=datetime.UTC))
    assert len(late(DAY)) == 1


def test_the_treaty_allowing_fewest_hours_applies_to_a_report_without_a_request(world):
    f.treaty("Generous", countersign_hours=3)
    report(world, countersigned_at=SIGNED + 2 * HOUR)
    assert [breach.treaty for breach in late()] == ["Settlement"]


def test_the_request_s_treaty_applies_to_a_report_of_a_request(world):
    ukr, rus, _ = world
    generous = f.treaty("Generous", countersign_hours=3)
    request = InspectionRequest.objects.create(
        reference="UKR-R-1",
        treaty=generous,
        inspecting_party=ukr,
        inspected_party=rus,
        kind="declared_site",
        notified_at=SIGNED - 72 * HOUR,
        point_of_entry="Pskov airport",
        estimated_arrival=SIGNED - 24 * HOUR,
    )
    report(world, countersigned_at=SIGNED + 3 * HOUR, request=request)
    assert late() == []
    report(world, countersigned_at=SIGNED + 3 * HOUR + MINUTE, request=request)
    assert [breach.treaty for breach in late()] == ["Generous"]


def test_no_treaty_in_force_sets_no_hour(world):
    Treaty.objects.all().delete()
    report(world)
    assert late() == []


def test_the_day_a_countersignature_falls_due_is_a_change_date(world):
    report(world, signed_at=datetime.datetime(2026, 3, 2, 23, 30, tzinfo=datetime.UTC))
    assert DAY + datetime.timedelta(days=1) in changes.change_dates()


def test_a_draft_gives_no_finding(world):
    ukr, rus, site = world
    f.inspection(ukr, rus, DAY, {"tanks": 5}, site=site, status="draft")
    assert [breach for breach in engine.evaluate(DAY) if breach.kind == INSPECTION_DISCREPANCY] == []
    assert engine.ambiguities(DAY) == []


@pytest.mark.parametrize(
    ("status", "state"),
    [("signed", "signed by the team leader, not countersigned"), ("countersigned", "countersigned (locked)")],
)
def test_a_signed_report_gives_findings_that_say_its_state(world, status, state):
    ukr, rus, site = world
    f.inspection(ukr, rus, DAY, {"tanks": 5}, site=site, status=status)
    (breach,) = [breach for breach in engine.evaluate(DAY) if breach.kind == INSPECTION_DISCREPANCY]
    assert breach.evidence["report"] == state
