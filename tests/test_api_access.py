import io

import pytest
from django.core.management import call_command

from tests import factories as f
from tracker.api.throttling import TokenRateThrottle
from tracker.roles import Role

ENDPOINTS = [
    "/api/zones/",
    "/api/zones/Z1/",
    "/api/zones/Z1/status/",
    "/api/zones/Z1/history/",
    "/api/violations/",
    "/api/violations/periods/",
    "/api/holdings/",
    "/api/holdings/summary/",
    "/api/parties/",
    "/api/categories/",
    "/api/treaties/",
    "/api/ceilings/",
    "/api/contact-lines/",
    "/api/distance-rules/",
    "/api/sites/",
    "/api/notifications/",
    "/api/inspections/",
    "/api/observations/",
    "/api/dates/",
]


@pytest.mark.parametrize("url", ENDPOINTS)
def test_anonymous_requests_get_401(url):
    f.zone("Z1")
    response = f.api().get(url)
    assert response.status_code == 401
    assert response.json() == {"detail": "Authentication credentials were not provided."}


@pytest.mark.parametrize("url", ENDPOINTS)
def test_a_token_opens_every_endpoint(url):
    f.zone("Z1")
    assert f.api(f.person("monitor", Role.MONITOR)).get(url).status_code == 200


def test_the_schema_and_docs_need_no_login():
    client = f.api()
    assert client.get("/api/schema/").status_code == 200
    assert client.get("/api/docs/").status_code == 200


def test_create_api_token_prints_a_working_token_once():
    f.person("script", Role.MONITOR)
    printed = io.StringIO()
    call_command("create_api_token", "script", stdout=printed, stderr=io.StringIO())
    client = f.api()
    client.credentials(HTTP_AUTHORIZATION=f"Token {printed.getvalue().strip()}")
    assert client.get("/api/parties/").status_code == 200


def test_a_browser_session_works_too(client):
    f.sign_in(client, f.person("monitor", Role.MONITOR))
    assert client.get("/api/parties/").status_code == 200


def test_a_token_past_its_budget_gets_429_with_the_wait(monkeypatch):
    monkeypatch.setattr(TokenRateThrottle, "THROTTLE_RATES", {"token": "2/minute"})
    client = f.api(f.person("busy", Role.MONITOR))
    assert [client.get("/api/parties/").status_code for _ in range(2)] == [200, 200]
    response = client.get("/api/parties/")
    assert response.status_code == 429
    assert response.json()["detail"].startswith("Request was throttled. Expected available in")
    assert 0 < int(response["Retry-After"]) <= 60
