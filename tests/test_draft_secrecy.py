"""Probing from the other side: refusals, redirects and lists tell a party nothing of what it may not see."""

import datetime

import pytest
from django.test import Client

from tests import factories as f
from tracker.models import Accreditation, Observation
from tracker.roles import Role

D = datetime.date(2026, 3, 1)


@pytest.fixture
def rus_draft():
    rus = f.party("RUS")
    return f.notification(rus, D, [(f.site(rus, code="RUS-DEPOT"), "tanks", 412)], submit=False)


@pytest.fixture
def ukr_officer():
    ukr = f.party("UKR")
    f.site(ukr, code="KHA")
    return f.person("officer-ukr", Role.OFFICER, ukr)


def body(reference: str, **fields) -> dict:
    return {
        "reference": reference,
        "party": "UKR",
        "kind": "change",
        "effective_date": "2026-03-01",
        "lines": [{"site": "KHA", "category": "tanks", "quantity": 12}],
        **fields,
    }


def test_a_reference_another_party_drafted_is_refused_like_one_nobody_used(rus_draft, ukr_officer):
    client = f.api(ukr_officer)
    taken = client.post("/api/notifications/", body(rus_draft.reference), format="json")
    free = client.post("/api/notifications/", body("RUS-NEVER-USED"), format="json")
    assert taken.status_code == free.status_code == 400
    assert taken.json() == free.json() == {"reference": ["a UKR notification's reference begins with UKR-"]}


def test_a_reference_in_ones_own_series_is_refused_only_when_used(ukr_officer):
    client = f.api(ukr_officer)
    assert client.post("/api/notifications/", body("UKR-1"), format="json").status_code == 201
    again = client.post("/api/notifications/", body("UKR-1"), format="json")
    assert again.json() == {"reference": ["UKR-1 is already a notification's reference"]}


def test_superseding_another_partys_draft_is_refused_like_a_missing_notification(rus_draft, ukr_officer):
    client = f.api(ukr_officer)
    correction = {"kind": "correction"}
    hidden = client.post(
        "/api/notifications/", body("UKR-C1", supersedes=rus_draft.reference, **correction), format="json"
    )
    missing = client.post("/api/notifications/", body("UKR-C1", supersedes="RUS-NOPE", **correction), format="json")
    assert hidden.status_code == missing.status_code == 400
    assert hidden.json()["supersedes"] == [f"Object with reference={rus_draft.reference} does not exist."]
    assert missing.json()["supersedes"] == ["Object with reference=RUS-NOPE does not exist."]


def test_writing_for_another_party_is_refused_before_anything_is_checked(rus_draft, ukr_officer):
    client = f.api(ukr_officer)
    as_rus = body(rus_draft.reference, party="RUS", kind="correction", supersedes=rus_draft.reference)
    response = client.post("/api/notifications/", as_rus, format="json")
    assert response.status_code == 403
    assert response.json() == {"detail": "you notify only for the state party you are accredited to"}


def test_an_evidence_link_to_a_hidden_draft_is_not_found_like_a_missing_one(rus_draft, ukr_officer):
    client = Client()
    f.sign_in(client, ukr_officer)
    hidden = client.get(f"/evidence/notification/{rus_draft.reference}")
    missing = client.get("/evidence/notification/RUS-NOPE")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.content.decode().replace(rus_draft.reference, "X") == missing.content.decode().replace(
        "RUS-NOPE", "X"
    )


def test_the_accreditation_list_shows_a_user_only_their_own():
    ukr, rus = f.party("UKR"), f.party("RUS")
    officer = f.person("officer-ukr", Role.OFFICER, ukr)
    f.person("officer-rus", Role.OFFICER, rus)
    client = Client()
    f.sign_in(client, officer)
    listed = client.get("/admin/tracker/accreditation/").context["cl"].result_list
    assert [accreditation.user.username for accreditation in listed] == ["officer-ukr"]
    other = Accreditation.objects.get(user__username="officer-rus")
    assert client.get(f"/admin/tracker/accreditation/{other.pk}/change/").status_code in (302, 404)


def test_an_analyst_withdraws_only_observations_their_own_party_recorded():
    ukr, rus = f.party("UKR"), f.party("RUS")
    recorder = f.person("analyst-ukr", Role.ANALYST, ukr)
    colleague = f.person("analyst-ukr-2", Role.ANALYST, ukr)
    stranger = f.person("analyst-rus", Role.ANALYST, rus)
    seen = f.observation(D, 36.0, 48.0, 12, rus, recorded_by=recorder)
    for analyst, allowed in ((stranger, False), (colleague, True)):
        client = Client()
        f.sign_in(client, analyst)
        response = client.post(f"/admin/tracker/observation/{seen.pk}/delete/", {"post": "yes"})
        assert response.status_code == (302 if allowed else 403)
        assert Observation.objects.filter(pk=seen.pk).exists() != allowed


def test_an_observation_posted_through_the_api_records_who_recorded_it():
    f.party("RUS")
    analyst = f.person("analyst-ukr", Role.ANALYST, f.party("UKR"))
    observation = {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [37.5, 47.1]},
        "properties": {
            "reference": "OBS-1",
            "source": "satellite",
            "observed_on": "2026-05-01",
            "category": "tanks",
            "count": 30,
            "confidence": 0.7,
            "party": "RUS",
        },
    }
    assert f.api(analyst).post("/api/observations/", observation, format="json").status_code == 201
    assert Observation.objects.get().recorded_by == analyst


@pytest.mark.parametrize("url", ["/api/notifications/", "/api/violations/", "/api/inspections/", "/api/zones/"])
def test_an_account_without_a_role_reads_no_data_from_the_api(url):
    f.notification(f.party("UKR"), D, [(f.site(f.party("UKR")), "tanks", 3)])
    response = f.api(f.person("nobody")).get(url)
    assert response.status_code == 403
    assert response.json() == {"detail": "your account holds no role in the tracker"}


def test_an_account_without_a_role_opens_no_map():
    client = Client()
    f.sign_in(client, f.person("nobody"))
    assert client.get("/map/").status_code == 403
    f.zone("IV.1")
    assert client.get("/zones/IV.1/").status_code == 403


def test_an_inspector_learns_of_no_other_partys_report_from_the_findings():
    ukr, rus, blr = f.party("UKR"), f.party("RUS"), f.party("BLR")
    site = f.notified_site(rus)
    f.zone("Z1", geom=f.square(34, 47, 36, 49))
    own = f.inspection(ukr, rus, D, {"tanks": 9}, site=site)
    others = f.inspection(blr, rus, D, {"tanks": 9}, site=site)
    monitor = f.api(f.person("monitor", Role.MONITOR, ukr))
    inspector = f.api(f.person("inspector", Role.INSPECTOR, ukr))

    def named(client, url: str) -> set[str]:
        body = client.get(url).json()
        rows = body["breaches"] if "breaches" in body else body["results"]
        return {row["evidence"]["inspection"] for row in rows if "inspection" in row["evidence"]}

    for url in ("/api/violations/?as_of=2026-03-02", "/api/zones/Z1/status/?as_of=2026-03-02"):
        # The monitor asks first, so a kept answer would reach the inspector if the audience were ignored.
        assert named(monitor, url) == {own.reference, others.reference}
        assert named(inspector, url) == {own.reference}
