"""/api/concerns/: raising, answering (with documents), accepting, disputing, referring and closing a concern
(CFE Art. XIII.3, XVI.2(A), (I), XVI.3), its refusals as 400/403/404/409 with JSON bodies, and who reads it:
the two parties, and once referred to the Joint Consultative Group every party."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from tests import factories as f
from tests import signing
from tracker import concerns
from tracker.models import ConcernStep, FindingState
from tracker.roles import Role

PDF = b"%PDF-1.7\n" + b"x" * 40


@pytest.fixture
def people():
    ukr, rus, blr = f.party("UKR"), f.party("RUS"), f.party("BLR")
    return {
        "officer": f.person("officer-ukr", Role.OFFICER, ukr),
        "monitor": f.person("monitor-ukr", Role.MONITOR, ukr),
        "analyst": f.person("analyst-ukr", Role.ANALYST, ukr),
        "answerer": f.person("officer-rus", Role.OFFICER, rus),
        "third": f.person("officer-blr", Role.OFFICER, blr),
    }


@pytest.fixture
def finding():
    return f.finding(party="RUS", zone="Z1", key="inspection_discrepancy|RUS-1")


def due(days: int = 14) -> str:
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


def raise_one(client, finding, **changes):
    body = {"raised_against": "RUS", "findings": [finding.key], "question": "Where were they?", "answer_due": due()}
    return signing.raise_concern(client, {**body, **changes})


def test_an_officer_raises_a_concern_for_its_party(people, finding):
    response = raise_one(f.api(people["officer"]), finding)
    assert response.status_code == 201, response.json()
    assert {key: response.json()[key] for key in ("reference", "raised_by", "raised_against", "findings", "state")} == {
        "reference": "UKR-C1",
        "raised_by": "UKR",
        "raised_against": "RUS",
        "findings": [finding.key],
        "state": "raised",
    }
    assert response.json()["next_steps"] == ["close"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"answer_due": "2001-01-01"}, "answer_due"),
        ({"question": ""}, "question"),
        ({"findings": ["no such key"]}, "findings"),
        ({"raised_against": "XXX"}, "raised_against"),
        ({"raised_against": "UKR"}, "raised_against"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(people, finding, changes, field):
    response = raise_one(f.api(people["officer"]), finding, **changes)
    assert response.status_code == 400
    assert list(response.json()) == [field]


def test_an_analyst_raises_nothing(people, finding):
    response = raise_one(f.api(people["analyst"]), finding)
    assert response.status_code == 403
    assert response.json() == {"detail": "your role does not write these records"}


def test_the_answer_carries_documents_as_multipart(people, finding):
    reference = raise_one(f.api(people["officer"]), finding).json()["reference"]
    response = signing.take_step(
        f.api(people["answerer"]), reference, "answer", "On exercise", files=[SimpleUploadedFile("orders.pdf", PDF)]
    )
    assert response.status_code == 200, response.json()
    assert response.json()["state"] == "answered"
    steps = f.api(people["officer"]).get(f"/api/concerns/{reference}/steps/").json()
    assert [(step["kind"], step["party"], step["made_by"]) for step in steps] == [
        ("raise", "UKR", "officer-ukr"),
        ("answer", "RUS", "officer-rus"),
    ]
    assert steps[1]["attachments"][0]["name"] == "orders.pdf"


def test_a_wrong_step_is_403_and_a_wrong_state_409(people, finding):
    reference = raise_one(f.api(people["officer"]), finding).json()["reference"]
    refused = signing.take_step(f.api(people["officer"]), reference, "answer", "Mine")
    assert refused.status_code == 403
    assert "answered by an officer of RUS" in refused.json()["detail"]
    early = signing.take_step(f.api(people["officer"]), reference, "accept")
    assert early.status_code == 409
    assert early.json() == {
        "state": [f"concern {reference} is raised, awaiting the answer: it is explanation accepted only when answered"]
    }


def test_an_answer_without_text_is_a_400_and_writes_nothing(people, finding):
    reference = raise_one(f.api(people["officer"]), finding).json()["reference"]
    response = signing.take_step(f.api(people["answerer"]), reference, "answer", " ")
    assert response.status_code == 400
    assert response.json() == {"text": ["is required"]}
    assert ConcernStep.objects.count() == 1


def test_accepting_through_the_api_explains_the_finding(people, finding):
    reference = raise_one(f.api(people["officer"]), finding).json()["reference"]
    signing.take_step(f.api(people["answerer"]), reference, "answer", "Exercise")
    response = signing.take_step(f.api(people["officer"]), reference, "accept", "Thank you")
    assert response.json()["state"] == "accepted"
    finding.refresh_from_db()
    assert finding.state == FindingState.EXPLAINED


def test_closing_needs_an_outcome(people, finding):
    reference = raise_one(f.api(people["officer"]), finding).json()["reference"]
    api = f.api(people["officer"])
    assert signing.take_step(api, reference, "close").json() == {"outcome": ["is required"]}
    closed = signing.take_step(api, reference, "close", "Withdrawn").json()
    assert (closed["state"], closed["outcome"]) == ("closed", "Withdrawn")


def test_a_third_party_finds_no_concern_until_it_is_referred(people, finding):
    concern = concerns.raise_concern(people["officer"], f.party("RUS"), [finding], "Why?", timezone.localdate())
    third = f.api(people["third"])
    url = f"/api/concerns/{concern.reference}/"
    assert third.get("/api/concerns/").json()["results"] == []
    assert third.get(url).status_code == 404
    assert third.get(f"{url}steps/").status_code == 404
    assert third.post(f"{url}refer/", {"text": "x"}, format="json").status_code == 404
    admin = Client()
    f.sign_in(admin, people["third"])
    assert admin.get(f"/admin/tracker/concern/{concern.pk}/change/").status_code == 404
    assert admin.get(f"/admin/tracker/auditevent/?method=tracks&obj=tracker.Concern:{concern.pk}").status_code == 404
    concerns.answer(people["answerer"], concern, "Exercise")
    concerns.refer(people["answerer"], concern, "For the Joint Consultative Group")
    assert third.get(url).json()["state"] == "referred"
    assert [step["kind"] for step in third.get(f"{url}steps/").json()] == ["raise", "answer", "refer"]
    assert third.post(f"{url}close/", {"outcome": "x"}, format="json").status_code == 403


def test_the_list_filters_open_concerns_by_zone(people, finding):
    concerns.raise_concern(people["officer"], f.party("RUS"), [finding], "Why?", timezone.localdate())
    api = f.api(people["officer"])
    assert len(api.get("/api/concerns/?zone=Z1&open=true").json()["results"]) == 1
    assert api.get("/api/concerns/?zone=Z2").json()["results"] == []
