"""The findings register: each finding kept from the day it was first seen to the day it was resolved, with
its grade and state (CFE Art. XIII.3; Protocol on Inspection, Sections VI.38 and VII.11), and an alert entry
for each finding new, resolved, or given a state."""

import datetime

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories as f
from tracker import compliance, findings_register, runs
from tracker.models import AlertEntry, Finding

D = datetime.date
ANNUAL_EXCHANGE = datetime.datetime(2025, 12, 1, 9, tzinfo=datetime.UTC)


@pytest.fixture
def over_the_ceiling():
    """UKR's tanks in Z1 (limit 100): 90 in January, 120 from 1 February, 130 from 1 March, 95 from 1 April,
    140 from 1 May."""
    ukr = f.party("UKR")
    f.ceiling(f.zone("Z1"), 100)
    base = f.site(ukr)
    f.notification(ukr, D(2026, 1, 1), [(base, "tanks", 90)], kind="annual", submitted_at=ANNUAL_EXCHANGE)
    for day, tanks in ((D(2026, 2, 1), 120), (D(2026, 3, 1), 130), (D(2026, 4, 1), 95), (D(2026, 5, 1), 140)):
        f.notification(ukr, day, [(base, "tanks", tanks)])


def ceiling_finding() -> Finding:
    return Finding.objects.get(kind="ceiling_exceeded")


def test_a_new_finding_is_opened_on_the_day_it_is_first_seen_with_an_alert(over_the_ceiling):
    assert findings_register.refresh(D(2026, 1, 15)) == []

    (entry,) = findings_register.refresh(D(2026, 2, 15))

    finding = ceiling_finding()
    assert (finding.first_seen, finding.last_seen, finding.resolved_on) == (D(2026, 2, 15), D(2026, 2, 15), None)
    assert (finding.state, finding.grade, finding.counted, finding.limit) == ("open", "breach", 120, 100)
    assert (entry.event, entry.finding, entry.zone, entry.party, entry.kind, entry.grade) == (
        "finding_new",
        finding,
        "Z1",
        "UKR",
        "ceiling_exceeded",
        "breach",
    )
    assert entry.title == "ceiling_exceeded: UKR tanks in Z1, 120 > 100"
    assert entry.summary["first_seen"] == "2026-02-15" and entry.summary["excess"] == 20


def test_a_finding_still_found_is_seen_later_with_its_new_figures_and_no_alert(over_the_ceiling):
    findings_register.refresh(D(2026, 2, 15))

    assert findings_register.refresh(D(2026, 3, 15)) == []

    finding = ceiling_finding()
    assert (finding.first_seen, finding.last_seen, finding.counted, finding.state) == (
        D(2026, 2, 15),
        D(2026, 3, 15),
        130,
        "open",
    )


def test_a_finding_no_longer_found_is_resolved_on_that_day_with_an_alert(over_the_ceiling):
    findings_register.refresh(D(2026, 2, 15))
    findings_register.refresh(D(2026, 3, 15))

    (entry,) = findings_register.refresh(D(2026, 4, 15))

    finding = ceiling_finding()
    assert (finding.last_seen, finding.resolved_on, finding.state) == (D(2026, 3, 15), D(2026, 4, 15), "resolved")
    assert (entry.event, entry.finding, entry.title) == (
        "finding_resolved",
        finding,
        "resolved: ceiling_exceeded: UKR tanks in Z1, 130 > 100",
    )


def test_a_resolved_finding_found_again_reopens_as_new(over_the_ceiling):
    findings_register.refresh(D(2026, 2, 15))
    findings_register.refresh(D(2026, 4, 15))

    (entry,) = findings_register.refresh(D(2026, 5, 15))

    finding = ceiling_finding()
    assert (finding.first_seen, finding.last_seen, finding.resolved_on, finding.state) == (
        D(2026, 2, 15),
        D(2026, 5, 15),
        None,
        "open",
    )
    assert (entry.event, entry.title) == ("finding_new", "ceiling_exceeded: UKR tanks in Z1, 140 > 100")


def test_refreshing_the_same_day_twice_writes_nothing_the_second_time(over_the_ceiling):
    findings_register.refresh(D(2026, 2, 15))
    findings_register.refresh(D(2026, 4, 15))
    entries = AlertEntry.objects.count()

    assert findings_register.refresh(D(2026, 4, 15)) == []
    assert AlertEntry.objects.count() == entries
    assert ceiling_finding().resolved_on == D(2026, 4, 15)


