"""``/api/inspection-requests/``: the inspecting party notifies and records its team's moments, the escort
acknowledges and answers, a third party sees nothing (Protocol on Inspection, Sections IV, VI.2, VII, VIII)."""

import datetime

import pytest

from tests import factories as f
from tracker.models import InspectionRequest
from tracker.roles import Role

T = datetime.datetime(2026, 3, 4, 8, 0, tzinfo=datetime.UTC)
URL = "/api/inspection-requests/"


def at(hours: float) -> str:
    return (T + datetime.timedelta(hours=hours)).isoformat()


@pytest.fixture
def ukr():
    f.treaty()
    return f.party("UKR")


@pytest.fixture
def blr():
    return f.party("BLR")


def client(code: str, role: str = Role.INSPECTOR):
    return f.api(f.person(f"{role}-{code}".replace(" ", "-"), role, f.party(code)))


def notice(**changes) -> dict:
    return {
        "reference": "UKR-R1",
        "treaty": "Settlement",
        "inspecting_party": "UKR",
        "inspected_party": "BLR",
        "kind": "declared_site",
        "notified_at": at(0),
        "point_of_entry": "Minsk airport",
        "estimated_arrival": at(36),
        "team": [f"Inspector {n}" for n in range(1, 10)],
        **changes,
    }


def test_the_inspecting_partys_inspector_notifies_and_the_escort_acknowledges(ukr, blr):
    response = client("UKR").post(URL, notice(), format="json")
    assert response.status_code == 201, response.json()
    escort = client("BLR")
    response = escort.patch(f"{URL}UKR-R1/", {"acknowledged_at": at(2)}, format="json")
    assert response.status_code == 200, response.json()
    body = escort.get(f"{URL}UKR-R1/").json()
    assert body["acknowledged_at"] == "2026-03-04T10:00:00Z"
    limits = {limit["kind"]: limit for limit in body["time_limits"]}
    assert limits["short_inspection_notice"] == {
        "kind": "short_inspection_notice",
        "measured": "notice before the estimated arrival",
        "limit": "at least 36 h",
        "hours": 36.0,
        "state": "ok",
    }
    assert limits["late_acknowledgement"]["state"] == "ok"


def test_a_team_of_10_is_refused_naming_the_field_and_nothing_is_written(ukr, blr):
    response = client("UKR").post(URL, notice(team=[f"Inspector {n}" for n in range(10)]), format="json")
    assert response.status_code == 400
    assert response.json() == {
        "team": ["a team of 10 inspectors; the treaty allows 9 (Protocol on Inspection, Section VI.2)"]
    }
    assert not InspectionRequest.objects.exists()


def test_the_inspecting_party_may_not_write_the_escorts_fields(ukr, blr):
    team = client("UKR")
    team.post(URL, notice(), format="json")
    response = team.patch(f"{URL}UKR-R1/", {"acknowledged_at": at(1)}, format="json")
    assert response.status_code == 400
    assert response.json() == {"acknowledged_at": ["recorded by the escort: an inspector of BLR"]}


def test_the_escort_may_not_write_the_teams_moments(ukr, blr):
    client("UKR").post(URL, notice(), format="json")
    response = client("BLR").patch(f"{URL}UKR-R1/", {"arrived_at": at(36)}, format="json")
    assert response.json() == {"arrived_at": ["recorded by the inspecting party: an inspector of UKR"]}


def test_a_party_does_not_notify_for_another(ukr, blr):
    response = client("BLR").post(URL, notice(), format="json")
    assert response.status_code == 403


def test_moments_out_of_order_are_refused_naming_the_field(ukr, blr):
    team = client("UKR")
    team.post(URL, notice(), format="json")
    response = team.patch(f"{URL}UKR-R1/", {"arrived_at": at(36), "designated_at": at(35)}, format="json")
    assert response.status_code == 400
    assert response.json()["designated_at"] == [
        "is before the arrival at the point of entry (2026-03-05T20:00:00+00:00)"
    ]


