"""Deconfliction: plans on the same object of verification or meeting specified areas (ST_Intersects,
boundaries included) whose windows overlap, first and last days included, and plans that meet an
inspection request on the same target in their window, are flagged for the planners; nothing is refused."""

import datetime

from tests import factories as f
from tracker.models import InspectionRequest, PlannedInspection

D = datetime.date


def pairs() -> set[tuple[str, str]]:
    found = PlannedInspection.objects.all().conflicts(InspectionRequest.objects.all())
    return {(plan.note, getattr(other, "note", None) or other.reference) for plan, other in found}


def test_plans_on_one_object_whose_windows_share_a_day_are_flagged_once():
    ukr, pol, deu = f.party("UKR"), f.party("POL"), f.party("DEU")
    brigade = f.object_of_verification(f.site(ukr))
    f.planned_inspection(pol, ukr, (D(2024, 6, 1), D(2024, 6, 5)), brigade, note="first")
    f.planned_inspection(deu, ukr, (D(2024, 6, 5), D(2024, 6, 9)), brigade, note="second")

    assert pairs() == {("first", "second")}


def test_a_window_ending_the_day_before_the_other_begins_is_no_conflict():
    ukr, pol, deu = f.party("UKR"), f.party("POL"), f.party("DEU")
    brigade = f.object_of_verification(f.site(ukr))
    f.planned_inspection(pol, ukr, (D(2024, 6, 1), D(2024, 6, 4)), brigade, note="first")
    f.planned_inspection(deu, ukr, (D(2024, 6, 5), D(2024, 6, 9)), brigade, note="second")

    assert pairs() == set()


def test_plans_on_different_objects_in_the_same_days_are_no_conflict():
    ukr, pol, deu = f.party("UKR"), f.party("POL"), f.party("DEU")
    window = (D(2024, 6, 1), D(2024, 6, 5))
    f.planned_inspection(pol, ukr, window, f.object_of_verification(f.site(ukr)), note="first")
    f.planned_inspection(deu, ukr, window, f.object_of_verification(f.site(ukr)), note="second")

    assert pairs() == set()


def test_specified_areas_that_touch_are_flagged_and_apart_are_not():
    ukr, pol, deu, fra = f.party("UKR"), f.party("POL"), f.party("DEU"), f.party("FRA")
    window = (D(2024, 6, 1), D(2024, 6, 5))
    f.planned_inspection(pol, ukr, window, f.area(36.0, 50.0), note="west")
    f.planned_inspection(deu, ukr, window, f.area(36.04, 50.0), note="touching")  # shares the west area's edge
    f.planned_inspection(fra, ukr, window, f.area(36.2, 50.0), note="apart")

    assert pairs() == {("west", "touching")}


def test_a_plan_meeting_a_request_on_its_object_in_its_window_is_flagged():
    ukr, pol, deu = f.party("UKR"), f.party("POL"), f.party("DEU")
    brigade = f.object_of_verification(f.site(ukr))
    request = f.arrived_request(deu, ukr, D(2024, 6, 5), brigade)
    f.arrived_request(deu, ukr, D(2024, 6, 6), brigade)
    f.planned_inspection(pol, ukr, (D(2024, 6, 1), D(2024, 6, 5)), brigade, note="plan")

    assert pairs() == {("plan", request.reference)}


def test_a_conflicting_plan_is_still_saved():
    ukr, pol = f.party("UKR"), f.party("POL")
    brigade = f.object_of_verification(f.site(ukr))
    window = (D(2024, 6, 1), D(2024, 6, 5))
    f.planned_inspection(pol, ukr, window, brigade)
    f.planned_inspection(pol, ukr, window, brigade)

    assert PlannedInspection.objects.count() == 2
    assert [
        len(p.conflicting_plans) for p in PlannedInspection.objects.with_conflicts(InspectionRequest.objects.all())
    ] == [1, 1]
