import datetime

import pytest

from tests import factories as f
from tracker.roles import Role

pytestmark = pytest.mark.browser


def test_choosing_a_challenge_inspection_asks_for_the_area_on_a_map(page, log_in, screenshot):
    ukr, rus = f.party("UKR", "Ukraine"), f.party("RUS", "Russian Federation")
    depot = f.site(rus, code="PSKOV-1")
    f.notification(rus, datetime.date(2024, 1, 1), [(depot, "tanks", 40)])
    report = f.inspection(ukr, rus, datetime.date(2024, 3, 1), {"tanks": 46}, site=depot, status="draft")
    log_in(f.person("inspector", Role.INSPECTOR, ukr))

    page.goto(f"/admin/tracker/inspection/{report.pk}/change/")
    assert page.locator(".field-site").is_visible()
    assert not page.locator(".field-area").is_visible()
    assert page.locator("#findings-0 .field-difference").inner_text() == "+6"
    screenshot("inspection-form")

    page.select_option("#id_kind", "challenge")
    assert not page.locator(".field-site").is_visible()
    assert page.locator("#id_area-map .leaflet-draw-draw-polygon").is_visible()
