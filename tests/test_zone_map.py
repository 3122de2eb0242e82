"""/map/ in headless Chromium: zones coloured by compliance as of a date, layers, date control, panels."""

import datetime
from importlib import import_module

import pytest
from django.apps import apps
from django.contrib.auth.models import User

from tests import factories as f

pytestmark = pytest.mark.browser

D = datetime.date
BEFORE, BREACH, AFTER = D(2025, 3, 1), D(2025, 5, 1), D(2025, 6, 1)
RED, AMBER, GREEN, GREY = "#c62828", "#ef8f00", "#2e7d32", "#808080"


@pytest.fixture(autouse=True)
def equipment_categories():
    """Page tests commit, and the tables are emptied after each, rows that migrations made included."""
    import_module("tracker.migrations.0003_equipment_categories").add_categories(apps, None)


@pytest.fixture
def settlement():
    """Nested zones with ceilings; UKR's DMZ site goes over the DMZ's ceiling from 1 May 2025."""
    ukr = f.party("UKR")
    attu = f.zone("ATTU", f.square(20, 40, 50, 60), kind="area_of_application")
    central = f.zone("CENTRAL", f.square(28, 44, 42, 54), kind="nested")
    dmz = f.zone("DMZ", f.square(35, 47, 36, 48), kind="demilitarized")
    f.zone("LZ", f.square(44, 42, 48, 46), kind="limitation")
    f.ceiling(attu, 1000, applies_to="all")
    f.ceiling(central, 100)
    f.ceiling(dmz, 10)
    post = f.site(ukr, 35.2, 47.2, code="DMZ-POST")
    base = f.site(ukr, 30.0, 50.0, code="KYIV")
    f.notification(ukr, D(2025, 1, 1), [(post, "tanks", 8), (base, "tanks", 85)], kind="annual")
    raised = f.notification(ukr, BREACH, [(post, "tanks", 14)])
    return {"raised": raised}


def zone_colours(page, day):
    page.wait_for_selector(f'#map[data-as-of="{day}"]')
    paths = page.locator("path[data-zone]")
    return {path.get_attribute("data-zone"): path.get_attribute("stroke") for path in paths.all()}


@pytest.fixture
def monitor(log_in):
    log_in(User.objects.create_superuser("monitor", password="x"))


def test_every_zone_is_drawn_in_its_compliance_colour_before_and_after_the_breach(
    page, settlement, monitor, screenshot
):
    page.goto(f"/map/?as_of={BEFORE}")
    assert zone_colours(page, BEFORE) == {"ATTU": GREEN, "CENTRAL": AMBER, "DMZ": GREEN, "LZ": GREY}

    page.goto(f"/map/?as_of={AFTER}")
    assert zone_colours(page, AFTER) == {"ATTU": GREEN, "CENTRAL": AMBER, "DMZ": RED, "LZ": GREY}
    assert page.locator(".leaflet-control-scale").is_visible()
    assert page.locator(".legend").inner_text().count("\n") >= 4
    screenshot("map")


def test_changing_the_date_redraws_the_colours_without_reloading_and_keeps_the_date_in_the_link(
    page, settlement, monitor
):
    page.goto(f"/map/?as_of={BEFORE}")
    zone_colours(page, BEFORE)
    page.evaluate("window.stillTheSamePage = true")

    page.locator("#next-change").click()  # the next change is the notification raising the DMZ post
    assert zone_colours(page, BREACH)["DMZ"] == RED
    assert page.url.endswith(f"/map/?as_of={BREACH}")

    page.locator("#as-of").fill(BEFORE.isoformat())
    page.locator("#as-of").dispatch_event("change")
    assert zone_colours(page, BEFORE)["DMZ"] == GREEN
    assert page.evaluate("window.stillTheSamePage") is True


def test_clicking_the_breached_zone_opens_its_ceilings_and_the_breach_with_its_evidence(page, settlement, monitor):
    page.goto(f"/map/?as_of={AFTER}")
    zone_colours(page, AFTER)
    page.locator('path[data-zone="DMZ"]').click()

    panel = page.locator('#panel[data-zone="DMZ"]')
    panel.wait_for()
    row = panel.locator("tr[data-ceiling]")
    assert row.locator("td").all_inner_texts()[:5] == ["tanks", "UKR", "14", "10", "-4"]
    breach = panel.locator('li[data-kind="ceiling_exceeded"]')
    assert "14 tanks counted in DMZ, limit 10 (+4)" in breach.inner_text()
    assert page.url.endswith(f"?as_of={AFTER}&zone=DMZ")

    breach.get_by_role("link", name=f"notification {settlement['raised'].reference}").click()
    page.wait_for_url(f"**/admin/tracker/notification/{settlement['raised'].pk}/change/")


def test_a_link_to_a_zone_opens_the_map_on_its_panel(page, settlement, monitor):
    page.goto(f"/map/?as_of={BEFORE}&zone=DMZ")
    page.locator('#panel[data-zone="DMZ"]').wait_for()
    assert page.locator("#panel .state").inner_text() == "within limits"


def test_clicking_a_site_shows_its_holdings_and_the_notifications_behind_them(page, settlement, monitor):
    page.goto(f"/map/?as_of={AFTER}&zone=DMZ")
    page.locator('#panel[data-zone="DMZ"]').wait_for()
    page.locator("#panel .close").click()
    page.evaluate("leafletmapmap.setView([47.2, 35.2], 12)")
    page.wait_for_load_state("networkidle")  # the sites of the new view drawn, not one about to be replaced
    page.locator('path[data-site="DMZ-POST"]').click()

    panel = page.locator('#panel[data-site="DMZ-POST"]')
    panel.wait_for()
    assert panel.locator(".holdings-table tbody td").all_inner_texts() == [
        "tanks",
        "active",
        "14",
        settlement["raised"].reference,
    ]


def test_the_map_needs_a_login(client):
    response = client.get("/map/")
    assert response.status_code == 302
    assert response["Location"] == "/admin/login/?next=/map/"
