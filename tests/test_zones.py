import datetime

import pytest
from django.contrib.gis.geos import MultiPolygon, Point, Polygon
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from tests import factories as f
from zones.models import ZoneVersion

D = datetime.date


def covering_codes(lon, lat, day):
    return sorted(ZoneVersion.objects.covering(Point(lon, lat, srid=4326), day).values_list("zone__code", flat=True))


def test_a_point_on_the_boundary_counts_as_inside():
    f.zone("DMZ", f.square(30, 45, 31, 46))
    assert covering_codes(31.0, 45.5, D(2026, 1, 1)) == ["DMZ"]
    assert covering_codes(30.0, 45.0, D(2026, 1, 1)) == ["DMZ"]
    assert covering_codes(31.0001, 45.5, D(2026, 1, 1)) == []


def test_nested_zones_are_plain_containment():
    f.zone("IV.1", f.square(0, 40, 50, 60))
    f.zone("IV.4", f.square(10, 48, 20, 54))
    assert covering_codes(15, 50, D(2026, 1, 1)) == ["IV.1", "IV.4"]
    assert covering_codes(30, 50, D(2026, 1, 1)) == ["IV.1"]


def test_as_of_questions_read_the_version_in_force():
    f.zone("FLANK", f.square(30, 40, 50, 50), valid_to=D(1997, 5, 14))
    f.zone("FLANK", f.square(30, 40, 40, 50), valid_from=D(1997, 5, 15))
    assert covering_codes(45, 45, D(1997, 5, 14)) == ["FLANK"]
    assert covering_codes(45, 45, D(1997, 5, 15)) == []
    assert covering_codes(35, 45, D(1997, 5, 15)) == ["FLANK"]


def test_two_versions_of_a_zone_cannot_overlap_in_time():
    zone = f.zone("FLANK", f.square(30, 40, 50, 50), valid_to=D(1997, 5, 15))
    with pytest.raises(IntegrityError):
        ZoneVersion.objects.create(zone=zone, geom=f.square(30, 40, 40, 50), valid_from=D(1997, 5, 15))


def test_a_self_intersecting_polygon_is_rejected():
    bow_tie = MultiPolygon(Polygon(((0, 0), (1, 1), (1, 0), (0, 1), (0, 0))), srid=4326)
    version = ZoneVersion(zone=f.zone("Z"), geom=bow_tie)
    with pytest.raises(ValidationError) as raised:
        version.full_clean()
    assert "Self-intersection" in str(raised.value.message_dict["geom"])


def test_coordinates_out_of_range_are_rejected():
    version = ZoneVersion(zone=f.zone("Z"), geom=f.square(170, 80, 190, 95))
    with pytest.raises(ValidationError) as raised:
        version.full_clean()
    assert raised.value.message_dict["geom"] == [
        "longitude out of range [-180, 180] (found 170 to 190)",
        "latitude out of range [-90, 90] (found 80 to 95)",
    ]
