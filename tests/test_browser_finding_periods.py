"""The zone page draws the period of each finding in the zone, first seen to resolved or to today, with its grade
and state, filtered by grade; the map's breaches carry their grade and state."""

import datetime
from importlib import import_module

import pytest
from django.apps import apps
from django.contrib.auth.models import User

from tests import factories as f
from tracker import findings_register
from tracker.models import Finding

pytestmark = pytest.mark.browser

D = datetime.date
ANNUAL_EXCHANGE = datetime.datetime(2024, 12, 1, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def equipment_categories():
    """Page tests commit, and the tables are emptied after each, rows that migrations made included."""
    import_module("tracker.migrations.0003_equipment_categories").add_categories(apps, None)


@pytest.fixture
def zone_with_findings():
    """UKR over the tank ceiling in DMZ from May to August 2025 (resolved in September) and again from
    November; an inspection in June saw more artillery than declared (an indicator, explained)."""
    ukr, rus = f.party("UKR"), f.party("RUS")
    dmz = f.zone("DMZ", f.square(35, 47, 36, 48), kind="demilitarized")
    f.ceiling(dmz, 10)
    post = f.site(ukr, 35.5, 47.5, code="DMZ-POST")
    f.notification(
        ukr, D(2025, 1, 1), [(post, "tanks", 8), (post, "artillery", 2)], kind="annual", submitted_at=ANNUAL_EXCHANGE
    )
    f.notification(ukr, D(2025, 5, 1), [(post, "tanks", 14)])
    f.notification(ukr, D(2025, 9, 1), [(post, "tanks", 9)])
    f.inspection(rus, ukr, D(2025, 6, 10), {"artillery": 4}, site=post)
    for day in (D(2025, 4, 15), D(2025, 5, 15), D(2025, 6, 15), D(2025, 9, 15)):
        findings_register.refresh(day)
    findings_register.set_state(
        Finding.objects.filter(kind="inspection_discrepancy"), "explained", "two pieces in transit to the depot"
    )


def test_the_zone_page_draws_each_findings_period_with_its_grade_and_state(
    page, log_in, screenshot, zone_with_findings
):
    log_in(User.objects.create_superuser("monitor", password="x"))

    page.goto("/zones/DMZ/?as_of=2025-06-15")
    page.wait_for_selector('body[data-as-of="2025-06-15"]')

    bars = page.locator("#finding-periods g.finding")
    assert bars.count() == 2
    ceiling = page.locator('#finding-periods g[data-kind="ceiling_exceeded"]')
    assert (ceiling.get_attribute("data-grade"), ceiling.get_attribute("data-state")) == ("breach", "resolved")
    assert "first seen 2025-05-15, resolved 2025-09-15" in ceiling.locator("title").text_content()
    inspected = page.locator('#finding-periods g[data-kind="inspection_discrepancy"]')
    assert (inspected.get_attribute("data-grade"), inspected.get_attribute("data-state")) == ("indicator", "explained")
    # The resolved bar ends where it was resolved; the one still open runs on to today, further right.
    resolved_end = float(ceiling.locator("rect").get_attribute("x")) + float(
        ceiling.locator("rect").get_attribute("width")
    )
    open_end = float(inspected.locator("rect").get_attribute("x")) + float(
        inspected.locator("rect").get_attribute("width")
    )
    assert resolved_end < open_end
    assert (
        page.locator("#finding-periods rect.bar.breach").evaluate("bar => getComputedStyle(bar).fill")
        == "rgb(198, 40, 40)"
    )
    # The breaches of the day carry their grade, and the register's state.
    assert "indicator explained" in page.locator('#breaches li[data-kind="inspection_discrepancy"]').inner_text()
    screenshot("zone-finding-periods")

    page.locator('.finding-periods .filter a[data-grade="indicator"]').click()
    page.wait_for_selector('body[data-as-of="2025-06-15"]')
    assert page.locator("#finding-periods g.finding").count() == 1
    assert page.locator("#finding-periods g.finding").get_attribute("data-kind") == "inspection_discrepancy"


def test_the_maps_findings_are_marked_by_grade_and_filtered_by_it(page, log_in, screenshot, zone_with_findings):
    log_in(User.objects.create_superuser("monitor", password="x"))
    page.goto("/map/?as_of=2025-06-15")
    page.wait_for_selector('#map[data-as-of="2025-06-15"]')
    indicator = page.locator('.leaflet-breaches-pane path[fill="#ef8f00"]')
    indicator.first.wait_for()

    assert "indicator: to be clarified" in page.locator(".legend").inner_text()
    indicator.first.click(force=True)
    popup = page.locator(".leaflet-popup-content")
    assert "inspection discrepancy indicator explained" in popup.inner_text()
    screenshot("map-finding-grades")

    page.locator("#grade-filter").select_option("breach")
    indicator.first.wait_for(state="detached")
    assert page.locator('.leaflet-breaches-pane path[fill="#ef8f00"]').count() == 0
