"""Observations worth their weight: footprint, position accuracy, sensor, acquisition time; a treaty's
confidence floor; the same equipment seen twice on one day counted once (docs/observations.md).

National technical means are each party's own (CFE Art. XV.1); what they give is an indicator to be
clarified (CFE Art. XIII.3), so the peak counted is the least the imagery shows for certain.
"""

import datetime

import pytest
from django.contrib.gis.geos import Point, Polygon
from django.core.exceptions import ValidationError
from pyproj import Geod

from tests import bundles
from tests import factories as f
from tracker import bundle, compliance
from tracker.models import Observation
from tracker.roles import Role
from zones.models import Zone

D = datetime.date
DAY = D(2026, 5, 10)
AS_OF = D(2026, 5, 25)
WGS84 = Geod(ellps="WGS84")


@pytest.fixture
def ukr():
    """UKR, with 10 tanks declared in the zone DMZ."""
    party = f.party("UKR")
    f.zone("DMZ", f.square(30, 45, 31, 46))
    f.notification(party, D(2026, 1, 1), [(f.site(party, 30.9, 45.9), "tanks", 10)])
    return party


def seen(lon, lat, count, owner, footprint=None, accuracy_m=None, confidence=0.8, day=DAY):
    observation = f.observation(day, lon, lat, count, owner=owner, confidence=confidence)
    observation.footprint = Polygon.from_bbox(footprint) if footprint else None
    observation.accuracy_m = accuracy_m
    observation.full_clean()
    observation.save()
    return observation


def peak():
    found = [b for b in compliance.observation_breaches(AS_OF) if b.zone == "DMZ"]
    return found[0].counted if found else None


def east_of(lon, lat, metres):
    far_lon, far_lat, _ = WGS84.fwd(lon, lat, 90, metres)
    return far_lon, far_lat


def test_overlapping_footprints_of_one_day_count_once_with_the_larger_count(ukr):
    first = seen(30.505, 45.505, 15, ukr, footprint=(30.50, 45.50, 30.51, 45.51))
    second = seen(30.51, 45.505, 12, ukr, footprint=(30.505, 45.50, 30.515, 45.51))

    (breach,) = compliance.observation_breaches(AS_OF)
    assert (breach.counted, breach.excess) == (15, 5)
    assert breach.evidence["counted_once"] == [sorted([first.reference, second.reference])]


def test_footprints_that_only_touch_are_two_sightings(ukr):
    seen(30.505, 45.505, 15, ukr, footprint=(30.50, 45.50, 30.51, 45.51))
    seen(30.515, 45.505, 12, ukr, footprint=(30.51, 45.50, 30.52, 45.51))

    assert peak() == 27


def test_footprints_apart_are_two_sightings(ukr):
    seen(30.505, 45.505, 15, ukr, footprint=(30.50, 45.50, 30.51, 45.51))
    seen(30.525, 45.505, 12, ukr, footprint=(30.52, 45.50, 30.53, 45.51))

    assert peak() == 27


def test_a_chain_of_overlaps_is_one_group(ukr):
    seen(30.505, 45.505, 11, ukr, footprint=(30.50, 45.50, 30.51, 45.51))
    seen(30.515, 45.505, 14, ukr, footprint=(30.508, 45.50, 30.518, 45.51))
    seen(30.52, 45.505, 12, ukr, footprint=(30.516, 45.50, 30.526, 45.51))

    assert peak() == 14


def test_overlaps_on_different_days_or_of_another_category_are_not_merged(ukr):
    seen(30.505, 45.505, 15, ukr, footprint=(30.50, 45.50, 30.51, 45.51))
    seen(30.505, 45.505, 12, ukr, footprint=(30.50, 45.50, 30.51, 45.51), day=DAY + datetime.timedelta(days=1))
    other = seen(30.505, 45.505, 9, ukr, footprint=(30.50, 45.50, 30.51, 45.51))
    other.category = f.category("artillery")
    other.save()

    assert peak() == 15


