import pytest

from tests import factories as f
from tracker.roles import Role

pytestmark = pytest.mark.browser


def test_an_officer_moves_a_site_by_typing_its_coordinates_and_the_map_follows(page, log_in, screenshot):
    ukr = f.party("UKR", "Ukraine")
    depot = f.site(ukr, lon=30.5, lat=50.4, code="KYIV-1")
    log_in(f.person("officer", Role.OFFICER, ukr))

    page.goto(f"/admin/tracker/site/{depot.pk}/change/")
    marker = page.locator("#id_location-map .leaflet-marker-icon")
    marker.wait_for()
    before = marker.bounding_box()
    assert page.locator("#id_longitude").input_value() == "30.5"

    page.fill("#id_longitude", "31.25")
    page.fill("#id_latitude", "50.75")
    page.press("#id_latitude", "Tab")
    after = marker.bounding_box()
    assert '"coordinates":[31.25,50.75]' in page.locator("#id_location").input_value().replace(" ", "")
    assert (after["x"], after["y"]) != (before["x"], before["y"])
    screenshot("site-change-form")

    page.click("input[name=_save]")
    page.wait_for_url("**/admin/tracker/site/")
    depot.refresh_from_db()
    assert depot.location.coords == (31.25, 50.75)


def test_the_site_list_shows_the_listed_sites_on_a_map(page, log_in):
    ukr = f.party("UKR", "Ukraine")
    f.notified_site(ukr, lon=30.5, lat=50.4, code="KYIV-1")
    f.notified_site(ukr, lon=36.2, lat=49.9, code="KHARKIV-1")
    log_in(f.person("monitor", Role.MONITOR))

    page.goto("/admin/tracker/site/")

    page.locator("#list-map path.leaflet-interactive").first.wait_for()
    assert page.locator("#list-map path.leaflet-interactive").count() == 2
