"""Hostile input is refused with a 4xx naming the problem: oversized bodies, monstrous geometries, SQL in filters."""

import datetime
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories as f
from tracker.models import Inspection, Notification, Observation, StateParty
from tracker.roles import Role
from zones.geometry import MAX_VERTICES

D = datetime.date


@pytest.fixture
def inspector():
    f.party("RUS")
    return f.api(f.person("inspector", Role.INSPECTOR, f.party("UKR")))


def challenge(area: dict) -> dict:
    return {
        "reference": "CH-1",
        "inspecting_party": "UKR",
        "inspected_party": "RUS",
        "kind": "challenge",
        "date": "2026-04-02",
        "area": area,
        "findings": [{"category": "tanks", "observed": 1}],
    }


def ring(vertices: int) -> list[list[float]]:
    """A closed ring of ``vertices`` positions along a short zig-zag (small numbers keep the body small)."""
    points = [[36 + (i % 2) * 1e-5, 48 + i * 1e-9] for i in range(vertices - 1)]
    return [*points, points[0]]


def test_an_oversized_body_is_refused_with_413_before_it_is_parsed(inspector, settings):
    body = json.dumps(challenge({"type": "Polygon", "coordinates": [ring(4)]}) | {"padding": "x" * 6_000_000})
    assert len(body) > settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    response = inspector.post("/api/inspections/", body, content_type="application/json")
    assert response.status_code == 413
    assert response.json() == {
        "detail": f"the request body is larger than the {settings.DATA_UPLOAD_MAX_MEMORY_SIZE:,} bytes accepted"
    }
    assert not Inspection.objects.exists()


def test_a_polygon_with_too_many_vertices_is_refused_before_it_reaches_postgis(inspector):
    area = {"type": "Polygon", "coordinates": [ring(2 * MAX_VERTICES)]}
    with CaptureQueriesContext(connection) as queries:
        response = inspector.post("/api/inspections/", challenge(area), format="json")
    assert response.status_code == 400
    assert response.json() == {
        "area": [f"geometry has {2 * MAX_VERTICES:,} vertices; at most {MAX_VERTICES:,} are accepted"]
    }
    assert max(len(query["sql"]) for query in queries.captured_queries) < 10_000
    assert not Inspection.objects.exists()


def test_a_collection_of_many_geometries_is_refused_by_its_type_alone(inspector):
    points = [{"type": "Point", "coordinates": [36, 48]}] * 50_000
    response = inspector.post(
        "/api/inspections/", challenge({"type": "GeometryCollection", "geometries": points}), format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"area": ["expected a Polygon, not a GeometryCollection"]}


def test_json_nested_beyond_reason_is_a_400_not_a_crash(inspector):
    body = "[" * 100_000 + "]" * 100_000
    response = inspector.post("/api/inspections/", body, content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"detail": "JSON parse error - nested too deeply"}


INJECTIONS = [
    "' OR '1'='1",
    "UKR'; DROP TABLE tracker_notification; --",
    "%' OR 1=1 --",
    "UKR\x00",
]
FILTERED = [
    ("/api/notifications/", "party"),
    ("/api/notifications/", "effective_from"),
    ("/api/holdings/", "party"),
    ("/api/holdings/", "zone"),
    ("/api/holdings/", "as_of"),
    ("/api/holdings/summary/", "group_by"),
    ("/api/violations/", "party"),
    ("/api/violations/", "kind"),
    ("/api/zones/", "kind"),
    ("/api/zones/", "bbox"),
    ("/api/zones/", "simplify"),
    ("/api/sites/", "party"),
    ("/api/ceilings/", "treaty"),
    ("/api/inspections/", "date_from"),
    ("/api/observations/", "bbox"),
    ("/api/notifications/", "page"),
    ("/api/notifications/", "page_size"),
]


@pytest.mark.parametrize("url, parameter", FILTERED)
@pytest.mark.parametrize("value", INJECTIONS, ids=range(len(INJECTIONS)))
def test_sql_in_a_filter_parameter_is_refused_or_matches_nothing(url, parameter, value):
    ukr = f.party("UKR")
    f.notification(ukr, D(2026, 1, 1), [(f.site(ukr, code="KHA"), "tanks", 5)])
    f.zone("Z1")
    response = f.api(f.person("monitor", Role.MONITOR)).get(url, {parameter: value})
    assert response.status_code in (200, 400, 404), response.content[:300]
    if response.status_code == 200 and parameter in ("party", "zone", "treaty", "kind"):
        body = response.json()
        rows = body.get("results", body.get("features", body)) if isinstance(body, dict) else body
        assert rows in ([], {"type": "FeatureCollection", "features": []}) or not rows
    assert Notification.objects.count() == 1
    assert StateParty.objects.filter(code="UKR").exists()
    assert Observation.objects.count() == 0