def test_it_refuses_to_go_back_to_a_day_before_the_registers_latest(over_the_ceiling):
    findings_register.refresh(D(2026, 3, 15))

    with pytest.raises(findings_register.RegisterBehind, match="as_of: 2026-03-14 is before 2026-03-15"):
        findings_register.refresh(D(2026, 3, 14))
    assert ceiling_finding().last_seen == D(2026, 3, 15)


def test_the_day_a_finding_was_resolved_is_the_registers_latest(over_the_ceiling):
    findings_register.refresh(D(2026, 2, 15))
    findings_register.refresh(D(2026, 4, 15))

    with pytest.raises(findings_register.RegisterBehind):
        findings_register.refresh(D(2026, 4, 14))


def test_a_refresh_takes_a_fixed_number_of_queries_however_many_findings_it_writes():
    ukr = f.party("UKR")

    def queries(zones: int, day: D) -> int:
        for number in range(zones):
            zone = f.zone(
                f"Z{day.month}-{number}", geom=f.square(20 + number, 40 + day.month, 21 + number, 41 + day.month)
            )
            f.ceiling(zone, 10)
            site = f.site(ukr, 20.5 + number, 40.5 + day.month)
            f.notification(ukr, D(2026, 1, 1), [(site, "tanks", 12)], kind="annual", submitted_at=ANNUAL_EXCHANGE)
        breaches = compliance.evaluate(day)
        with CaptureQueriesContext(connection) as context:
            findings_register.refresh(day, breaches)
        return len(context.captured_queries)

    # Lock, latest day, known findings, new ones, those still found, those resolved, the alerts; an empty
    # list writes nothing. The first refresh opens one finding; the second opens five, sees the first again.
    assert queries(1, D(2026, 1, 1)) == 9  # + the webhooks that hear of the alerts (tracker.alerts.enqueue)
    assert queries(5, D(2026, 2, 1)) == 10
    assert Finding.objects.filter(kind="ceiling_exceeded", resolved_on=None).count() == 6


def test_explaining_findings_gives_them_the_state_with_an_alert_saying_why(over_the_ceiling):
    findings_register.refresh(D(2026, 2, 15))
    finding = ceiling_finding()

    (entry,) = findings_register.set_state([finding], "explained", "a temporary deployment, notified late")

    finding.refresh_from_db()
    assert finding.state == "explained"
    assert (entry.event, entry.finding, entry.title) == (
        "finding_state",
        finding,
        "explained: ceiling_exceeded: UKR tanks in Z1, 120 > 100",
    )
    assert (entry.summary["from"], entry.summary["why"], entry.summary["state"]) == (
        "open",
        "a temporary deployment, notified late",
        "explained",
    )
    assert findings_register.set_state([finding], "explained", "again") == []
    findings_register.refresh(D(2026, 3, 15))
    assert ceiling_finding().state == "explained"


def test_a_disputed_finding_is_disputed_and_a_resolved_one_keeps_its_state(over_the_ceiling):
    findings_register.refresh(D(2026, 2, 15))
    (entry,) = findings_register.set_state(Finding.objects.all(), "disputed", "the count is contested")
    assert (entry.event, ceiling_finding().state) == ("finding_state", "disputed")

    findings_register.refresh(D(2026, 4, 15))
    assert findings_register.set_state(Finding.objects.all(), "explained", "too late") == []
    assert ceiling_finding().state == "resolved"


def test_set_state_refuses_resolved_and_a_change_without_a_reason(over_the_ceiling):
    findings_register.refresh(D(2026, 2, 15))
    with pytest.raises(ValueError, match="state: 'resolved' is not one of"):
        findings_register.set_state(Finding.objects.all(), "resolved", "closed")
    with pytest.raises(ValueError, match="why: a change of state says why"):
        findings_register.set_state(Finding.objects.all(), "explained", " ")


def test_recording_a_run_refreshes_the_register(over_the_ceiling):
    runs.record_run(D(2026, 2, 15))
    assert ceiling_finding().first_seen == D(2026, 2, 15)


def test_the_refresh_command_reports_each_change_and_refuses_to_go_back(over_the_ceiling, capsys):
    call_command("findings_refresh", "--as-of", "2026-02-15")
    assert "new finding: ceiling_exceeded: UKR tanks in Z1, 120 > 100" in capsys.readouterr().out

    with pytest.raises(CommandError, match="--as-of: 2026-02-01 is before 2026-02-15"):
        call_command("findings_refresh", "--as-of", "2026-02-01")
