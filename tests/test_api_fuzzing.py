"""The API fuzzed from its own OpenAPI schema (schemathesis): no 5xx, and every answer matches the schema.

A bounded, derandomised number of examples per operation keeps it reproducible in CI; for a longer
hunt raise FUZZ_EXAMPLES (``FUZZ_EXAMPLES=200 make test ARGS=tests/test_api_fuzzing.py``).
"""

import datetime
import os

import pytest
import schemathesis
from django.contrib.auth.models import User
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis import checks

from tests import factories as f

D = datetime.date
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "3"))
CHECKS = [checks.not_a_server_error, checks.response_schema_conformance, checks.content_type_conformance]


# The schema view reads no table, so the schema loads at collection, before any test database.
schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application())


@pytest.fixture(autouse=True)
def _requests_inside_the_test_transaction(settings):
    """As Django's test client does: each request keeps the test's connection and transaction."""
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_CLASSES": []}
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def scenario():
    """A little of everything, so the fuzzer's requests reach real rows and not only 404s."""
    ukr, rus = f.party("UKR"), f.party("RUS")
    zone = f.zone("Z1")
    f.ceiling(zone, 10)
    site = f.site(ukr, code="KHA")
    original = f.notification(ukr, D(2026, 1, 1), [(site, "tanks", 12)])
    f.notification(ukr, D(2026, 2, 1), [(site, "acv", 3)], submit=False)
    f.inspection(rus, ukr, D(2026, 3, 1), {"tanks": 9}, site=site)
    f.observation(D(2026, 3, 2), 35.0, 48.0, 20, owner=ukr)
    return original


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_no_request_the_schema_allows_gets_a_5xx_or_an_answer_off_the_schema(case, scenario):
    superuser = User.objects.filter(username="fuzzer").first() or f.person("fuzzer", "superuser")
    case.call_and_validate(headers={"Authorization": f"Token {f.token(superuser)}"}, checks=CHECKS)
