"""/zones/<code>/ in headless Chromium: the zone's map, a chart of each ceiling over time, its breaches."""

import datetime
from importlib import import_module

import pytest
from django.apps import apps
from django.contrib.auth.models import User

from tests import factories as f

pytestmark = pytest.mark.browser

D = datetime.date


@pytest.fixture(autouse=True)
def equipment_categories():
    """Page tests commit, and the tables are emptied after each, rows that migrations made included."""
    import_module("tracker.migrations.0003_equipment_categories").add_categories(apps, None)


def test_the_zone_page_charts_counted_against_the_limit_and_lists_the_breach(page, log_in, screenshot):
    ukr = f.party("UKR")
    dmz = f.zone("DMZ", f.square(35, 47, 36, 48), kind="demilitarized")
    f.ceiling(dmz, 10)
    f.ceiling(dmz, 5, category_code="artillery")
    post = f.site(ukr, 35.5, 47.5, code="DMZ-POST")
    f.notification(ukr, D(2025, 1, 1), [(post, "tanks", 8), (post, "artillery", 2)], kind="annual")
    f.notification(ukr, D(2025, 5, 1), [(post, "tanks", 14)])
    f.notification(ukr, D(2025, 9, 1), [(post, "tanks", 9)])
    log_in(User.objects.create_superuser("monitor", password="x"))

    page.goto("/zones/DMZ/?as_of=2025-06-01")
    page.wait_for_selector('body[data-as-of="2025-06-01"]')

    charts = page.locator("figure.chart")
    assert charts.count() == 2
    tanks = charts.filter(has_text="tanks")
    steps = tanks.locator("path.counted").get_attribute("d")
    assert (steps.count("H"), steps.count("V")) == (3, 2)  # 8, then 14, then 9: a step at each notification
    assert tanks.locator(".excess rect").count() == 1
    assert page.locator('path[data-zone="DMZ"]').get_attribute("stroke") == "#c62828"
    assert "14 tanks counted in DMZ, limit 10 (+4)" in page.locator("#breaches").inner_text()
    assert "over the limit from 2025-05-01 to 2025-08-31 (by up to 4)" in page.locator("#periods").inner_text()
    screenshot("zone-page")