def test_points_half_a_metre_inside_each_others_accuracy_count_once(ukr):
    seen(30.5, 45.5, 15, ukr, accuracy_m=100)
    seen(*east_of(30.5, 45.5, 99.5), 12, ukr, accuracy_m=100)

    assert peak() == 15


def test_points_half_a_metre_beyond_the_accuracy_count_twice(ukr):
    seen(30.5, 45.5, 15, ukr, accuracy_m=100)
    seen(*east_of(30.5, 45.5, 100.5), 12, ukr, accuracy_m=100)

    assert peak() == 27


def test_the_smaller_accuracy_circle_decides(ukr):
    """Each point must lie within the other's circle: 150 m apart, circles of 200 m and 100 m."""
    seen(30.5, 45.5, 15, ukr, accuracy_m=200)
    seen(*east_of(30.5, 45.5, 150), 12, ukr, accuracy_m=100)

    assert peak() == 27


def test_points_without_an_accuracy_are_never_merged(ukr):
    seen(30.5, 45.5, 15, ukr)
    seen(30.5, 45.5, 12, ukr)

    assert peak() == 27


def test_confidence_exactly_at_the_treaty_floor_counts(ukr):
    f.ceiling(Zone.objects.get(code="DMZ"), 100, treaty=f.treaty("Settlement", observation_confidence_floor="0.70"))
    seen(30.5, 45.5, 15, ukr, confidence=0.7)

    assert peak() == 15


def test_confidence_just_below_the_treaty_floor_gives_no_finding(ukr):
    f.ceiling(Zone.objects.get(code="DMZ"), 100, treaty=f.treaty("Settlement", observation_confidence_floor="0.70"))
    seen(30.5, 45.5, 15, ukr, confidence=0.69)

    assert peak() is None


def test_the_floor_of_a_treaty_whose_ceilings_lie_elsewhere_does_not_apply(ukr):
    elsewhere = f.zone("FAR", f.square(10, 10, 11, 11))
    f.ceiling(elsewhere, 100, treaty=f.treaty("Settlement", observation_confidence_floor="0.90"))
    seen(30.5, 45.5, 15, ukr, confidence=0.5)

    assert peak() == 15


def test_a_footprint_must_hold_the_point_and_be_a_valid_polygon():
    observation = Observation(
        reference="O-1",
        source="satellite",
        observed_on=DAY,
        location=Point(30.5, 45.5, srid=4326),
        category=f.category("tanks"),
        count=1,
        confidence=0.5,
        footprint=Polygon.from_bbox((30.6, 45.6, 30.7, 45.7)),
    )
    with pytest.raises(ValidationError) as raised:
        observation.full_clean()
    assert raised.value.message_dict["footprint"] == ["does not hold the observation's point (30.500000, 45.500000)"]

    observation.footprint = Polygon(((30, 45), (31, 46), (31, 45), (30, 46), (30, 45)), srid=4326)
    with pytest.raises(ValidationError) as raised:
        observation.full_clean()
    assert raised.value.message_dict["footprint"][0].startswith("geometry is not valid: Self-intersection")

    observation.footprint = Polygon.from_bbox((30.4, 45.4, 30.5, 45.5))  # the point on its corner
    observation.footprint.srid = 4326
    observation.full_clean()


def feature(**properties):
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [30.5, 45.5]},
        "properties": {
            "reference": "OBS-1",
            "source": "satellite scene 42",
            "observed_on": "2026-05-10",
            "category": "tanks",
            "count": 30,
            "confidence": 0.7,
            "party": "UKR",
            **properties,
        },
    }


SQUARE = {"type": "Polygon", "coordinates": [[[30.4, 45.4], [30.6, 45.4], [30.6, 45.6], [30.4, 45.6], [30.4, 45.4]]]}


