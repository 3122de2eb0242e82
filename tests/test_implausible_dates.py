"""Dates outside the treaty regime's plausible range (tracker.dates) are refused wherever they are given."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from tests import factories as f
from tests.test_admin_notification_workflow import header, lines
from tracker import services
from tracker.dates import EARLIEST, YEARS_AHEAD, latest
from tracker.models import Inspection, Notification, Observation
from tracker.roles import Role

TOO_EARLY = ["0001-01-01", "0001-01-29", "1989-12-31", (EARLIEST - datetime.timedelta(days=1)).isoformat()]


def too_late() -> list[str]:
    return ["9999-12-31", (latest() + datetime.timedelta(days=1)).isoformat()]


def implausible() -> list[str]:
    return TOO_EARLY + too_late()


def test_the_range_runs_from_the_cfe_signature_to_a_few_years_ahead():
    assert EARLIEST == datetime.date(1990, 11, 19)
    assert latest().year == datetime.date.today().year + YEARS_AHEAD


@pytest.mark.parametrize("index", range(6))
def test_an_officer_cannot_post_a_notification_effective_outside_the_range(index):
    f.site(f.party("UKR"), code="KHA")
    client = f.api(f.person("officer", Role.OFFICER, f.party("UKR")))
    day = implausible()[index]
    body = {
        "reference": "UKR-1",
        "party": "UKR",
        "kind": "change",
        "effective_date": day,
        "lines": [{"site": "KHA", "category": "tanks", "quantity": 1}],
    }
    response = client.post("/api/notifications/", body, format="json")
    assert response.status_code == 400
    assert day in response.json()["effective_date"][0]
    assert not Notification.objects.exists()


def test_the_range_bounds_themselves_are_accepted():
    f.site(f.party("UKR"), code="KHA")
    client = f.api(f.person("officer", Role.OFFICER, f.party("UKR")))
    for n, day in enumerate([EARLIEST, latest()]):
        body = {
            "reference": f"UKR-{n}",
            "party": "UKR",
            "kind": "change",
            "effective_date": day.isoformat(),
            "lines": [{"site": "KHA", "category": "tanks", "quantity": 1}],
        }
        assert client.post("/api/notifications/", body, format="json").status_code == 201


def test_an_analyst_cannot_post_an_observation_dated_9999_12_31():
    client = f.api(f.person("analyst", Role.ANALYST))
    feature = {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [37.5, 47.1]},
        "properties": {
            "reference": "OBS-1",
            "source": "satellite",
            "observed_on": "9999-12-31",
            "category": "tanks",
            "count": 3,
            "confidence": 0.5,
        },
    }
    response = client.post("/api/observations/", feature, format="json")
    assert response.status_code == 400
    assert "9999-12-31 is more than 5 years ahead" in response.json()["observed_on"][0]
    assert not Observation.objects.exists()


def test_an_inspector_cannot_report_an_inspection_of_year_one():
    f.site(f.party("RUS"), code="PSK")
    client = f.api(f.person("inspector", Role.INSPECTOR, f.party("UKR")))
    body = {
        "reference": "I-1",
        "inspecting_party": "UKR",
        "inspected_party": "RUS",
        "kind": "declared_site",
        "date": "0001-01-01",
        "site": "PSK",
        "findings": [{"category": "tanks", "observed": 1}],
    }
    response = client.post("/api/inspections/", body, format="json")
    assert response.status_code == 400
    assert "before 1990-11-19" in response.json()["date"][0]
    assert not Inspection.objects.exists()


@pytest.mark.parametrize(
    "path, name",
    [
        ("/api/violations/", "as_of"),
        ("/api/zones/", "as_of"),
        ("/api/zones/Z1/status/", "as_of"),
        ("/api/holdings/", "as_of"),
        ("/api/zones/Z1/history/", "from"),
        ("/api/zones/Z1/history/", "to"),
    ],
)
def test_a_question_about_a_day_outside_the_range_is_a_400_naming_the_parameter(path, name):
    f.zone("Z1")
    client = f.api(f.person("monitor", Role.MONITOR))
    for day in implausible():
        response = client.get(path, {name: day})
        assert response.status_code == 400, (day, response.content)
        assert day in response.json()[name][0]


def test_the_admin_dashboard_refuses_a_day_outside_the_range(client):
    f.sign_in(client, f.person("monitor", Role.MONITOR))
    response = client.get("/admin/compliance/", {"as_of": "0001-01-01"})
    assert response.status_code == 200
    assert "0001-01-01 is before 1990-11-19" in response.content.decode()


def test_the_admin_refuses_a_notification_effective_on_9999_12_31(client):
    ukr = f.party("UKR")
    site = f.site(ukr, code="KYIV-1")
    f.sign_in(client, f.person("officer", Role.OFFICER, ukr))
    data = header(ukr, effective_date="9999-12-31") | lines((site, "tanks", 4, "active")) | {"_save": "Save"}
    response = client.post("/admin/tracker/notification/add/", data)
    assert response.status_code == 200
    assert "9999-12-31 is more than 5 years ahead" in response.content.decode()
    assert not Notification.objects.exists()


def test_a_draft_stored_before_the_rule_cannot_be_submitted_with_an_implausible_date():
    ukr = f.party("UKR")
    draft = f.notification(ukr, datetime.date(9999, 12, 31), [(f.site(ukr), "tanks", 1)], submit=False)
    with pytest.raises(ValidationError) as refused:
        services.submit(draft)
    assert refused.value.messages == [
        "the effective date 9999-12-31 is more than 5 years ahead (after " + latest().isoformat() + ")"
    ]
    draft.refresh_from_db()
    assert draft.is_draft


def test_check_compliance_refuses_a_day_outside_the_range():
    with pytest.raises(CommandError, match="--as-of: 9999-12-31 is more than 5 years ahead"):
        call_command("check_compliance", "--as-of", "9999-12-31")
