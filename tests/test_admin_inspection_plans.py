"""Inspection plans in the admin: written by the planning party's inspectors, seen by its group when
shared, never by another group; the list flags conflicts; saving shows the quota warnings
(Protocol on Inspection, Section II.10, II.23, II.24) and saves all the same."""

import datetime

import pytest

from tests import factories as f
from tracker.models import PassiveQuota, PlannedInspection
from tracker.roles import Role

D = datetime.date
PLANS = "/admin/tracker/plannedinspection/"


@pytest.fixture
def world():
    """POL and DEU in one group, RUS in another; UKR, whom they plan to inspect, in none."""
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
    return {"ukr": ukr, "pol": pol, "rus": rus, "brigade": brigade, "plans": plans}


def listed(client) -> set[str]:
    response = client.get(PLANS)
    assert response.status_code == 200
    return {str(plan.note) for plan in response.context["cl"].result_list}


def test_an_inspector_sees_their_own_plans_and_their_groups_shared_ones_only(client, world):
    f.sign_in(client, f.person("pol-inspector", Role.INSPECTOR, world["pol"]))

    assert listed(client) == {"POL own unshared", "DEU shared"}
    assert client.get(f"{PLANS}{world['plans']['DEU unshared'].pk}/change/").status_code == 404
    assert client.get(f"{PLANS}{world['plans']['RUS shared'].pk}/change/").status_code == 404


def test_the_list_flags_a_plan_on_the_same_object_in_overlapping_days(client, world):
    f.sign_in(client, f.person("pol-inspector", Role.INSPECTOR, world["pol"]))

    page = client.get(PLANS).content.decode()

    # POL's plan meets DEU's shared one; the unshared and the other group's are not named.
    assert f"plan #{world['plans']['DEU shared'].pk}" in page
    assert f"plan #{world['plans']['DEU unshared'].pk}" not in page
    assert f"plan #{world['plans']['RUS shared'].pk}" not in page


def test_a_user_without_a_role_sees_no_plan(client, world):
    f.sign_in(client, f.person("nobody"))

    assert client.get(PLANS).status_code == 403


def form(world, **fields) -> dict:
    return {
        "treaty": f.treaty().pk,
        "kind": "declared_site",
        "planning_party": world["pol"].pk,
        "inspected_party": world["ukr"].pk,
        "window_from": "2024-09-01",
        "window_to": "2024-09-03",
        "object_of_verification": world["brigade"].pk,
        "area": "",
        "shared": "on",
        "note": "new",
        **fields,
    }


def test_saving_a_plan_beyond_the_share_warns_and_saves(client, world):
    PassiveQuota.objects.create(treaty=f.treaty(), party=world["ukr"], year=2024, announced=2)
    inspector = f.person("pol-inspector", Role.INSPECTOR, world["pol"])
    f.sign_in(client, inspector)

    response = client.post(f"{PLANS}add/", form(world), follow=True)

    warnings = [str(message) for message in response.context["messages"]]
    assert any("inspection 2 of UKR by POL in 2024" in w and "Section II.23" in w for w in warnings)
    plan = PlannedInspection.objects.get(note="new")
    assert (plan.planned_by, plan.planning_party) == (inspector, world["pol"])


def test_an_inspector_plans_only_in_their_own_partys_name(client, world):
    f.sign_in(client, f.person("pol-inspector", Role.INSPECTOR, world["pol"]))

    response = client.post(f"{PLANS}add/", form(world, planning_party=world["rus"].pk))

    assert "planning_party" in response.context["adminform"].form.errors
    assert not PlannedInspection.objects.filter(note="new").exists()


def test_another_partys_object_is_refused_for_a_declared_site_plan(client, world):
    f.sign_in(client, f.person("pol-inspector", Role.INSPECTOR, world["pol"]))
    russian = f.object_of_verification(f.site(world["rus"]))
    f.notification(world["rus"], D(2024, 1, 1), [(russian, "tanks", 10)])

    response = client.post(f"{PLANS}add/", form(world, object_of_verification=russian.pk))

    errors = response.context["adminform"].form.errors
    assert errors["object_of_verification"] == [
        f"{russian.record_number} is not an object of verification of the inspected party"
    ]


def test_an_object_not_yet_notified_is_no_choice(client, world):
    f.sign_in(client, f.person("pol-inspector", Role.INSPECTOR, world["pol"]))
    hidden = f.object_of_verification(f.site(world["ukr"]))  # declared by no submitted notification

    response = client.post(f"{PLANS}add/", form(world, object_of_verification=hidden.pk))

    assert "object_of_verification" in response.context["adminform"].form.errors


def test_an_officer_may_not_plan(client, world):
    f.sign_in(client, f.person("pol-officer", Role.OFFICER, world["pol"]))

    assert client.post(f"{PLANS}add/", form(world)).status_code == 403
