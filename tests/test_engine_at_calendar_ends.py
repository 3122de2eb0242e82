"""Rows dated at the ends of the calendar, as an older version or plain SQL may have stored them, break no page."""

import datetime

import pytest
from django.core.management import call_command

from tests import factories as f
from tracker import compliance, services
from tracker.models import Notification, NotificationStatus
from tracker.models.declarations import refresh_periods
from tracker.roles import Role

D = datetime.date
FIRST, LAST = datetime.date.min, datetime.date.max


def submitted_directly(notice: Notification, day: int) -> Notification:
    """Submitted by SQL, as an older version or a hand-made fix could have: submission checks never ran."""
    at = datetime.datetime(2026, 1, day, tzinfo=datetime.UTC)
    Notification.objects.filter(pk=notice.pk).update(status=NotificationStatus.SUBMITTED, submitted_at=at)
    refresh_periods()
    return Notification.objects.get(pk=notice.pk)


@pytest.fixture
def stored_at_the_ends():
    """A submitted change effective 9999-12-31 (corrected too), an observation of that day, ceilings and
    a zone version open to the calendar's last day: what input checks now refuse, written directly."""
    f.treaty(in_force_from=FIRST)
    ukr, rus = f.party("UKR"), f.party("RUS")
    zone = f.zone("Z1", valid_from=FIRST, valid_to=LAST)
    f.ceiling(zone, 10, valid_from=FIRST, valid_to=LAST)
    site = f.site(ukr)
    f.notification(ukr, D(2026, 1, 1), [(site, "tanks", 12)])
    future = submitted_directly(f.notification(ukr, LAST, [(site, "tanks", 3)], submit=False), day=2)
    submitted_directly(f.notification(ukr, FIRST, [(site, "acv", 3)], kind="annual", submit=False), day=2)
    correction = services.correct(future)
    Notification.objects.filter(pk=future.pk).update(status=NotificationStatus.SUPERSEDED)
    submitted_directly(correction, day=3)
    f.inspection(rus, ukr, LAST, {"tanks": 20}, site=site)
    f.observation(LAST, 35.0, 48.0, 20, owner=ukr)
    f.observation(FIRST, 35.0, 48.0, 20, owner=ukr)
    return zone


@pytest.mark.parametrize("day", [FIRST, D(1, 1, 29), D(2026, 6, 1), LAST])
def test_the_engine_evaluates_any_day_the_calendar_holds(stored_at_the_ends, day):
    breaches = compliance.evaluate(day)
    assert all(breach.as_of == day for breach in breaches)
    compliance.zone_states(day)
    compliance.zone_status(stored_at_the_ends, day)


def test_change_dates_stop_at_the_last_day_of_the_calendar(stored_at_the_ends):
    dates = compliance.change_dates()
    assert dates[0] == FIRST and dates[-1] == LAST


@pytest.mark.parametrize(
    "path", ["/api/violations/", "/api/zones/", "/api/zones/Z1/status/", "/api/dates/", "/admin/compliance/"]
)
def test_pages_that_read_the_engine_answer_despite_rows_at_the_ends(stored_at_the_ends, path, client):
    f.sign_in(client, f.person("monitor", Role.MONITOR))
    assert client.get(path).status_code == 200


def test_check_compliance_reports_despite_rows_at_the_ends(stored_at_the_ends, capsys):
    with pytest.raises(SystemExit) as stopped:
        call_command("check_compliance", "--as-of", "2026-06-01", "--format", "json")
    assert stopped.value.code == 1
    assert '"kind": "ceiling_exceeded"' in capsys.readouterr().out
