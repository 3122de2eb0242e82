"""A web request's statements are cut off by PostgreSQL past WEB_STATEMENT_TIMEOUT_MS; commands are not."""

import os
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.db import connection

from tests import factories as f
from tracker.roles import Role

ROOT = Path(__file__).resolve().parent.parent
SHOW = "from django.db import connection; c = connection.cursor(); c.execute('SHOW statement_timeout'); print(c.fetchone()[0])"


def conninfo() -> str:
    database = connection.settings_dict
    return f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}"


def statement_timeout_of(code: str) -> str:
    env = {**os.environ, "DATABASE_URL": conninfo(), "WEB_STATEMENT_TIMEOUT_MS": "1500"}
    env.pop("TRACKER_WEB_PROCESS", None)
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60, check=True
    )
    return result.stdout.strip().splitlines()[-1]


def test_the_web_process_connects_with_the_statement_timeout():
    assert statement_timeout_of(f"import tracker.wsgi; {SHOW}") == "1500ms"


def test_a_management_command_runs_without_a_statement_timeout():
    code = f"import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'tracker.settings'; django.setup(); {SHOW}"
    assert statement_timeout_of(code) == "0"


@pytest.fixture
def zones_held_by_another_transaction():
    with psycopg.connect(conninfo()) as other:
        other.execute("LOCK TABLE zones_zone IN ACCESS EXCLUSIVE MODE")
        yield
        other.rollback()


def test_a_statement_past_the_timeout_is_answered_503_in_json(zones_held_by_another_transaction, settings):
    client = f.api(f.person("monitor", Role.MONITOR))
    settings.WEB_STATEMENT_TIMEOUT_MS = 200
    with connection.cursor() as cursor:  # what the web process's connection options set
        cursor.execute("SET statement_timeout = 200")
    response = client.get("/api/zones/")
    assert response.status_code == 503
    assert response.json() == {
        "detail": "the request needed more than the 0.2 s of database time a request may use; nothing was stored"
    }
    assert "Retry-After" not in response


def test_the_default_timeout_leaves_room_for_the_heaviest_request_but_not_for_minutes():
    assert 5_000 <= settings.WEB_STATEMENT_TIMEOUT_MS <= 30_000
