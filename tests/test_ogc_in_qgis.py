"""QGIS's own OAPIF provider, as a monitor uses it, reads a collection of /ogc/ whole from a live server."""

import subprocess
from pathlib import Path

import pytest

from tests import factories as f
from tests.gis_clients import authorization, environment
from tracker.models import Site
from tracker.roles import Role

QGIS_PYTHON = "/usr/bin/python3"
SCRIPT = Path(__file__).parent / "scripts" / "qgis_feature_count.py"


def qgis_installed() -> bool:
    found = subprocess.run([QGIS_PYTHON, "-c", "import qgis.core"], capture_output=True)
    return found.returncode == 0


pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not qgis_installed(), reason="needs QGIS's Python API (Debian package python3-qgis)"),
]


@pytest.fixture(autouse=True)
def _database(transactional_db):
    f.ensure_categories()


def test_qgis_counts_every_site_of_the_collection(live_server):
    ukr, rus = f.party("UKR"), f.party("RUS")
    for n in range(5):
        f.notified_site(ukr if n % 2 else rus, 30 + n, 48)
    f.site(rus, 36, 48)  # a draft-only site of another party: not the monitor's to see
    monitor = f.person("monitor", Role.MONITOR, ukr)
    done = subprocess.run(
        [QGIS_PYTHON, "-X", "faulthandler", str(SCRIPT), f"{live_server.url}/ogc/", "sites"],
        capture_output=True,
        text=True,
        timeout=60,
        env={**environment(monitor), "QT_QPA_PLATFORM": "offscreen", "TRACKER_AUTHORIZATION": authorization(monitor)},
    )
    assert done.returncode == 0, done.stderr
    assert int(done.stdout.split()[-1]) == Site.objects.visible_to(monitor).count() == 5