def test_the_api_takes_and_serves_footprint_accuracy_sensor_and_time_as_properties():
    f.party("UKR")
    client = f.api(f.person("analyst", Role.ANALYST))
    sent = feature(footprint=SQUARE, accuracy_m=12.5, sensor="Sentinel-2B MSI", acquired_at="2026-05-10T23:59:59Z")
    response = client.post("/api/observations/", sent, format="json")
    assert response.status_code == 201, response.json()

    (served,) = client.get("/api/observations/").json()["features"]
    assert served["geometry"] == {"type": "Point", "coordinates": [30.5, 45.5]}
    assert served["properties"]["footprint"] == SQUARE
    assert served["properties"]["accuracy_m"] == 12.5
    assert served["properties"]["sensor"] == "Sentinel-2B MSI"
    assert served["properties"]["acquired_at"] == "2026-05-10T23:59:59Z"


def test_the_api_refuses_a_negative_accuracy_a_footprint_away_from_the_point_and_another_day():
    f.party("UKR")
    client = f.api(f.person("analyst", Role.ANALYST))
    away = {"type": "Polygon", "coordinates": [[[31, 46], [31.1, 46], [31.1, 46.1], [31, 46], [31, 46]]]}
    far = {**away, "coordinates": [[[31, 46], [31.1, 46], [31.1, 46.1], [31, 46.1], [31, 46]]]}

    response = client.post("/api/observations/", feature(accuracy_m=-1), format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["accuracy_m"]

    response = client.post("/api/observations/", feature(footprint=far), format="json")
    assert response.status_code == 400
    assert response.json() == {"footprint": ["does not hold the observation's point (30.500000, 45.500000)"]}

    # 23:30 at UTC-2 on the 10th is the 11th in UTC.
    response = client.post("/api/observations/", feature(acquired_at="2026-05-10T23:30:00-02:00"), format="json")
    assert response.status_code == 400
    assert response.json() == {"acquired_at": ["taken on 2026-05-11 (UTC), not on the day observed, 2026-05-10"]}
    assert not Observation.objects.exists()


def test_a_bundle_carries_the_optional_columns_and_the_treaty_floor(tmp_path):
    bundle.load(bundles.write(tmp_path / "in", records=True))
    (observation,) = Observation.objects.all()
    assert observation.sensor == "Sentinel-2B MSI"
    assert observation.accuracy_m == 15
    assert observation.acquired_at == datetime.datetime(2024, 4, 20, 8, 30, tzinfo=datetime.UTC)
    assert observation.footprint.extent == pytest.approx((35.5, 48.48, 35.52, 48.5))
    assert str(f.treaty("Settlement").observation_confidence_floor) == "0.60"

    bundle.export(tmp_path / "out")
    written = (tmp_path / "out" / "observations.csv").read_text().splitlines()
    assert written[0].endswith(",sensor,acquired_at,accuracy_m,footprint_wkt")
    assert 'Sentinel-2B MSI,2024-04-20T08:30:00+00:00,15.0,"POLYGON ((35.5 48.48' in written[1]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            ("observations.csv", 2, "footprint_wkt", "POLYGON ((36 49, 36.1 49, 36.1 49.1, 36 49.1, 36 49))"),
            "observations.csv, row 2, footprint: does not hold the observation's point (35.510000, 48.490000)",
        ),
        (("observations.csv", 2, "footprint_wkt", "POINT (35 48)"), "footprint_wkt: must be a POLYGON, not a POINT"),
        (("observations.csv", 2, "accuracy_m", "-3"), "observations.csv, row 2, accuracy_m:"),
        (
            ("observations.csv", 2, "acquired_at", "2024-04-21T00:00:00+00:00"),
            "acquired_at: taken on 2024-04-21 (UTC), not on the day observed, 2024-04-20",
        ),
        (("treaties.csv", 2, "observation_confidence_floor", "1.2"), "must be a number from 0 to 1, not '1.2'"),
    ],
)
def test_a_bundle_with_a_bad_observation_field_is_refused_naming_it(tmp_path, change, message):
    (name, row, column, value) = change
    with pytest.raises(bundle.BundleError, match=message.replace("(", r"\(").replace(")", r"\)")):
        bundle.load(bundles.write(tmp_path, {(name, row, column): value}, records=True))
    assert not Observation.objects.exists()
