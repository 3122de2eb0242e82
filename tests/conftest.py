import os
import time
from importlib import import_module
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connections
from django.test import override_settings

from tests.databases import clone_from_template
from tests.factories import sign_in
from tracker import answers
from tracker.compliance import cached, ceilings
from tracker.models import EquipmentCategory

ARTIFACTS = Path(__file__).parent / "artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


RUNTIME = (settings.DATABASE_RUNTIME_ROLE, settings.DATABASES["default"]["PASSWORD"])
OWNER = (settings.DATABASE_OWNER, settings.DATABASE_OWNER_PASSWORD)


def connect_as(role: str, password: str) -> None:
    """Make every new connection, the live server's threads' included, log in as ``role``."""
    for connection in connections.all():
        connection.close()
        connection.settings_dict.update(USER=role, PASSWORD=password)
    settings.DATABASES["default"].update(USER=role, PASSWORD=password)


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """The test database is created and migrated by its owner, as in production: a copy of a template
    migrated once (tests/databases.py)."""
    connect_as(*OWNER)
    clone_from_template(*OWNER)


@pytest.fixture(scope="session")
def django_db_keepdb():
    """Django keeps the cloned database: already migrated, it is not created again; the next run replaces it."""
    return True


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup):
    """Then every test runs as the role the application runs as, which owns nothing."""
    connect_as(*RUNTIME)
    yield
    connect_as(*OWNER)  # the owner drops the test database


@pytest.fixture(autouse=True, scope="session")
def _quick_password_hashing():
    """A password hash costs about half a second by design (PBKDF2, a million rounds); the tests make
    hundreds of users, and their passwords guard nothing."""
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(autouse=True)
def _database(db):
    """Every test runs against the real PostGIS test database, in a transaction rolled back after it.

    A page test commits (its live server sees only committed rows), and its end empties every table,
    the equipment categories a migration added among them: they are put back for the tests after it.

    Answers kept by the tests before are forgotten: a rolled-back transaction returns the data versions
    to values already seen, and emptying the tables after a page test changes none.
    """
    answers.forget()
    if not EquipmentCategory.objects.exists():
        import_module("tracker.migrations.0003_equipment_categories").add_categories(apps, None)


@pytest.fixture(scope="session")
def browser():
    # Playwright's sync API keeps an event loop in this thread; the ORM calls tests make
    # alongside it are still synchronous ones.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, live_server):
    """A browser page on the live server; any request for a host other than 127.0.0.1 fails the test."""
    context = browser.new_context(viewport={"width": 1400, "height": 900}, base_url=live_server.url)
    outside = []

    def keep_local(route):
        url = route.request.url
        if url.startswith(("data:", "blob:")) or urlsplit(url).hostname in ("127.0.0.1", "localhost"):
            route.continue_()
        else:
            outside.append(url)
            route.abort()

    context.route("**/*", keep_local)
    in_flight = set()
    context.on("request", lambda request: in_flight.add(request))
    context.on("requestfinished", lambda request: in_flight.discard(request))
    context.on("requestfailed", lambda request: in_flight.discard(request))
    page = context.new_page()
    yield page
    # Every request answered before the test's tables are emptied: a request the live server is still
    # reading for (a map fetching its layers) would deadlock with the emptying. None for a while, too: a page's
    # script may send the next request once the one before is answered.
    deadline, quiet_since = time.monotonic() + 10, None
    while time.monotonic() < deadline:
        if in_flight:
            quiet_since = None
        elif quiet_since is None:
            quiet_since = time.monotonic()
        elif time.monotonic() - quiet_since >= 0.3:
            break
        page.wait_for_timeout(50)
    page.goto("about:blank")  # and no timer of the page's sends another
    context.close()
    assert outside == [], f"requests left 127.0.0.1: {outside}"


@pytest.fixture
def log_in(page, client, live_server):
    """Log ``user`` in to the browser page through a real session cookie (second factor given, when needed)."""

    def log_in(user):
        sign_in(client, user)
        cookie = client.cookies["sessionid"]
        page.context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_server.url}])

    return log_in


@pytest.fixture
def screenshot(page):
    """Save a full-page screenshot under tests/artifacts/ (not committed) and return its path."""

    def screenshot(name: str) -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return screenshot


@pytest.fixture
def recounted(monkeypatch):
    """The zone ids whose ceilings are counted, call by call, in any thread (the real count is made)."""
    calls = []

    def counting(as_of, zones, *rows):
        calls.append(sorted(zones))
        return ceilings.ceiling_counts_by_zone(as_of, zones, *rows)

    monkeypatch.setattr(cached, "ceiling_counts_by_zone", counting)
    return calls
