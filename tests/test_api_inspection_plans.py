"""/api/inspection-plans/: a party's inspectors plan in its name; its users see their own plans and the
shared plans of their groups' parties, never another group's; each plan comes with its conflicts and
its quota warnings (Protocol on Inspection, Section II.10, II.23, II.24), which never refuse it."""

import datetime

import pytest

from tests import factories as f
from tracker.models import PartyGroup, PassiveQuota, PlannedInspection
from tracker.roles import Role

D = datetime.date
URL = "/api/inspection-plans/"


@pytest.fixture
def world():
    ukr, pol, deu, rus, blr = (f.party(code) for code in ("UKR", "POL", "DEU", "RUS", "BLR"))
    f.group("Group A", pol, deu)
    f.group("Group B", rus, blr)
    brigade = f.object_of_verification(f.site(ukr), "UKR-OV1")
    f.notification(ukr, D(2024, 1, 1), [(brigade, "tanks", 10)])
    window = (D(2024, 6, 1), D(2024, 6, 5))
    plans = {
        "POL own unshared": f.planned_inspection(pol, ukr, window, brigade, shared=False, note="POL own unshared"),
        "DEU shared": f.planned_inspection(deu, ukr, window, brigade, note="DEU shared"),
        "DEU unshared": f.planned_inspection(deu, ukr, window, brigade, shared=False, note="DEU unshared"),
        "RUS shared": f.planned_inspection(rus, ukr, window, brigade, note="RUS shared"),
    }
    return {"ukr": ukr, "pol": pol, "deu": deu, "rus": rus, "plans": plans}


def body(**fields) -> dict:
    return {
        "treaty": "Settlement",
        "planning_party": "POL",
        "inspected_party": "UKR",
        "kind": "declared_site",
        "object_of_verification": "UKR-OV1",
        "window_from": "2024-09-01",
        "window_to": "2024-09-03",
        "note": "new",
        **fields,
    }


def test_a_party_sees_its_own_plans_and_its_groups_shared_ones(world):
    response = f.api(f.person("pol-monitor", Role.MONITOR, world["pol"])).get(URL)

    assert {plan["note"] for plan in response.json()["results"]} == {"POL own unshared", "DEU shared"}


def test_a_groups_unshared_plan_and_another_groups_plan_are_not_found(world):
    client = f.api(f.person("pol-inspector", Role.INSPECTOR, world["pol"]))

    for hidden in ("DEU unshared", "RUS shared"):
        assert client.get(f"{URL}{world['plans'][hidden].pk}/").status_code == 404


def test_a_party_that_left_the_group_no_longer_sees_its_shared_plans(world):
    world["deu"].groupmembership_set.update(valid_to=D(2020, 1, 1))

    response = f.api(f.person("pol-monitor", Role.MONITOR, world["pol"])).get(URL)

    assert {plan["note"] for plan in response.json()["results"]} == {"POL own unshared"}


def test_no_role_no_plans(world):
    assert f.api(f.person("nobody")).get(URL).status_code == 403


def test_a_plan_comes_with_its_conflicts_among_the_visible_plans(world):
    response = f.api(f.person("pol-monitor", Role.MONITOR, world["pol"])).get(URL)

    own = next(plan for plan in response.json()["results"] if plan["note"] == "POL own unshared")
    assert own["conflicts"] == {"plans": [world["plans"]["DEU shared"].pk], "requests": []}


def test_an_inspector_plans_for_their_party_and_is_warned_beyond_its_share(world):
    PassiveQuota.objects.create(treaty=f.treaty(), party=world["ukr"], year=2024, announced=2)
    inspector = f.person("pol-inspector", Role.INSPECTOR, world["pol"])

    response = f.api(inspector).post(URL, body(), format="json")

    assert response.status_code == 201, response.content
    plan = response.json()
    assert plan["conflicts"] == {"plans": [], "requests": []}
    assert any("inspection 2 of UKR by POL in 2024" in warning for warning in plan["warnings"])
    assert PlannedInspection.objects.get(pk=plan["id"]).planned_by == inspector


def test_an_inspector_may_not_plan_for_another_party(world):
    client = f.api(f.person("pol-inspector", Role.INSPECTOR, world["pol"]))

    response = client.post(URL, body(planning_party="DEU"), format="json")

    assert response.status_code == 403
    assert not PlannedInspection.objects.filter(note="new").exists()


def test_an_unknown_object_is_a_400_naming_the_field(world):
    client = f.api(f.person("pol-inspector", Role.INSPECTOR, world["pol"]))

    response = client.post(URL, body(object_of_verification="UKR-OV9"), format="json")

    assert response.status_code == 400
    assert response.json() == {"object_of_verification": ["UKR has no object of verification 'UKR-OV9'"]}


def test_a_challenge_plan_needs_its_area(world):
    client = f.api(f.person("pol-inspector", Role.INSPECTOR, world["pol"]))

    response = client.post(URL, body(kind="challenge", object_of_verification=None), format="json")

    assert response.status_code == 400
    assert response.json() == {"area": ["a challenge inspection needs its specified area"]}


def test_a_window_ending_before_it_begins_is_a_400(world):
    client = f.api(f.person("pol-inspector", Role.INSPECTOR, world["pol"]))

    response = client.post(URL, body(window_to="2024-08-31"), format="json")

    assert response.status_code == 400
    assert response.json() == {"window_to": ["the window ends on or after its first day"]}


def test_an_inspector_changes_and_withdraws_their_partys_plan(world):
    client = f.api(f.person("pol-inspector", Role.INSPECTOR, world["pol"]))
    plan = world["plans"]["POL own unshared"]

    response = client.patch(f"{URL}{plan.pk}/", {"shared": True, "window_to": "2024-06-04"}, format="json")
    assert response.status_code == 200, response.content
    plan.refresh_from_db()
    assert (plan.shared, plan.window_to) == (True, D(2024, 6, 4))

    assert client.delete(f"{URL}{plan.pk}/").status_code == 204
    assert not PlannedInspection.objects.filter(pk=plan.pk).exists()


def test_a_group_partners_shared_plan_is_read_but_not_changed(world):
    client = f.api(f.person("pol-inspector", Role.INSPECTOR, world["pol"]))
    shared = world["plans"]["DEU shared"]

    assert client.patch(f"{URL}{shared.pk}/", {"note": "mine"}, format="json").status_code == 403
    assert client.delete(f"{URL}{shared.pk}/").status_code == 403
    shared.refresh_from_db()
    assert shared.note == "DEU shared"


def test_a_monitor_does_not_plan(world):
    client = f.api(f.person("pol-monitor", Role.MONITOR, world["pol"]))

    assert client.post(URL, body(), format="json").status_code == 403


def test_a_partners_shared_plan_to_inspect_the_party_itself_is_hidden_from_it(world):
    """The CFE groups held adversaries (Russia and Ukraine were both of the Budapest/Tashkent group): a shared
    plan is for the planners' partners, never for the party it would inspect."""
    PartyGroup.objects.get(name="Group B").members.add(world["ukr"])
    ukrainian = f.api(f.person("ukr-inspector", Role.INSPECTOR, world["ukr"]))
    belarusian = f.api(f.person("blr-inspector", Role.INSPECTOR, f.party("BLR")))

    assert ukrainian.get(f"{URL}{world['plans']['RUS shared'].pk}/").status_code == 404
    assert ukrainian.get(URL).json()["results"] == []
    assert [plan["note"] for plan in belarusian.get(URL).json()["results"]] == ["RUS shared"]
