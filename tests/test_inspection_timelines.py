"""The Protocol on Inspection's time limits on each request, each at its boundary
(tracker/compliance/inspection_timelines.py)."""

import datetime

import pytest
from django.contrib.gis.geos import Polygon

from tests import factories as make
from tracker.compliance import change_dates, evaluate
from tracker.compliance.inspection_timelines import inspection_time_limits, owed
from tracker.models import PassiveQuota

T = datetime.datetime(2024, 3, 4, 8, 0, tzinfo=datetime.UTC)
LATER = datetime.date(2024, 4, 1)
AREA = Polygon(((28.0, 53.0), (28.05, 53.0), (28.05, 53.03), (28.0, 53.03), (28.0, 53.0)), srid=4326)


def h(hours: float, minutes: int = 0) -> datetime.datetime:
    return T + datetime.timedelta(hours=hours, minutes=minutes)


@pytest.fixture
def parties():
    return make.party("UKR"), make.party("BLR")


@pytest.fixture
def site_object(parties):
    return make.object_of_verification(make.site(parties[1], 28.0, 53.0, code="BY1"), "BY-OV1")


def request(parties, site_object=None, kind="declared_site", **moments):
    """A request acknowledged within the hour unless ``moments`` say otherwise."""
    moments.setdefault("acknowledged_at", h(1))
    if site_object is not None and "designated_at" in moments:
        moments.setdefault("object_of_verification", site_object)
    return make.inspection_request(*parties, T, kind=kind, **moments)


def found(kind: str, as_of: datetime.date = LATER) -> list:
    return [breach for breach in inspection_time_limits(as_of) if breach.kind == kind]


def test_exactly_36_hours_of_notice_is_enough_section_iv_2(parties):
    request(parties, estimated_arrival=h(36))
    assert found("short_inspection_notice") == []


def test_35_hours_59_minutes_of_notice_is_short_and_the_inspecting_partys(parties):
    made = request(parties, estimated_arrival=h(35, 59))
    (breach,) = found("short_inspection_notice")
    assert breach.party == "UKR"
    assert (breach.limit, breach.counted, breach.excess) == (36, 35, 1)
    assert breach.evidence["request"] == made.reference
    assert breach.evidence["rule"] == "Protocol on Inspection, Section IV.2"
    assert breach.evidence["hours"] == 35.98
    assert breach.evidence["notified_at"] == T.isoformat()


def test_an_acknowledgement_at_exactly_3_hours_is_in_time_section_iv_4(parties):
    request(parties, acknowledged_at=h(3))
    assert found("late_acknowledgement") == []


def test_an_acknowledgement_at_3_hours_1_minute_is_late_and_the_inspected_partys(parties):
    request(parties, acknowledged_at=h(3, 1))
    (breach,) = found("late_acknowledgement")
    assert breach.party == "BLR"
    assert (breach.limit, breach.counted) == (3, 4)


def test_a_missing_acknowledgement_not_yet_due_is_no_finding_but_one_once_due(parties):
    late_in_the_day = datetime.datetime(2024, 3, 4, 22, 0, tzinfo=datetime.UTC)
    make.inspection_request(*parties, late_in_the_day)
    assert found("late_acknowledgement", datetime.date(2024, 3, 4)) == []
    (breach,) = found("late_acknowledgement", datetime.date(2024, 3, 5))
    assert breach.evidence["acknowledged_at"] is None and breach.counted is None


def test_an_acknowledgement_after_the_day_asked_about_is_still_missing_on_it(parties):
    request(parties, acknowledged_at=h(40))
    assert len(found("late_acknowledgement", datetime.date(2024, 3, 4))) == 1


@pytest.mark.parametrize(
    ("after", "breached"),
    [((1, 0), False), ((16, 0), False), ((0, 59), True), ((16, 1), True)],
)
def test_designation_between_1_and_16_hours_after_arrival_sections_vii_7_and_viii_2_b(
    parties, site_object, after, breached
):
    request(parties, site_object, arrived_at=h(36), designated_at=h(36 + after[0], after[1]))
    breaches = found("designation_out_of_time")
    assert len(breaches) == breached
    if breached:
        assert breaches[0].party == "UKR"
        assert breaches[0].evidence["object"] == "BY-OV1"


def test_a_challenge_answered_at_exactly_2_hours_is_in_time_section_viii_5(parties):
    area = AREA
    request(
        parties,
        kind="challenge",
        arrived_at=h(36),
        designated_at=h(38),
        area=area,
        answer="accepted",
        answered_at=h(40),
    )
    assert found("late_challenge_answer") == []


def test_a_challenge_answered_after_2_hours_or_not_at_all_is_late_and_the_inspected_partys(parties):
    area = AREA
    request(
        parties,
        kind="challenge",
        arrived_at=h(36),
        designated_at=h(38),
        area=area,
        answer="accepted",
        answered_at=h(40, 1),
    )
    request(parties, kind="challenge", arrived_at=h(36), designated_at=h(38), area=area)
    breaches = found("late_challenge_answer")
    assert [(b.party, b.counted) for b in breaches] == [("BLR", 3), ("BLR", None)]


