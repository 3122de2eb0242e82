"""No single request can hold a core for long: extreme coordinates, huge specified areas, many bad lines."""

import json
import math
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories as f
from tracker.models import Inspection, Notification, Observation
from tracker.roles import Role
from zones.geometry import SPECIFIED_AREA_MAX_VERTICES

SECONDS = 2


def timed(call):
    start = time.perf_counter()
    response = call()
    return response, time.perf_counter() - start


def observation(coordinates: list, crs: str | None = None) -> dict:
    geometry = {"type": "Point", "coordinates": coordinates}
    if crs:
        geometry["crs"] = {"type": "name", "properties": {"name": crs}}
    return {
        "type": "Feature",
        "geometry": geometry,
        "properties": {
            "reference": "OBS-1",
            "source": "satellite",
            "observed_on": "2026-05-01",
            "category": "tanks",
            "count": 3,
            "confidence": 0.5,
        },
    }


def challenge(ring: list, date: str = "2026-04-02") -> dict:
    return {
        "reference": "CH-1",
        "inspecting_party": "UKR",
        "inspected_party": "RUS",
        "kind": "challenge",
        "date": date,
        "area": {"type": "Polygon", "coordinates": [ring]},
        "findings": [{"category": "tanks", "observed": 1}],
    }


def circle(vertices: int, radius_deg: float = 0.03, lon: float = 36.0, lat: float = 48.0) -> list:
    points = [
        [
            lon + radius_deg * math.cos(2 * math.pi * i / vertices),
            lat + radius_deg * math.sin(2 * math.pi * i / vertices),
        ]
        for i in range(vertices)
    ]
    return [*points, points[0]]


@pytest.fixture
def analyst():
    return f.api(f.person("analyst", Role.ANALYST))


@pytest.fixture
def inspector():
    f.party("RUS")
    return f.api(f.person("inspector", Role.INSPECTOR, f.party("UKR")))


@pytest.mark.parametrize(
    "coordinates, crs",
    [
        ([1e19, 1e19], "EPSG:3857"),
        ([1e20, 1e20], "EPSG:3857"),
        ([-1e19, 5e6], "EPSG:3857"),
        ([1e19, 1e19], "EPSG:32636"),
    ],
)
def test_a_point_far_outside_its_crs_is_refused_before_any_transform(analyst, coordinates, crs):
    response, seconds = timed(lambda: analyst.post("/api/observations/", observation(coordinates, crs), format="json"))
    assert response.status_code == 400
    assert "outside EPSG:" in response.json()["location"][0]
    assert seconds < SECONDS
    assert not Observation.objects.exists()


def test_a_point_inside_web_mercator_is_still_transformed(analyst):
    response = analyst.post("/api/observations/", observation([4007501.67, 6106854.83], "EPSG:3857"), format="json")
    assert response.status_code == 201, response.json()
    lon, lat = Observation.objects.get().location.coords
    assert lon == pytest.approx(36.0, abs=1e-6) and lat == pytest.approx(48.0, abs=1e-6)


@pytest.mark.parametrize("crs", ["EPSG:4978", "EPSG:5773", "EPSG:999999"])
def test_a_crs_without_two_axes_and_an_area_of_use_is_refused(analyst, crs):
    response = analyst.post("/api/observations/", observation([36, 48], crs), format="json")
    assert response.status_code == 400
    assert "EPSG:" in response.json()["location"][0]


def test_a_three_dimensional_polygon_is_refused_naming_the_area(inspector):
    ring = [[36.0, 48.0, 100.0], [36.01, 48.0, 100.0], [36.01, 48.01, 100.0], [36.0, 48.0, 100.0]]
    response = inspector.post("/api/inspections/", challenge(ring), format="json")
    assert response.status_code == 400
    assert "has 3 numbers" in response.json()["area"][0]
    assert not Inspection.objects.exists()


def test_a_specified_area_across_the_antimeridian_is_refused(inspector):
    ring = [[179.99, 60.0], [-179.99, 60.0], [-179.99, 60.01], [179.99, 60.01], [179.99, 60.0]]
    response = inspector.post("/api/inspections/", challenge(ring), format="json")
    assert response.status_code == 400
    assert "antimeridian" in response.json()["area"][0]
    assert not Inspection.objects.exists()


def test_a_specified_area_with_more_vertices_than_the_cap_is_refused_at_once(inspector):
    response, seconds = timed(
        lambda: inspector.post("/api/inspections/", challenge(circle(SPECIFIED_AREA_MAX_VERTICES + 1)), format="json")
    )
    assert response.status_code == 400
    assert response.json()["area"] == [
        f"specified area has {SPECIFIED_AREA_MAX_VERTICES + 2:,} vertices; "
        f"at most {SPECIFIED_AREA_MAX_VERTICES:,} are accepted"
    ]
    assert seconds < SECONDS


def test_a_specified_area_of_as_many_vertices_as_allowed_is_checked_quickly(inspector):
    """Every vertex on the hull: pairwise, the span check measured 50 million lines (minutes)."""
    ring = circle(SPECIFIED_AREA_MAX_VERTICES - 1, radius_deg=0.09)
    response, seconds = timed(lambda: inspector.post("/api/inspections/", challenge(ring), format="json"))
    assert response.status_code == 400
    assert any("km across" in reason for reason in response.json()["area"])
    assert seconds < SECONDS


