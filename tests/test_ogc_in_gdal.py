"""GDAL's OAPIF driver, as QGIS and ogr2ogr use it, reads /ogc/ whole from a live server with a token."""

import datetime
import re
import shutil

import pytest

from tests import factories as f
from tests.gis_clients import feature_count, gdal
from tracker import compliance, holdings
from tracker.models import Inspection, Observation, Site
from tracker.roles import Role

D = datetime.date
pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(shutil.which("ogrinfo") is None, reason="needs GDAL's ogrinfo (gdal-bin)"),
]


@pytest.fixture(autouse=True)
def _database(transactional_db):
    """Committed data: the live server reads it on its own connection."""
    f.ensure_categories()


@pytest.fixture
def monitor():
    ukr, rus = f.party("UKR"), f.party("RUS")
    f.zone("OLD", geom=f.square(20, 45, 21, 46), valid_to=D(2023, 12, 31))
    f.contact_line("LOC")
    f.contact_line("LOC-2014", valid_to=D(2015, 2, 14))
    f.contact_line("LOC-2015")
    f.ceiling(f.zone("Z1", geom=f.square(30, 45, 35, 52)), 4, applies_to="all")
    f.ceiling(f.zone("Z2", geom=f.square(35, 45, 40, 52)), 4, applies_to="all")
    sites = [
        f.site(owner, 30.5 + n, 48, code=f"S{n}") for n in range(7) for owner in (ukr, rus) if n % 2 == (owner == rus)
    ]
    for owner in (ukr, rus):
        f.notification(owner, D(2024, 1, 1), [(site, "tanks", 5) for site in sites if site.party == owner])
    f.inspection(ukr, rus, D(2024, 3, 1), {"tanks": 9}, site=sites[1])
    f.inspection(rus, ukr, D(2024, 3, 2), {"tanks": 1}, area=f.square(30.2, 47.9, 30.7, 48.1)[0])
    for n in range(5):
        f.observation(D(2024, 5, 1 + n), 31 + n, 49, 3, rus)
    return f.person("monitor", Role.MONITOR, ukr)


def test_ogrinfo_lists_every_collection(live_server, monitor):
    listing = gdal(monitor, "ogrinfo", "-ro", "-so", f"OAPIF:{live_server.url}/ogc/")
    layers = re.findall(r"^\d+: ([\w-]+)", listing, re.M)
    assert layers == ["zones", "contact-lines", "sites", "holdings", "violations", "inspections", "observations"]


def test_gdal_reads_each_collection_whole_across_pages(live_server, monitor):
    today = datetime.date.today()
    in_the_database = {
        "zones": 2,
        "contact-lines": 2,
        "sites": Site.objects.visible_to(monitor).count(),
        "holdings": holdings.sites_holding(today).count(),  # one category per site here
        "violations": len(compliance.readable_by(compliance.evaluate(today), monitor)),
        "inspections": Inspection.objects.visible_to(monitor).count(),
        "observations": Observation.objects.visible_to(monitor).count(),
    }
    assert in_the_database["sites"] == 7 and in_the_database["violations"] >= 3
    read = {
        collection: feature_count(
            monitor, f"OAPIF:{live_server.url}/ogc/collections/{collection}", "-oo", "PAGE_SIZE=2"
        )
        for collection in in_the_database
    }
    assert read == in_the_database


def test_gdal_filters_by_bbox_and_datetime(live_server, monitor):
    sites = f"OAPIF:{live_server.url}/ogc/collections/sites"
    assert feature_count(monitor, sites, "-spat", "30", "47", "32.9", "49") == 3
    # A collection asked for as of a day links to its items as of that day, and GDAL follows the link.
    assert feature_count(monitor, f"OAPIF:{live_server.url}/ogc/collections/zones?datetime=2023-06-01") == 3
    assert feature_count(monitor, f"OAPIF:{live_server.url}/ogc/collections/zones") == 2
    observations = f"OAPIF:{live_server.url}/ogc/collections/observations?datetime=2024-05-02/2024-05-03"
    assert feature_count(monitor, observations) == 2


def test_ogr2ogr_copies_the_violations_into_a_geopackage(live_server, monitor, tmp_path):
    copy = tmp_path / "violations.gpkg"
    gdal(monitor, "ogr2ogr", "-f", "GPKG", str(copy), f"OAPIF:{live_server.url}/ogc/collections/violations")
    summary = gdal(monitor, "ogrinfo", "-so", "-al", str(copy))
    expected = len(compliance.readable_by(compliance.evaluate(datetime.date.today()), monitor))
    assert f"Feature Count: {expected}\n" in summary
