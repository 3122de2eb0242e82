import datetime

import pytest

from tests import factories as f
from tracker.models import PassiveQuota
from tracker.roles import Role

pytestmark = pytest.mark.browser

D = datetime.date


def test_an_inspector_opens_the_quota_ledger_and_sees_each_partys_bars(page, log_in, screenshot):
    ukr, pol, rus = f.party("UKR", "Ukraine"), f.party("POL", "Poland"), f.party("RUS", "Russian Federation")
    f.group("Group A", pol)
    sites = [f.site(ukr) for _ in range(40)]
    f.notification(ukr, D(2024, 1, 1), [(site, "tanks", 1) for site in sites], kind="annual")  # 15 % of 40 = 6
    rus_sites = [f.site(rus) for _ in range(30)]
    f.notification(rus, D(2024, 1, 1), [(site, "tanks", 1) for site in rus_sites], kind="annual")
    PassiveQuota.objects.create(treaty=f.treaty(), party=rus, year=2024, announced=3, source="RUS annual exchange")
    brigade = f.object_of_verification(sites[0])
    f.arrived_request(pol, ukr, D(2024, 3, 1), brigade, reports=2)
    f.arrived_request(pol, ukr, D(2024, 4, 1), f.area(), answer="accepted")
    f.planned_inspection(pol, ukr, (D(2024, 9, 1), D(2024, 9, 3)), brigade)
    f.arrived_request(pol, rus, D(2024, 5, 1), f.object_of_verification(rus_sites[0]), reports=3)
    log_in(f.person("inspector", Role.INSPECTOR, pol))

    page.goto("/admin/")
    page.get_by_role("link", name="Inspection quotas").click()
    page.fill("#id_year", "2024")
    page.click("input[value=Show]")
    page.wait_for_url("**year=2024**")

    rows = page.locator("table.ledger tbody tr.party")
    rows.first.wait_for()
    assert rows.count() == 2
    assert page.locator("svg.quota-bar").count() == 6  # each party's two bars, and POL's share of each
    assert page.get_by_role("img", name="3 used and 1 planned of 6").is_visible()
    assert "below the computed 4" in rows.nth(0).inner_text()
    screenshot("quota-ledger")
