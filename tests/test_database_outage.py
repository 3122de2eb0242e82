"""When the database connection is lost mid-service, a write answers 503 JSON, stores nothing, and the next request recovers.

The full exercise (PostgreSQL restarted under a stream of writes through gunicorn) is bench/faults.py.
"""

import psycopg
import pytest
from django.db import close_old_connections, connection

from tests import factories as f
from tracker.models import Notification
from tracker.roles import Role

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _database(transactional_db):
    """Committed data: the connection under test is cut from another one."""
    f.ensure_categories()


def draft(reference: str) -> dict:
    return {
        "reference": reference,
        "party": "UKR",
        "kind": "change",
        "effective_date": "2026-03-01",
        "lines": [{"site": "KHA", "category": "tanks", "quantity": 12}],
    }


def cut_connection() -> None:
    """Terminate this thread's server process from outside, as a restart of PostgreSQL does."""
    pid = connection.connection.info.backend_pid
    settings = connection.get_connection_params()
    with psycopg.connect(**{**settings, "autocommit": True}) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [pid])


def stored() -> set[str]:
    close_old_connections()
    return set(Notification.objects.values_list("reference", flat=True))


def test_a_write_that_loses_the_database_answers_503_and_stores_nothing():
    f.site(f.party("UKR"), code="KHA")
    officer = f.api(f.person("officer", Role.OFFICER, f.party("UKR")))
    assert officer.post("/api/notifications/", draft("UKR-1"), format="json").status_code == 201

    cut_connection()
    response = officer.post("/api/notifications/", draft("UKR-2"), format="json")
    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "the database is unavailable; nothing was stored, try again shortly"}
    assert response["Retry-After"] == "5"
    assert stored() == {"UKR-1"}

    # The server closes a broken connection between requests (CONN_HEALTH_CHECKS): no restart needed.
    assert officer.post("/api/notifications/", draft("UKR-3"), format="json").status_code == 201
    assert stored() == {"UKR-1", "UKR-3"}


def test_the_admin_answers_503_too_when_the_database_is_lost(client):
    f.sign_in(client, f.person("root", "superuser"))
    client.raise_request_exception = False  # the session is loaded outside any view: handler500 answers
    cut_connection()
    response = client.get("/admin/tracker/notification/")
    assert response.status_code == 503
    close_old_connections()
    assert client.get("/admin/tracker/notification/").status_code == 200