def test_the_designated_object_is_one_of_the_inspected_party(ukr, blr):
    theirs = f.object_of_verification(f.site(blr, code="BY1"), "BY-OV1")
    ours = f.object_of_verification(f.site(ukr, code="UA1"), "UA-OV1")
    f.notification(blr, datetime.date(2026, 1, 1), [(theirs, "tanks", 10)])
    f.notification(ukr, datetime.date(2026, 1, 1), [(ours, "tanks", 10)])
    team = client("UKR")
    team.post(URL, notice(), format="json")
    wrong = team.patch(
        f"{URL}UKR-R1/", {"arrived_at": at(36), "designated_at": at(38), "object": "UA-OV1"}, format="json"
    )
    assert wrong.json() == {"object": ["BLR has no object of verification 'UA-OV1'"]}
    right = team.patch(
        f"{URL}UKR-R1/", {"arrived_at": at(36), "designated_at": at(38), "object": "BY-OV1"}, format="json"
    )
    assert right.status_code == 200, right.json()
    assert InspectionRequest.objects.get().object_of_verification == theirs


def test_a_refusal_without_assurance_is_refused_and_with_it_recorded(ukr, blr):
    team = client("UKR")
    area = {"type": "Polygon", "coordinates": [[[28, 53], [28.05, 53], [28.05, 53.03], [28, 53.03], [28, 53]]]}
    team.post(URL, notice(kind="challenge"), format="json")
    team.patch(f"{URL}UKR-R1/", {"arrived_at": at(36), "designated_at": at(38), "area": area}, format="json")
    escort = client("BLR")
    refusal = {"answer": "refused", "answered_at": at(39)}
    response = escort.patch(f"{URL}UKR-R1/", refusal, format="json")
    assert response.status_code == 400 and list(response.json()) == ["assurance"]
    response = escort.patch(f"{URL}UKR-R1/", {**refusal, "assurance": "no equipment there"}, format="json")
    assert response.status_code == 200, response.json()


def test_a_refused_declared_site_inspection_is_recorded_as_a_breach(ukr, blr):
    client("UKR").post(URL, notice(), format="json")
    refusal = {"answer": "refused", "answered_at": at(37), "assurance": "the site is closed"}
    response = client("BLR").patch(f"{URL}UKR-R1/", refusal, format="json")
    assert response.status_code == 200, response.json()
    limits = {limit["kind"]: limit["state"] for limit in response.json()["time_limits"]}
    assert limits["inspection_refused"] == "breached"


@pytest.mark.parametrize("role", [Role.INSPECTOR, Role.OFFICER, Role.MONITOR])
def test_a_third_partys_users_neither_list_nor_find_a_request(ukr, blr, role):
    f.inspection_request(ukr, blr, T, reference="UKR-R9")
    outsider = client("POL", role)
    assert outsider.get(URL).json()["results"] == []
    assert outsider.get(f"{URL}UKR-R9/").status_code == 404
    assert outsider.patch(f"{URL}UKR-R9/", {"acknowledged_at": at(1)}, format="json").status_code in (403, 404)


def test_the_list_filters_by_party_kind_and_year(ukr, blr):
    f.inspection_request(ukr, blr, T, reference="UKR-A")
    f.inspection_request(blr, ukr, T - datetime.timedelta(days=400), reference="BLR-B")
    reader = client("UKR")
    assert [r["reference"] for r in reader.get(f"{URL}?year=2026").json()["results"]] == ["UKR-A"]
    assert [r["reference"] for r in reader.get(f"{URL}?inspecting_party=BLR").json()["results"]] == ["BLR-B"]
    assert reader.get(f"{URL}?kind=challenge").json()["results"] == []
    assert len(reader.get(f"{URL}?party=BLR").json()["results"]) == 2


def test_a_reference_is_in_the_inspecting_partys_series(ukr, blr):
    response = client("UKR").post(URL, notice(reference="X-1"), format="json")
    assert response.json() == {"reference": ["a UKR request's reference begins with UKR-"]}


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"team": "Inspector One"}, "team"),
        ({"notified_at": "3024-01-01T00:00:00Z"}, "notified_at"),
        ({"point_of_entry": "Minsk\x00"}, "point_of_entry"),
        ({"kind": "surprise"}, "kind"),
        ({"treaty": "Nonesuch"}, "treaty"),
        ({"estimated_arrival": at(-1)}, "estimated_arrival"),
    ],
)
def test_bad_input_is_a_400_naming_the_field_never_a_server_error(ukr, blr, changes, field):
    response = client("UKR").post(URL, notice(**changes), format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not InspectionRequest.objects.exists()
