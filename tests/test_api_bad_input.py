"""Malformed bodies get a 400 naming what is wrong: never a 500, never a half-written record."""

import pytest

from tests import factories as f
from tracker.models import Inspection, Notification, Observation

ODD_BODIES = [
    [],
    "text",
    {},
    {"lines": "many", "findings": 3, "properties": "x", "geometry": "POINT(1 2)"},
    {"reference": ["A"], "party": {"code": "UKR"}, "lines": [1, None], "findings": [[]], "properties": {"count": {}}},
    {"type": "Feature", "properties": {"reference": "O"}, "geometry": {"type": "Point", "coordinates": ["a", "b"]}},
    {"area": {"type": "Polygon", "coordinates": [[[0, 0], [1, 1]]]}, "kind": "challenge"},
    {"area": {"type": "Polygon", "coordinates": [[[0, 0], [0, 1], [1, 1], [0, 0]]], "crs": "EPSG:3857"}},
]


@pytest.fixture
def writer():
    person = f.person("all-roles", "superuser")
    return f.api(person)


@pytest.mark.parametrize("url", ["/api/notifications/", "/api/inspections/", "/api/observations/"])
@pytest.mark.parametrize("body", ODD_BODIES, ids=range(len(ODD_BODIES)))
def test_an_odd_body_is_a_400_that_writes_nothing(writer, url, body):
    f.party("UKR"), f.party("RUS")
    response = writer.post(url, body, format="json")
    assert response.status_code == 400, response.content
    assert isinstance(response.json(), dict) and response.json()
    assert not (Notification.objects.exists() or Inspection.objects.exists() or Observation.objects.exists())


def test_an_impossible_date_is_named_as_such(writer):
    f.party("UKR")
    response = writer.get("/api/holdings/", {"as_of": "2026-02-30"})
    assert response.json() == {"as_of": ["2026-02-30 is not a day of the calendar"]}
    notice = {"reference": "N", "party": "UKR", "kind": "change", "effective_date": "2026-02-29", "lines": []}
    assert writer.post("/api/notifications/", notice, format="json").json() == {
        "effective_date": ["2026-02-29 is not a day of the calendar"]
    }
