import datetime

import pytest

from tests import factories as f
from tracker.roles import Role

pytestmark = pytest.mark.browser


def test_a_monitor_picks_a_date_and_sees_the_breach_on_the_map_and_in_the_table(page, log_in, screenshot):
    ukr = f.party("UKR", "Ukraine")
    zone = f.zone("Z1")
    f.ceiling(zone, 100)
    f.notification(ukr, datetime.date(2024, 1, 1), [(f.site(ukr, code="KYIV-1"), "tanks", 120)])
    log_in(f.person("monitor", Role.MONITOR))

    page.goto("/admin/")
    page.get_by_role("link", name="Breaches as of today").click()
    page.fill("#id_as_of", "2024-06-01")
    page.click("input[value=Show]")

    page.locator("#list-map path.leaflet-interactive").first.wait_for()
    assert page.locator("table.breaches tbody tr").count() == 1
    assert "ceiling exceeded" in page.locator("table.breaches").inner_text()
    screenshot("compliance-dashboard")
    page.get_by_role("link", name="KYIV-1").click()
    page.wait_for_url("**/admin/tracker/site/?q=KYIV-1")
    assert page.locator("#result_list tbody tr").count() == 1
