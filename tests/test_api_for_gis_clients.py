"""The REST API as a GIS client meets it: a root to start from, ``?format=`` over ``Accept``, whole GeoJSON lists."""

import datetime
import shutil

import pytest

from tests import factories as f
from tests.gis_clients import feature_count
from tracker.api.pagination import MAX_PAGE_SIZE, PAGE_SIZE
from tracker.roles import Role

D = datetime.date


def test_the_api_root_lists_every_list_and_the_ogc_api():
    root = f.api(f.person("monitor", Role.MONITOR)).get("/api/", HTTP_ACCEPT="application/json")
    assert root.status_code == 200
    assert {"zones", "sites", "holdings", "violations", "inspections", "observations", "dates", "ogc"} <= set(
        root.json()
    )
    assert root.json()["ogc"].endswith("/ogc/")


@pytest.mark.parametrize(("format_", "media_type"), [("geojson", "application/geo+json"), ("csv", "text/csv")])
def test_the_format_parameter_wins_over_the_accept_header(format_, media_type):
    client = f.api(f.person("monitor", Role.MONITOR))
    response = client.get(f"/api/violations/?format={format_}", HTTP_ACCEPT="application/json")
    assert response.status_code == 200 and response["Content-Type"].startswith(media_type)


def test_accept_still_chooses_when_no_format_is_named():
    response = f.api(f.person("monitor", Role.MONITOR)).get("/api/violations/", HTTP_ACCEPT="application/geo+json")
    assert response["Content-Type"] == "application/geo+json"


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(shutil.which("ogrinfo") is None, reason="needs GDAL's ogrinfo (gdal-bin)")
def test_gdal_reads_a_geojson_list_whole_when_asked_for_a_page_of_every_feature(transactional_db, live_server):
    f.ensure_categories()
    ukr = f.party("UKR")
    sites = [f.site(ukr, 30 + n * 0.01, 48) for n in range(PAGE_SIZE + 5)]
    f.notification(ukr, D(2024, 1, 1), [(site, "tanks", 1) for site in sites])
    f.ceiling(f.zone("Z1", geom=f.square(29, 45, 35, 52)), 1, applies_to="all")
    monitor = f.person("monitor", Role.MONITOR, ukr)
    api = f"{live_server.url}/api"
    assert feature_count(monitor, f"{api}/sites/") == PAGE_SIZE  # one page, as before
    assert feature_count(monitor, f"{api}/sites/?page_size={MAX_PAGE_SIZE}") == PAGE_SIZE + 5
    # GDAL sends Accept: application/json; it used to get 406 here.
    assert feature_count(monitor, f"{api}/violations/?format=geojson&as_of=2024-06-01") == 1