def report(parties, made, site_object, arrived, departed, area=None):
    inspection = make.inspection(
        *parties,
        LATER - datetime.timedelta(days=20),
        {},
        site=None if area else site_object.site,
        area=area,
        status="draft",
    )
    inspection.request, inspection.arrived_at, inspection.departed_at = made, arrived, departed
    inspection.save()
    return inspection


@pytest.mark.parametrize(("minutes", "breached"), [(0, False), (1, True)])
def test_48_hours_at_a_declared_site_and_no_more_section_ii_18(parties, site_object, minutes, breached):
    made = request(parties, site_object, arrived_at=h(36), designated_at=h(38))
    inspection = report(parties, made, site_object, h(40), h(88, minutes))
    breaches = found("inspection_overstay")
    assert len(breaches) == breached
    if breached:
        assert breaches[0].evidence["inspection"] == inspection.reference
        assert (breaches[0].party, breaches[0].limit, breaches[0].counted) == ("UKR", 48, 49)


@pytest.mark.parametrize(("minutes", "breached"), [(0, False), (1, True)])
def test_24_hours_in_a_specified_area_and_no_more(parties, minutes, breached):
    area = AREA
    made = request(
        parties,
        kind="challenge",
        arrived_at=h(36),
        designated_at=h(38),
        area=area,
        answer="accepted",
        answered_at=h(39),
    )
    report(parties, made, None, h(40), h(64, minutes), area=area)
    assert len(found("inspection_overstay")) == breached


@pytest.mark.parametrize(
    ("reports", "stay_hours", "breached"),
    [(1, 48, False), (1, 48.02, True), (3, 120, False), (3, 120.02, True), (8, 240, False), (8, 240.02, True)],
)
def test_in_country_48_hours_plus_36_for_each_sequential_inspection_at_most_10_days_section_ii_17(
    parties, site_object, reports, stay_hours, breached
):
    """8 inspections would give 48 + 7 × 36 = 300 hours; the 10-day cap keeps it to 240."""
    made = request(parties, site_object, arrived_at=h(36), designated_at=h(38), departed_at=h(36 + stay_hours))
    for _ in range(reports):
        report(parties, made, site_object, h(40), h(41))
    breaches = found("in_country_overstay")
    assert len(breaches) == breached
    if breached:
        assert breaches[0].limit == {1: 48, 3: 120, 8: 240}[reports]
        assert breaches[0].evidence["inspections"] == reports


def test_a_refused_declared_site_inspection_is_a_finding_of_the_inspected_party_section_vii_1(parties, site_object):
    made = request(
        parties,
        site_object,
        arrived_at=h(36),
        designated_at=h(38),
        answer="refused",
        answered_at=h(39),
        assurance="no access",
    )
    (breach,) = found("inspection_refused")
    assert breach.party == "BLR"
    assert breach.evidence["request"] == made.reference
    assert owed(made) is True


def test_a_refused_challenge_with_its_assurance_is_no_finding_section_viii_9(parties):
    area = AREA
    request(
        parties,
        kind="challenge",
        arrived_at=h(36),
        designated_at=h(38),
        area=area,
        answer="refused",
        answered_at=h(39),
        assurance="the area holds no treaty-limited equipment",
    )
    assert [b for b in inspection_time_limits(LATER) if b.kind in ("inspection_refused", "late_challenge_answer")] == []


def test_a_refusal_beyond_the_announced_quota_is_no_finding_section_ii_10(parties, site_object):
    PassiveQuota.objects.create(treaty=make.treaty(), party=parties[1], year=2024, announced=1)
    first = make.inspection_request(*parties, T - datetime.timedelta(days=30))
    refused = request(
        parties, site_object, arrived_at=h(36), designated_at=h(38), answer="refused", answered_at=h(39), assurance="x"
    )
    assert owed(first) is True
    assert owed(refused) is False
    assert found("inspection_refused") == []


def test_a_refusal_within_the_announced_quota_is_a_finding(parties, site_object):
    PassiveQuota.objects.create(treaty=make.treaty(), party=parties[1], year=2024, announced=2)
    make.inspection_request(*parties, T - datetime.timedelta(days=30))
    request(
        parties, site_object, arrived_at=h(36), designated_at=h(38), answer="refused", answered_at=h(39), assurance="x"
    )
    assert len(found("inspection_refused")) == 1


def test_a_finding_lies_in_the_innermost_zone_of_the_designated_site(parties, site_object):
    make.zone("OUTER", make.square(20, 40, 40, 60))
    make.zone("INNER", make.square(27, 52, 29, 54))
    request(parties, site_object, estimated_arrival=h(30), arrived_at=h(36), designated_at=h(38))
    (breach,) = found("short_inspection_notice")
    assert breach.zone == "INNER"
    assert breach.geometry is not None


def test_the_engine_reports_them_and_the_days_they_change_are_listed(parties):
    request(parties, acknowledged_at=h(5))
    assert [b.kind for b in evaluate(LATER)] == ["late_acknowledgement"]
    assert {datetime.date(2024, 3, 4), datetime.date(2024, 3, 5)} <= set(change_dates())


def test_every_request_is_checked_in_one_query(parties, django_assert_max_num_queries):
    for _ in range(5):
        request(parties, acknowledged_at=h(5))
    with django_assert_max_num_queries(1):
        assert len(inspection_time_limits(LATER)) == 5
