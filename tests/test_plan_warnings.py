"""What a planner is warned of before a plan goes beyond what its party may use: the quota (Protocol on
Inspection, Section II.10), the challenge quota (II.11(B)), one party's 50 % share (II.23) and the five a
year within a group (II.24). Warnings, never refusals: the plan is saved all the same."""

import datetime

import pytest

from tests import factories as f
from tracker.inspection_quotas import plan_warnings
from tracker.models import PassiveQuota

D = datetime.date
WINDOW = (D(2024, 6, 1), D(2024, 6, 5))


@pytest.fixture
def world():
    ukr, pol, blr = f.party("UKR"), f.party("POL"), f.party("BLR")
    treaty = f.treaty()
    brigade = f.object_of_verification(f.site(ukr))
    return treaty, ukr, pol, blr, brigade


def quota(treaty, party, announced: int) -> None:
    PassiveQuota.objects.create(treaty=treaty, party=party, year=2024, announced=announced)


def test_a_plan_within_every_limit_has_no_warning(world):
    treaty, ukr, pol, _, brigade = world
    quota(treaty, ukr, 4)
    f.arrived_request(pol, ukr, D(2024, 3, 1), brigade)

    assert plan_warnings(f.planned_inspection(pol, ukr, WINDOW, brigade)) == []


def test_the_plan_that_takes_the_last_inspection_of_the_quota_is_fine_and_the_next_is_warned(world):
    """Used by every party, plus the planning party's own other plans (others' are not its to see)."""
    treaty, ukr, pol, blr, brigade = world
    quota(treaty, ukr, 4)
    f.arrived_request(blr, ukr, D(2024, 3, 1), brigade, reports=2)
    f.arrived_request(pol, ukr, D(2024, 4, 1), brigade)

    last = f.planned_inspection(pol, ukr, WINDOW, brigade)
    assert plan_warnings(last) == []

    beyond = f.planned_inspection(pol, ukr, (D(2024, 9, 1), D(2024, 9, 2)), brigade)
    warnings = plan_warnings(beyond)
    assert any(
        "UKR would receive 5 inspections in 2024, beyond its passive declared-site inspection quota of 4" in w
        and "Section II.10" in w
        for w in warnings
    )


def test_one_partys_plans_beyond_half_an_odd_quota_are_warned(world):
    """Half of 5 is 2.5: rounded down, 2 from one party (Section II.23)."""
    treaty, ukr, pol, _, brigade = world
    quota(treaty, ukr, 5)
    f.arrived_request(pol, ukr, D(2024, 3, 1), brigade)
    second = f.planned_inspection(pol, ukr, WINDOW, brigade)
    assert plan_warnings(second) == []

    third = f.planned_inspection(pol, ukr, (D(2024, 9, 1), D(2024, 9, 2)), brigade)

    (warning,) = plan_warnings(third)
    assert "inspection 3 of UKR by POL in 2024, beyond the 50 % of its quota (2)" in warning
    assert "Section II.23" in warning


def test_the_fifth_inspection_within_a_group_is_allowed_and_the_sixth_warned(world):
    treaty, ukr, pol, _, brigade = world
    f.group("Group B", ukr, pol)
    quota(treaty, ukr, 20)
    for month in (1, 2, 3):
        f.arrived_request(pol, ukr, D(2024, month, 10), brigade)
    f.planned_inspection(pol, ukr, (D(2024, 4, 1), D(2024, 4, 2)), brigade)
    fifth = f.planned_inspection(pol, ukr, WINDOW, brigade)
    assert plan_warnings(fifth) == []

    sixth = f.planned_inspection(pol, ukr, (D(2024, 9, 1), D(2024, 9, 2)), brigade)

    (warning,) = plan_warnings(sixth)
    assert "are of one group" in warning and "inspection 6" in warning and "Section II.24" in warning


def test_a_group_the_inspecting_party_left_before_the_window_sets_no_limit(world):
    treaty, ukr, pol, _, brigade = world
    f.group("Group B", ukr, pol).groupmembership_set.filter(stateparty=pol).update(valid_to=D(2024, 5, 31))
    quota(treaty, ukr, 20)
    for month in range(1, 6):
        f.arrived_request(pol, ukr, D(2024, month, 10), brigade)

    assert plan_warnings(f.planned_inspection(pol, ukr, WINDOW, brigade)) == []


def test_a_challenge_beyond_the_challenge_quota_is_warned(world):
    """23 % of a quota of 4 is 0.92: rounded down, no challenge inspection is owed (Section II.11(B))."""
    treaty, ukr, pol, _, _ = world
    quota(treaty, ukr, 4)

    warnings = plan_warnings(f.planned_inspection(pol, ukr, WINDOW, f.area()))

    assert any("beyond its passive challenge inspection quota of 0" in w for w in warnings)
