import datetime

import pytest
from django.contrib.gis.geos import Point, Polygon
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from tests import factories as f
from tracker.declarations import Line, line_errors
from tracker.models import Ceiling, Holding, Inspection, Notification, Observation, Site
from zones.geometry import area_km2, span_km

D = datetime.date


def square_km(lon, lat, side_km):
    """A square of roughly ``side_km`` at the given latitude (good enough for the 65 km² test)."""
    import math

    dlat = side_km / 111.32
    dlon = side_km / (111.32 * math.cos(math.radians(lat)))
    return Polygon.from_bbox((lon, lat, lon + dlon, lat + dlat))


def test_a_negative_quantity_is_rejected_by_the_model_and_the_database():
    ukr = f.party("UKR")
    notice = Notification.objects.create(party=ukr, reference="N", kind="change", effective_date=D(2026, 1, 1))
    line = Holding(notification=notice, site=f.site(ukr), category=f.category("tanks"), quantity=-1)
    with pytest.raises(ValidationError) as raised:
        line.full_clean()
    assert "quantity" in raised.value.message_dict
    with pytest.raises(IntegrityError):
        line.save()


def test_a_site_outside_valid_coordinates_is_rejected():
    site = Site(party=f.party("UKR"), code="X", name="X", location=Point(200, 48, srid=4326))
    with pytest.raises(ValidationError) as raised:
        site.full_clean()
    assert raised.value.message_dict["location"] == ["longitude out of range [-180, 180] (found 200 to 200)"]


def test_a_line_for_another_partys_site_is_rejected():
    ukr, rus = f.party("UKR"), f.party("RUS")
    line = Line(site=f.site(rus, code="R"), category=f.category("tanks"), status="active")
    assert line_errors(ukr, [line]) == {0: {"site": ["site R belongs to RUS, not to UKR"]}}


def test_the_specified_area_is_measured_on_the_ellipsoid():
    area = square_km(36.0, 48.0, 8.0)
    assert area_km2(area) == pytest.approx(64.0, rel=0.01)
    assert span_km(area) == pytest.approx(8.0 * 2**0.5, rel=0.01)


def test_a_challenge_area_larger_than_65_km2_is_rejected_with_its_size():
    ukr, rus = f.party("UKR"), f.party("RUS")
    report = Inspection(
        reference="I",
        inspecting_party=ukr,
        inspected_party=rus,
        kind="challenge",
        date=D(2026, 5, 1),
        area=square_km(36.0, 48.0, 9.0),
    )
    with pytest.raises(ValidationError) as raised:
        report.full_clean()
    assert raised.value.message_dict["area"] == [
        "specified area is 81.0 km², more than the 65 km² the Protocol on Inspection allows"
    ]


def test_a_long_thin_challenge_area_is_rejected_for_its_span():
    ukr, rus = f.party("UKR"), f.party("RUS")
    strip = Polygon.from_bbox((36.0, 48.0, 36.3, 48.01))
    report = Inspection(
        reference="I", inspecting_party=ukr, inspected_party=rus, kind="challenge", date=D(2026, 5, 1), area=strip
    )
    with pytest.raises(ValidationError) as raised:
        report.full_clean()
    assert raised.value.message_dict["area"] == [
        "specified area is 22.4 km across, more than the 16 km the Protocol on Inspection allows"
    ]


def test_a_declared_site_inspection_needs_a_site_of_the_inspected_party():
    ukr, rus = f.party("UKR"), f.party("RUS")
    report = Inspection(
        reference="I",
        inspecting_party=ukr,
        inspected_party=rus,
        kind="declared_site",
        date=D(2026, 5, 1),
        site=f.site(ukr, code="OWN"),
    )
    with pytest.raises(ValidationError) as raised:
        report.full_clean()
    assert raised.value.message_dict["site"] == ["site OWN is not a site of the inspected party"]


def test_a_ceiling_names_its_holder_consistently():
    ceiling = Ceiling(treaty=f.treaty(), zone=f.zone("Z"), category=f.category("tanks"), applies_to="party", limit=5)
    with pytest.raises(ValidationError) as raised:
        ceiling.full_clean()
    assert raised.value.message_dict["party"] == ["a national ceiling names its state party"]


def test_observation_confidence_is_between_0_and_1():
    observation = Observation(
        reference="O",
        source="sat",
        observed_on=D(2026, 1, 1),
        location=Point(35, 48, srid=4326),
        category=f.category("tanks"),
        count=3,
        confidence=1.5,
    )
    with pytest.raises(ValidationError) as raised:
        observation.full_clean()
    assert "confidence" in raised.value.message_dict
