"""Read answers rendered once and sent again while the data is unchanged; never past a write, never past a guard."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories as f
from tracker.roles import Role

D = datetime.date
VIOLATIONS = "/api/violations/?as_of=2026-06-01"


def scenario():
    ukr = f.party("UKR")
    zone = f.zone("Z1")
    f.ceiling(zone, 10)
    depot = f.site(ukr, code="DEPOT")
    f.notification(ukr, D(2026, 1, 1), [(depot, "tanks", 12)])
    return ukr, depot


@pytest.mark.parametrize(
    "url",
    [
        VIOLATIONS,
        "/api/zones/?as_of=2026-06-01",
        "/api/zones/Z1/status/?as_of=2026-06-01",
        "/api/holdings/summary/?as_of=2026-06-01&group_by=zone,category",
    ],
)
def test_a_repeated_question_is_answered_from_the_rendered_bytes(url):
    scenario()
    client = f.api(f.person("monitor", Role.MONITOR))
    first = client.get(url)
    with CaptureQueriesContext(connection) as queries:
        again = client.get(url)

    assert again.status_code == 200
    assert again.content == first.content
    assert again["Content-Type"] == first["Content-Type"]
    read = {table for query in queries.captured_queries for table in re.findall(r'FROM "?(\w+)', query["sql"])}
    assert read == {
        "accounts_apitoken",
        "auth_user_groups",
        "tracker_dataversion",
    }  # who asks with their roles (one statement), and whether the data changed


def test_a_write_makes_the_next_answer_fresh():
    ukr, depot = scenario()
    client = f.api(f.person("monitor", Role.MONITOR))
    assert [b["excess"] for b in client.get(VIOLATIONS).json()["results"]] == [2]

    f.notification(ukr, D(2026, 5, 1), [(depot, "tanks", 15)])
    assert [b["excess"] for b in client.get(VIOLATIONS).json()["results"]] == [5]


def test_each_date_format_and_filter_has_its_own_answer():
    scenario()
    client = f.api(f.person("monitor", Role.MONITOR))

    assert client.get(VIOLATIONS).json()["count"] == 1
    assert client.get("/api/violations/?as_of=2025-12-31").json()["count"] == 0
    assert client.get(VIOLATIONS + "&category=artillery").json()["count"] == 0
    assert client.get(VIOLATIONS + "&format=geojson").json()["type"] == "FeatureCollection"
    csv = client.get(VIOLATIONS + "&format=csv")
    assert csv["Content-Type"].startswith("text/csv")
    assert csv["Content-Disposition"] == 'attachment; filename="violations-2026-06-01.csv"'
    assert client.get(VIOLATIONS + "&format=csv").content == csv.content


def test_a_kept_answer_is_still_refused_to_whoever_may_not_ask():
    scenario()
    assert f.api(f.person("monitor", Role.MONITOR)).get(VIOLATIONS).status_code == 200

    assert f.api().get(VIOLATIONS).status_code == 401


def test_the_browsable_api_names_its_own_user_each_time(client):
    scenario()
    for username in ("first", "second"):
        f.sign_in(client, f.person(username, Role.MONITOR))
        page = client.get(VIOLATIONS, HTTP_ACCEPT="text/html")
        assert page.status_code == 200
        assert username in page.content.decode()
