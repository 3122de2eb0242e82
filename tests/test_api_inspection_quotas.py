"""/api/inspection-quotas/ and /api/passive-quotas/: the ledger under the same rule as its admin page
(totals to all readers, who inspects whom to the two parties concerned, plans as far as the reader
sees them), a bad year a 400 naming the field, and a query count that does not grow with the parties."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories as f
from tracker.models import PassiveQuota
from tracker.roles import Role

D = datetime.date
URL = "/api/inspection-quotas/"


def inspected_party(code: str, objects: int = 20):
    party = f.party(code)
    sites = [f.site(party) for _ in range(objects)]
    f.notification(party, D(2024, 1, 1), [(site, "tanks", 1) for site in sites], kind="annual")
    return party, f.object_of_verification(sites[0])


@pytest.fixture
def world():
    ukr, brigade = inspected_party("UKR")
    pol, rus = f.party("POL"), f.party("RUS")
    f.arrived_request(pol, ukr, D(2024, 3, 1), brigade)
    f.arrived_request(rus, ukr, D(2024, 4, 1), brigade)
    PassiveQuota.objects.create(treaty=f.treaty(), party=ukr, year=2024, announced=2, source="UKR-AE-2024")
    return {"ukr": ukr, "pol": pol, "rus": rus}


def ledger(person, **query) -> list[dict]:
    response = f.api(person).get(URL, {"year": 2024, **query})
    assert response.status_code == 200, response.content
    return response.json()


def test_the_ledger_gives_the_announced_quota_beside_the_computed_one(world):
    (row,) = ledger(f.person("pol-monitor", Role.MONITOR, world["pol"]))

    assert {key: row[key] for key in ("party", "objects_of_verification", "computed", "announced", "quota")} == {
        "party": "UKR",
        "objects_of_verification": 20,
        "computed": 3,
        "announced": 2,
        "quota": 3,
    }
    assert (row["announced_below_computed"], row["used"], row["remaining"]) == (True, 2, 1)


def test_an_inspecting_party_sees_only_its_own_line(world):
    (row,) = ledger(f.person("pol-inspector", Role.INSPECTOR, world["pol"]))

    assert [(line["party"], line["used"], line["limit"]) for line in row["inspecting"]] == [("POL", 1, 1)]


def test_the_inspected_party_sees_every_line(world):
    (row,) = ledger(f.person("ukr-inspector", Role.INSPECTOR, world["ukr"]))

    assert [line["party"] for line in row["inspecting"]] == ["POL", "RUS"]


def test_a_third_party_sees_the_totals_only(world):
    (row,) = ledger(f.person("deu-inspector", Role.INSPECTOR, f.party("DEU")))

    assert (row["used"], row["inspecting"]) == (2, [])


@pytest.mark.parametrize("year", ["20x4", "1989", "2201"])
def test_a_bad_year_is_a_400_naming_the_field(world, year):
    response = f.api(f.person("pol-inspector", Role.INSPECTOR, world["pol"])).get(URL, {"year": year})

    assert response.status_code == 400
    assert list(response.json()) == ["year"]


def test_an_unknown_treaty_is_a_400_naming_the_field(world):
    response = f.api(f.person("pol-inspector", Role.INSPECTOR, world["pol"])).get(URL, {"treaty": "Nowhere"})

    assert response.status_code == 400
    assert list(response.json()) == ["treaty"]


@pytest.mark.parametrize("role", [Role.OFFICER, Role.ANALYST])
def test_roles_other_than_inspectors_and_monitors_are_refused_the_ledger(world, role):
    assert f.api(f.person("someone", role, world["pol"])).get(URL).status_code == 403


def test_the_ledgers_query_count_does_not_grow_with_the_parties(world):
    client = f.api(f.person("pol-inspector", Role.INSPECTOR, world["pol"]))

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(URL, {"year": 2024}).status_code == 200
        return len(captured)

    few = queries()
    for code in ("DEU", "FRA", "ITA"):
        party, brigade = inspected_party(code, 7)
        f.arrived_request(world["pol"], party, D(2024, 5, 1), brigade)
        f.planned_inspection(world["pol"], party, (D(2024, 6, 1), D(2024, 6, 2)), brigade)

    assert len(ledger(f.person("pol-monitor", Role.MONITOR, world["pol"]))) == 4
    assert queries() == few


def test_announced_quotas_are_read_by_every_role(world):
    response = f.api(f.person("rus-analyst", Role.ANALYST, world["rus"])).get("/api/passive-quotas/", {"party": "UKR"})

    assert response.status_code == 200
    assert response.json()["results"] == [
        {"treaty": "Settlement", "party": "UKR", "year": 2024, "announced": 2, "source": "UKR-AE-2024"}
    ]


def test_announced_quotas_are_read_by_no_one_without_a_role(world):
    assert f.api(f.person("nobody")).get("/api/passive-quotas/").status_code == 403