def test_the_largest_quantity_a_line_can_hold_is_a_400_beyond_it():
    f.site(f.party("UKR"), code="KHA")
    client = f.api(f.person("officer", Role.OFFICER, f.party("UKR")))
    body = {
        "reference": "UKR-1",
        "party": "UKR",
        "kind": "change",
        "effective_date": "2026-03-01",
        "lines": [{"site": "KHA", "category": "tanks", "quantity": 2**31}],
    }
    response = client.post("/api/notifications/", body, format="json")
    assert response.status_code == 400
    assert response.json()["lines"]["0"] == {"quantity": ["Ensure this value is less than or equal to 2147483647."]}
    body["lines"][0]["quantity"] = 2**31 - 1
    assert client.post("/api/notifications/", body, format="json").status_code == 201


@pytest.mark.parametrize(
    "path, field, value",
    [
        ("/api/observations/", "count", 2**31),
        ("/api/inspections/", "observed", 2**31),
    ],
)
def test_counts_beyond_a_postgresql_integer_are_a_400(analyst, inspector, path, field, value):
    if path == "/api/observations/":
        body = observation([36, 48])
        body["properties"]["count"] = value
        response = analyst.post(path, body, format="json")
        assert response.status_code == 400 and "count" in response.json()
    else:
        f.site(f.party("RUS"), code="PSK")
        body = challenge(circle(8)) | {"findings": [{"category": "tanks", "observed": value}]}
        response = inspector.post(path, body, format="json")
        assert response.status_code == 400 and "findings" in response.json()


def notification_with(lines: int, bad: bool) -> dict:
    return {
        "reference": "UKR-1",
        "party": "UKR",
        "kind": "change",
        "effective_date": "2026-03-01",
        "lines": [
            {"site": f"NOWHERE-{n}" if bad else "KHA", "category": "tanks", "status": "active", "quantity": n}
            for n in range(lines)
        ],
    }


def test_a_notification_is_validated_in_the_same_number_of_queries_whatever_its_lines():
    f.site(f.party("UKR"), code="KHA")
    client = f.api(f.person("officer", Role.OFFICER, f.party("UKR")))
    counts = []
    for lines in (2, 2_000):
        with CaptureQueriesContext(connection) as queries:
            response = client.post("/api/notifications/", notification_with(lines, bad=True), format="json")
        assert response.status_code == 400
        assert response.json()["lines"]["1"] == {"site": ["UKR has no declared site 'NOWHERE-1'"]}
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert not Notification.objects.exists()


def test_a_notification_is_written_in_the_same_number_of_queries_whatever_its_lines():
    """Each line naming only a site declares for the site's own object of verification, made when first
    declared: found and made for all lines at once, not a query per line."""
    ukr = f.party("UKR")
    client = f.api(f.person("officer", Role.OFFICER, ukr))
    counts = []
    for n, lines in enumerate((2, 200)):
        codes = [f"W{n}-{i}" for i in range(lines)]
        for code in codes:
            f.site(ukr, code=code)
        body = {
            "reference": f"UKR-W{n}",
            "party": "UKR",
            "kind": "change",
            "effective_date": "2026-03-01",
            "lines": [{"site": code, "category": "tanks", "quantity": 1} for code in codes],
        }
        with CaptureQueriesContext(connection) as queries:
            response = client.post("/api/notifications/", body, format="json")
        assert response.status_code == 201, response.json()
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert (
        Notification.objects.get(reference="UKR-W1").holdings.values("object_of_verification").distinct().count() == 200
    )


def test_an_unknown_category_on_one_of_many_lines_is_named_without_a_query_per_line():
    f.site(f.party("UKR"), code="KHA")
    client = f.api(f.person("officer", Role.OFFICER, f.party("UKR")))
    body = notification_with(2_000, bad=True)
    body["lines"][7]["category"] = "zeppelins"
    with CaptureQueriesContext(connection) as queries:
        response = client.post("/api/notifications/", body, format="json")
    assert response.status_code == 400
    assert response.json()["lines"]["7"]["category"] == ["unknown equipment category code 'zeppelins'"]
    assert len(queries) < 20


def test_forty_thousand_bad_lines_are_answered_within_the_time_a_request_may_take(settings):
    """Within the web process's statement timeout, after which PostgreSQL would cut the request short."""
    f.site(f.party("UKR"), code="KHA")
    client = f.api(f.person("officer", Role.OFFICER, f.party("UKR")))
    body = json.dumps(notification_with(40_000, bad=True))
    response, seconds = timed(lambda: client.post("/api/notifications/", body, content_type="application/json"))
    assert response.status_code == 400
    assert seconds < settings.WEB_STATEMENT_TIMEOUT_MS / 1000


@pytest.mark.parametrize("path", ["/api/zones/Z1%00/", "/api/notifications/N%00/", "/admin/tracker/site/1%00/change/"])
def test_a_nul_character_in_a_path_is_a_400_not_a_crash(path, client):
    f.zone("Z1")
    f.sign_in(client, f.person("root", "superuser"))
    response = client.get(path)
    assert response.status_code == 400
    assert response.json() == {"detail": "a path has no NUL characters"}


def test_a_multipart_body_over_the_limit_and_one_attachment_is_refused_with_413(inspector, settings):
    settings.ATTACHMENT_MAX_BYTES = 1000
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE + settings.ATTACHMENT_MAX_BYTES
    response = inspector.post(
        "/api/inspections/", {"reference": "CH-1", "file": SimpleUploadedFile("big.bin", b"x" * (limit + 1))}
    )
    assert response.status_code == 413
    assert response.json() == {"detail": f"the request body is larger than the {limit:,} bytes accepted"}
