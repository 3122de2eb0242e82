"""/api/findings/: the findings register with each finding's period, grade and state, filtered, and read
through the same visibility as /api/violations/; /api/violations/ rows carry their grade and state."""

import datetime

import pytest

from tests import factories as f
from tracker import findings_register
from tracker.models import Finding
from tracker.roles import Role

D = datetime.date
NOTIFIED = datetime.datetime(2026, 3, 2, 8, tzinfo=datetime.UTC)


def finding(key: str, kind: str, grade: str, first_seen: D, **fields) -> Finding:
    fields.setdefault("last_seen", first_seen)
    return Finding.objects.create(key=key, kind=kind, grade=grade, first_seen=first_seen, **fields)


@pytest.fixture
def register():
    """A ceiling breach of UKR in EAST (open since March), an observation discrepancy of RUS in WEST (explained),
    a late notification of UKR resolved in April."""
    finding("c", "ceiling_exceeded", "breach", D(2026, 3, 1), last_seen=D(2026, 5, 1), zone="EAST", party="UKR")
    finding("o", "observation_discrepancy", "indicator", D(2026, 4, 1), zone="WEST", party="RUS", state="explained")
    finding("n", "late_notification", "breach", D(2026, 1, 1), resolved_on=D(2026, 4, 2), party="UKR", state="resolved")


def keys(response) -> list[str]:
    assert response.status_code == 200, response.content
    return sorted(item["key"] for item in response.json()["results"])


def test_each_finding_is_served_with_its_period_grade_state_and_evidence(register):
    body = f.api(f.person("monitor", Role.MONITOR)).get("/api/findings/", {"kind": "ceiling_exceeded"}).json()

    assert body["count"] == 1
    assert body["results"][0] == {
        "key": "c",
        "kind": "ceiling_exceeded",
        "grade": "breach",
        "state": "open",
        "zone": "EAST",
        "party": "UKR",
        "category": None,
        "treaty": None,
        "limit": None,
        "counted": None,
        "excess": None,
        "evidence": {},
        "first_seen": "2026-03-01",
        "last_seen": "2026-05-01",
        "resolved_on": None,
    }


def test_findings_filter_by_grade_state_kind_zone_party_since_and_open(register):
    client = f.api(f.person("monitor", Role.MONITOR))

    assert keys(client.get("/api/findings/")) == ["c", "n", "o"]
    assert keys(client.get("/api/findings/", {"grade": "indicator"})) == ["o"]
    assert keys(client.get("/api/findings/", {"grade": "breach"})) == ["c", "n"]
    assert keys(client.get("/api/findings/", {"state": "explained"})) == ["o"]
    assert keys(client.get("/api/findings/", {"kind": "late_notification"})) == ["n"]
    assert keys(client.get("/api/findings/", {"zone": "WEST"})) == ["o"]
    assert keys(client.get("/api/findings/", {"party": "UKR"})) == ["c", "n"]
    # since: first seen on or after the day, the day itself included
    assert keys(client.get("/api/findings/", {"since": "2026-03-01"})) == ["c", "o"]
    assert keys(client.get("/api/findings/", {"since": "2026-03-02"})) == ["o"]
    assert keys(client.get("/api/findings/", {"open": "true"})) == ["c", "o"]
    assert keys(client.get("/api/findings/", {"open": "false"})) == ["n"]


def test_bad_finding_filters_are_named_in_a_400(register):
    response = f.api(f.person("monitor", Role.MONITOR)).get(
        "/api/findings/", {"grade": "severe", "since": "2026-02-30"}
    )
    assert response.status_code == 400
    assert set(response.json()) == {"grade", "since"}


def test_a_third_party_never_sees_a_finding_naming_a_request_or_a_report_it_may_not_read():
    ukr, rus, pol = f.party("UKR"), f.party("RUS"), f.party("POL")
    request = f.inspection_request(ukr, rus, NOTIFIED, reference="UKR-R-1")
    base = f.site(rus)
    draft = f.inspection(ukr, rus, D(2026, 3, 4), {"tanks": 3}, site=base, status="draft")
    signed = f.inspection(ukr, rus, D(2026, 3, 5), {"tanks": 3}, site=base, status="signed")
    countersigned = f.inspection(ukr, rus, D(2026, 3, 6), {"tanks": 3}, site=base)
    day = D(2026, 3, 7)
    finding("request", "late_acknowledgement", "breach", day, party="RUS", evidence={"request": request.reference})
    finding("draft", "inspection_discrepancy", "indicator", day, party="RUS", evidence={"inspection": draft.reference})
    finding(
        "signed", "inspection_discrepancy", "indicator", day, party="RUS", evidence={"inspection": signed.reference}
    )
    finding(
        "countersigned",
        "inspection_discrepancy",
        "indicator",
        day,
        party="RUS",
        evidence={"inspection": countersigned.reference},
    )
    finding("ceiling", "ceiling_exceeded", "breach", day, party="RUS")

    def seen_by(user) -> list[str]:
        return keys(f.api(user).get("/api/findings/"))

    assert seen_by(f.person("pol", Role.MONITOR, pol)) == ["ceiling", "countersigned"]
    assert seen_by(f.person("rus", Role.MONITOR, rus)) == ["ceiling", "countersigned", "request", "signed"]
    assert seen_by(f.person("ukr", Role.MONITOR, ukr)) == ["ceiling", "countersigned", "draft", "request", "signed"]
    assert f.api(f.person("nobody")).get("/api/findings/").status_code == 403


def test_violations_carry_their_grade_and_the_registers_state_and_filter_by_grade():
    ukr, rus = f.party("UKR"), f.party("RUS")
    f.ceiling(f.zone("EAST"), 10)
    base = f.site(ukr)
    annual = datetime.datetime(2025, 12, 1, tzinfo=datetime.UTC)
    f.notification(ukr, D(2026, 1, 1), [(base, "tanks", 12)], kind="annual", submitted_at=annual)
    f.inspection(rus, ukr, D(2026, 2, 1), {"tanks": 15}, site=base)
    findings_register.refresh(D(2026, 3, 1))
    findings_register.set_state(Finding.objects.filter(kind="inspection_discrepancy"), "explained", "a unit in transit")
    client = f.api(f.person("monitor", Role.MONITOR))

    def rows(**query):
        body = client.get("/api/violations/", {"as_of": "2026-03-01", **query}).json()
        return sorted((item["kind"], item["grade"], item["state"]) for item in body["results"])

    assert rows() == [("ceiling_exceeded", "breach", "open"), ("inspection_discrepancy", "indicator", "explained")]
    assert rows(grade="indicator") == [("inspection_discrepancy", "indicator", "explained")]
    assert rows(grade="breach") == [("ceiling_exceeded", "breach", "open")]
    assert client.get("/api/violations/", {"grade": "minor"}).status_code == 400
