"""Inspection requests in the admin and in the database: each side writes its own moments, a team of ten
is refused everywhere (Protocol on Inspection, Section VI.2), and a third party finds nothing, not even
in the audit trail or on the calendar."""

import datetime

import pytest
from django.db import IntegrityError, connection
from django.test import Client

from tests import factories as f
from tracker.compliance import evaluate, readable_by
from tracker.evidence import admin_urls
from tracker.models import InspectionRequest
from tracker.roles import Role

T = datetime.datetime(2026, 3, 4, 8, 0, tzinfo=datetime.UTC)
ADD = "/admin/tracker/inspectionrequest/add/"
EVENTS = "/admin/tracker/auditevent/"


@pytest.fixture
def parties():
    f.treaty()
    return f.party("UKR"), f.party("BLR")


def signed_in(username: str, role: str, code: str) -> Client:
    client = Client()
    f.sign_in(client, f.person(username, role, f.party(code)))
    return client


def notice(parties, team: int = 9, **changes) -> dict:
    ukr, blr = parties
    return {
        "reference": "UKR-R1",
        "treaty": f.treaty().pk,
        "inspecting_party": ukr.pk,
        "inspected_party": blr.pk,
        "kind": "declared_site",
        "notified_at_0": "2026-03-04",
        "notified_at_1": "08:00:00",
        "estimated_arrival_0": "2026-03-05",
        "estimated_arrival_1": "20:00:00",
        "point_of_entry": "Minsk airport",
        "team": "\n".join(f"Inspector {n}" for n in range(1, team + 1)),
        "arrived_at_0": "",
        "arrived_at_1": "",
        "designated_at_0": "",
        "designated_at_1": "",
        "departed_at_0": "",
        "departed_at_1": "",
        "object_of_verification": "",
        "area": "",
        **changes,
    }


def test_an_inspector_notifies_a_team_of_nine(parties, client):
    f.sign_in(client, f.person("inspector-ukr", Role.INSPECTOR, parties[0]))
    response = client.post(ADD, notice(parties))
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert len(InspectionRequest.objects.get().team) == 9


def test_a_team_of_ten_is_a_form_error_naming_the_treaty(parties, client):
    f.sign_in(client, f.person("inspector-ukr", Role.INSPECTOR, parties[0]))
    response = client.post(ADD, notice(parties, team=10))
    assert response.context["adminform"].form.errors["team"] == [
        "a team of 10 inspectors; the treaty allows 9 (Protocol on Inspection, Section VI.2)"
    ]
    assert not InspectionRequest.objects.exists()


def test_the_database_refuses_a_team_of_ten_written_in_raw_sql(parties):
    made = f.inspection_request(*parties, T)
    with pytest.raises(IntegrityError), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE tracker_inspectionrequest SET team = %s WHERE id = %s", [[f"I{n}" for n in range(10)], made.pk]
        )


def test_the_escort_writes_only_the_acknowledgement_and_the_answer(parties, client):
    made = f.inspection_request(*parties, T)
    f.sign_in(client, f.person("escort-blr", Role.INSPECTOR, parties[1]))
    page = client.get(f"/admin/tracker/inspectionrequest/{made.pk}/change/")
    form = page.context["adminform"].form
    assert set(form.fields) == {"acknowledged_at", "answer", "answered_at", "assurance"}
    assert "time limits" in page.content.decode().lower()


def test_a_declared_site_refusal_is_recorded_and_becomes_a_finding(parties, client):
    made = f.inspection_request(*parties, T, acknowledged_at=T)
    f.sign_in(client, f.person("escort-blr", Role.INSPECTOR, parties[1]))
    response = client.post(
        f"/admin/tracker/inspectionrequest/{made.pk}/change/",
        {
            "acknowledged_at_0": "2026-03-04",
            "acknowledged_at_1": "08:00:00",
            "answer": "refused",
            "answered_at_0": "2026-03-05",
            "answered_at_1": "21:00:00",
            "assurance": "",
        },
    )
    assert response.context["adminform"].form.errors["assurance"]
    response = client.post(
        f"/admin/tracker/inspectionrequest/{made.pk}/change/",
        {
            "acknowledged_at_0": "2026-03-04",
            "acknowledged_at_1": "08:00:00",
            "answer": "refused",
            "answered_at_0": "2026-03-05",
            "answered_at_1": "21:00:00",
            "assurance": "the site is closed for repairs",
        },
    )
    assert response.status_code == 302
    assert [b.kind for b in evaluate(datetime.date(2026, 3, 6))] == ["inspection_refused"]


@pytest.mark.parametrize("role", [Role.OFFICER, Role.MONITOR, Role.INSPECTOR])
def test_a_third_party_finds_the_request_nowhere(parties, role):
    made = f.inspection_request(*parties, T, reference="UKR-SECRET")
    user = f.person("outsider", role, f.party("POL"))
    outsider = Client()
    f.sign_in(outsider, user)
    listing = outsider.get("/admin/tracker/inspectionrequest/")
    assert listing.status_code == 200 and "UKR-SECRET" not in listing.content.decode()
    assert outsider.get(f"/admin/tracker/inspectionrequest/{made.pk}/change/").status_code == 404
    assert outsider.get(EVENTS, {"method": "tracks", "obj": f"tracker.InspectionRequest:{made.pk}"}).status_code == 404
    assert "UKR-SECRET" not in outsider.get(EVENTS, {"model": "tracker.InspectionRequest"}).content.decode()
    assert "UKR-SECRET" not in outsider.get("/admin/tracker/inspectionrequest/calendar/?month=2026-03").content.decode()
    assert admin_urls("request", {"UKR-SECRET"}, user) == {}


def test_a_third_party_reads_no_finding_about_the_request(parties):
    f.inspection_request(*parties, T)  # never acknowledged
    outsider = f.person("outsider", Role.MONITOR, f.party("POL"))
    escort = f.person("escort", Role.INSPECTOR, parties[1])
    found = evaluate(datetime.date(2026, 3, 6))
    assert [b.kind for b in readable_by(found, escort)] == ["late_acknowledgement"]
    assert readable_by(found, outsider) == []


def test_both_parties_see_the_request_and_its_audit_trail(parties):
    made = f.inspection_request(*parties, T)
    for code in ("UKR", "BLR"):
        reader = signed_in(f"monitor-{code}", Role.MONITOR, code)
        assert reader.get(f"/admin/tracker/inspectionrequest/{made.pk}/change/").status_code == 200
        events = reader.get(EVENTS, {"method": "tracks", "obj": f"tracker.InspectionRequest:{made.pk}"})
        assert events.status_code == 200


def test_the_calendar_shows_each_request_on_its_days(parties):
    f.inspection_request(
        *parties,
        T,
        reference="UKR-R7",
        estimated_arrival=T + datetime.timedelta(days=2),
        arrived_at=T + datetime.timedelta(days=2),
        departed_at=T + datetime.timedelta(days=4),
    )
    page = signed_in("inspector-ukr", Role.INSPECTOR, "UKR").get(
        "/admin/tracker/inspectionrequest/calendar/?month=2026-03"
    )
    assert page.status_code == 200
    days = [day for week in page.context["weeks"] for day in week if day.requests]
    assert [day.date.day for day in days] == [6, 7, 8]
    assert {state for day in days for _, state, _ in day.requests} == {"done"}
