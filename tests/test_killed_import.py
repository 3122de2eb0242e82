"""An import killed half-way (SIGKILL: no handler runs, no rollback is asked for) leaves nothing behind."""

import csv
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from tests import factories
from tracker.bundle.format import CEILINGS, DECLARATIONS, INSPECTIONS, PARTIES, TREATIES
from tracker.models import Holding, Notification, Site, StateParty, Treaty
from zones.models import Zone

ROOT = Path(__file__).resolve().parent.parent
SITES = 1000
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


@pytest.fixture(autouse=True)
def _database(transactional_db):
    """The import runs in another process, on its own connection, so the data must be committed."""
    factories.ensure_categories()


def write_csv(path: Path, header: list[str], rows: list[list]) -> None:
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)


def write_bundle(folder: Path) -> Path:
    """A bundle with one site per declaration line, large enough to be caught while it is written."""
    folder.mkdir()
    write_csv(folder / "parties.csv", PARTIES, [["UKR", "Ukraine", ""]])
    zones = {
        "type": "FeatureCollection",
        "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}},
        "features": [
            {
                "type": "Feature",
                "properties": {"code": "Z1", "name": "Zone 1", "kind": "nested", "valid_from": "", "valid_to": ""},
                "geometry": {"type": "Polygon", "coordinates": [[[30, 45], [40, 45], [40, 52], [30, 52], [30, 45]]]},
            }
        ],
    }
    (folder / "zones.geojson").write_text(json.dumps(zones))
    write_csv(
        folder / "treaties.csv",
        TREATIES,
        [["Settlement", "2020-01-01", "", "5"]],
    )
    write_csv(
        folder / "ceilings.csv",
        CEILINGS,
        [["Settlement", "Z1", "tanks", "each", "100", "all", "", ""]],
    )
    write_csv(
        folder / "declarations.csv",
        [*DECLARATIONS, "supersedes"],
        [
            [
                "UKR-1",
                "UKR",
                "annual",
                "2026-01-01",
                "2026-01-01T09:00:00+00:00",
                f"S{number}",
                f"Site {number}",
                30 + (number % 1000) / 100,
                45 + number // 1000,
                "tanks",
                "3",
                "active",
                "",
            ]
            for number in range(SITES)
        ],
    )
    write_csv(
        folder / "inspections.csv",
        INSPECTIONS,
        [],
    )
    return folder


def import_process(folder: Path) -> subprocess.Popen:
    db = settings.DATABASES["default"]
    url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    env = {**os.environ, "DATABASE_URL": url, "PGAPPNAME": "killed-import"}
    return subprocess.Popen(
        [sys.executable, "manage.py", "import_bundle", str(folder)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def import_backend() -> tuple[int, bool] | None:
    """The import's server process and whether its transaction has written anything yet."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid, backend_xid IS NOT NULL FROM pg_stat_activity WHERE application_name = 'killed-import'"
        )
        return cursor.fetchone()


def wait_for(condition, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def wait_until_writing(process: subprocess.Popen) -> None:
    def writing():
        assert process.poll() is None, "the import finished before it could be killed; make the bundle larger"
        backend = import_backend()
        return bool(backend and backend[1])

    wait_for(writing)


def test_an_import_killed_mid_load_leaves_no_rows(tmp_path):
    process = import_process(write_bundle(tmp_path / "bundle"))
    wait_until_writing(process)
    process.send_signal(signal.SIGKILL)
    process.wait(10)
    wait_for(lambda: import_backend() is None)  # the server noticed and rolled back

    assert StateParty.objects.count() == 0
    assert Zone.objects.count() == 0
    assert Treaty.objects.count() == 0
    assert Site.objects.count() == 0
    assert Notification.objects.count() == 0
    assert Holding.objects.count() == 0


def test_the_same_bundle_loads_completely_when_left_alone(tmp_path):
    process = import_process(write_bundle(tmp_path / "bundle"))
    assert process.wait(120) == 0
    assert Site.objects.count() == SITES
    assert Holding.objects.filter(effective_from__isnull=False).count() == SITES
