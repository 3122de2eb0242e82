"""Every write endpoint and date parameter fed the extremes: no 5xx, and no request over ten seconds.

Complements the schema fuzzing (tests/test_api_fuzzing.py), whose generated values rarely reach
the calendar's ends, coordinates of 1e19 or a hundred thousand vertices. Each request is timed
on its own; the whole file stays within a few tens of seconds on CI's two cores.
"""

import datetime
import json
import math
import time

import pytest
from django.conf import settings

from tests import factories as f
from tests import signing
from tracker.dates import EARLIEST, latest
from zones.geometry import MAX_VERTICES

D = datetime.date
# A bound on runaway work (a request that would hold a core), not a speed figure: each of these answers in well
# under a second on an idle machine, and the bound leaves room for a CI machine busy with other tests.
SECONDS = 10.0


def edges() -> list[str]:
    one = datetime.timedelta(days=1)
    return [
        "0001-01-01",
        "0001-01-29",
        "9999-12-31",
        (EARLIEST - one).isoformat(),
        EARLIEST.isoformat(),
        latest().isoformat(),
        (latest() + one).isoformat(),
    ]


# JSON itself has no NaN or Infinity; Python's decoder reads these spellings, strict parsers refuse them.
NON_NUMBERS = ["NaN", "Infinity", "-Infinity"]
POINTS = [
    ([1e19, 1e19], None),
    ([1e19, 1e19], "EPSG:3857"),
    ([1e20, -1e20], "EPSG:3857"),
    ([20037508.34, 20048966.1], "EPSG:3857"),
    ([-20037508.34, -20048966.1], "EPSG:3857"),
    ([180, 90], None),
    ([-180, -90], None),
    ([180.000001, 0], None),
    ([0, -90.000001], None),
    ([1e308, 1e308], "EPSG:32636"),
    ([36, 48, 1e19], None),
    ([True, False], None),
]


def point(coordinates: list, crs: str | None) -> dict:
    geometry = {"type": "Point", "coordinates": coordinates}
    return geometry | ({"crs": {"type": "name", "properties": {"name": crs}}} if crs else {})


def ring(vertices: int, lon: float = 36.0, lat: float = 48.0, radius: float = 0.02) -> list:
    points = [
        [
            round(lon + radius * math.cos(2 * math.pi * i / vertices), 7),
            round(lat + radius * math.sin(2 * math.pi * i / vertices), 7),
        ]
        for i in range(vertices)
    ]
    return [*points, points[0]]


AREAS = [
    [[179.99, 60.0], [-179.99, 60.0], [-179.99, 60.01], [179.99, 60.01], [179.99, 60.0]],
    [[-180, -90], [180, -90], [180, 90], [-180, 90], [-180, -90]],
    [[1e19, 1e19], [1e19, -1e19], [-1e19, -1e19], [1e19, 1e19]],
]


def observation(n: int, day: str = "2026-05-01", geometry: dict | None = None) -> dict:
    return {
        "type": "Feature",
        "geometry": geometry or point([36, 48], None),
        "properties": {
            "reference": f"OBS-{n}",
            "source": "satellite",
            "observed_on": day,
            "category": "tanks",
            "count": 1,
            "confidence": 0.5,
        },
    }


def inspection(n: int, day: str = "2026-04-02", area: list | None = None) -> dict:
    return {
        "reference": f"CH-{n}",
        "inspecting_party": "UKR",
        "inspected_party": "RUS",
        "kind": "challenge",
        "date": day,
        "area": {"type": "Polygon", "coordinates": [area or ring(8)]},
        "findings": [{"category": "tanks", "observed": 1}],
    }


def notification(n: int, day: str = "2026-03-01", lines: int = 1) -> dict:
    return {
        "reference": f"UKR-{n}",
        "party": "UKR",
        "kind": "change",
        "effective_date": day,
        "lines": [{"site": "KHA", "category": "tanks", "quantity": q} for q in range(lines)],
    }


@pytest.fixture
def client(settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_CLASSES": []}
    ukr = f.party("UKR")
    f.party("RUS")
    zone = f.zone("Z1")
    f.ceiling(zone, 10)
    site = f.site(ukr, code="KHA")
    f.notification(ukr, D(2026, 1, 1), [(site, "tanks", 12)], submit=False)
    client = f.api(f.person("fuzzer", "superuser"))
    signing.private_of(client.person, ukr)
    return client


def bounded(call) -> int:
    start = time.perf_counter()
    response = call()
    seconds = time.perf_counter() - start
    assert response.status_code < 500, response.content[:300]
    assert seconds < SECONDS, f"{seconds:.2f} s"
    return response.status_code


def post(client, path: str, body) -> int:
    text = body if isinstance(body, str) else json.dumps(body)
    return bounded(lambda: client.post(path, text, content_type="application/json"))


def test_extreme_dates_at_every_write_endpoint(client):
    for n, day in enumerate(edges()):
        post(client, "/api/observations/", observation(n, day))
        post(client, "/api/inspections/", inspection(n, day))
        status = post(client, "/api/notifications/", notification(n, day))
        if status == 201:
            bounded(lambda n=n: signing.submit(client, f"N-{n}"))
            bounded(lambda n=n: client.post(f"/api/notifications/N-{n}/correct/", {}, format="json"))


DATE_PARAMETERS = [
    ("/api/violations/", "as_of"),
    ("/api/zones/", "as_of"),
    ("/api/zones/Z1/", "as_of"),
    ("/api/zones/Z1/status/", "as_of"),
    ("/api/zones/Z1/history/", "from"),
    ("/api/zones/Z1/history/", "to"),
    ("/api/holdings/", "as_of"),
    ("/api/holdings/summary/", "as_of"),
    ("/api/ceilings/", "as_of"),
    ("/api/notifications/", "effective_from"),
    ("/api/notifications/", "effective_to"),
    ("/api/inspections/", "date_from"),
    ("/api/observations/", "observed_to"),
]


def test_extreme_dates_in_every_date_parameter(client):
    for path, name in DATE_PARAMETERS:
        for day in edges():
            bounded(lambda path=path, name=name, day=day: client.get(path, {name: day}))
    for day in edges():
        bounded(lambda day=day: client.get("/api/holdings/cells/", {"as_of": day, "zoom": 5}))
    bounded(lambda: client.get("/api/dates/"))


def test_extreme_coordinates_and_non_numbers(client):
    for n, (coordinates, crs) in enumerate(POINTS):
        post(client, "/api/observations/", observation(n, geometry=point(coordinates, crs)))
    for n, word in enumerate(NON_NUMBERS):
        body = json.dumps(observation(100 + n)).replace("[36, 48]", f"[{word}, 48]")
        post(client, "/api/observations/", body)
    for n, area in enumerate(AREAS):
        post(client, "/api/inspections/", inspection(n, area=area))


def test_vertex_counts_up_to_the_body_limit(client):
    for n, vertices in enumerate([1_000, 10_000, MAX_VERTICES, MAX_VERTICES + 1]):
        body = json.dumps(inspection(n, area=ring(vertices)))
        if len(body) <= settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
            post(client, "/api/inspections/", body)
    lines = settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 120
    post(client, "/api/notifications/", notification(0, lines=lines // 4))
