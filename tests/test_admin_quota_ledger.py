"""The quota ledger page: every party's quota and totals for all who may read it; who inspects whom only
where the reader's party is the inspected or the inspecting one; plans counted only as far as the
reader may see them."""

import datetime

import pytest

from tests import factories as f
from tracker.roles import Role

D = datetime.date
LEDGER = "/admin/inspection-quotas/"


@pytest.fixture
def world():
    ukr, pol, deu, rus = (f.party(code) for code in ("UKR", "POL", "DEU", "RUS"))
    f.group("Group A", pol, deu)
    sites = [f.site(ukr) for _ in range(20)]
    f.notification(ukr, D(2024, 1, 1), [(site, "tanks", 1) for site in sites], kind="annual")  # quota 3
    brigade = f.object_of_verification(sites[0])
    f.arrived_request(pol, ukr, D(2024, 3, 1), brigade)
    f.arrived_request(rus, ukr, D(2024, 4, 1), brigade)
    f.planned_inspection(rus, ukr, (D(2024, 6, 1), D(2024, 6, 2)), brigade, shared=False)
    return {"ukr": ukr, "pol": pol, "deu": deu, "rus": rus}


def rows(client, year=2024) -> dict:
    response = client.get(LEDGER, {"year": year, "treaty": f.treaty().pk})
    assert response.status_code == 200
    return {item["row"].quota.party.code: item["row"] for item in response.context["rows"]}


def test_the_index_links_the_ledger_for_an_inspector(client, world):
    f.sign_in(client, f.person("pol-inspector", Role.INSPECTOR, world["pol"]))

    assert LEDGER in client.get("/admin/").content.decode()


def test_every_party_reads_the_totals_and_only_its_own_line_of_who_inspected_whom(client, world):
    f.sign_in(client, f.person("deu-monitor", Role.MONITOR, world["deu"]))

    row = rows(client)["UKR"]

    assert (row.quota.in_force, row.used, row.remaining) == (3, 2, 1)
    assert row.inspecting == ()  # DEU inspected nobody: POL's and RUS's lines are theirs and UKR's
    assert row.planned == 0  # RUS's unshared plan is RUS's own business


def test_the_inspecting_party_reads_its_own_line(client, world):
    f.sign_in(client, f.person("pol-inspector", Role.INSPECTOR, world["pol"]))

    (line,) = rows(client)["UKR"].inspecting

    assert (line.party.code, line.used, line.limit) == ("POL", 1, 1)


def test_the_inspected_party_reads_every_line_of_its_own_quota(client, world):
    f.sign_in(client, f.person("ukr-inspector", Role.INSPECTOR, world["ukr"]))

    row = rows(client)["UKR"]

    assert [line.party.code for line in row.inspecting] == ["POL", "RUS"]
    assert row.planned == 0  # but not RUS's plans


def test_the_page_draws_a_bar_per_row(client, world):
    f.sign_in(client, f.person("pol-inspector", Role.INSPECTOR, world["pol"]))

    page = client.get(LEDGER, {"year": 2024, "treaty": f.treaty().pk}).content.decode()

    assert page.count('class="quota-bar') == 3  # UKR's quota, its challenge quota, POL's share
    assert 'aria-label="2 used and 0 planned of 3"' in page


def test_a_bad_year_is_a_form_error(client, world):
    f.sign_in(client, f.person("pol-inspector", Role.INSPECTOR, world["pol"]))

    response = client.get(LEDGER, {"year": "20x4", "treaty": f.treaty().pk})

    assert response.status_code == 200
    assert response.context["form"].errors["year"] == ["Enter a whole number."]


@pytest.mark.parametrize("role", [Role.OFFICER, Role.ANALYST, None])
def test_other_roles_are_not_shown_the_ledger(client, world, role):
    f.sign_in(client, f.person("someone", role, world["pol"]))

    assert client.get(LEDGER).status_code == 403
    assert LEDGER not in client.get("/admin/").content.decode()
