"""The inspection calendar: a month's requests on their days, coloured by where each stands."""

import datetime

import pytest

from tests import factories as f
from tracker.roles import Role

pytestmark = pytest.mark.browser

T = datetime.datetime(2026, 3, 4, 8, 0, tzinfo=datetime.UTC)


def days(n: float) -> datetime.datetime:
    return T + datetime.timedelta(days=n)


def test_the_calendar_shows_the_months_requests_by_state_and_links_to_each(page, log_in, screenshot):
    f.treaty()
    ukr, blr, pol = f.party("UKR", "Ukraine"), f.party("BLR", "Belarus"), f.party("POL", "Poland")
    done = f.inspection_request(
        ukr, blr, days(0), reference="UKR-2026-01", arrived_at=days(1.5), departed_at=days(3.5), acknowledged_at=days(0)
    )
    f.inspection_request(ukr, blr, days(9), reference="UKR-2026-02", arrived_at=days(10.5))
    f.inspection_request(
        blr, ukr, days(14), reference="BLR-2026-01", answer="refused", answered_at=days(15.6), assurance="closed"
    )
    f.inspection_request(ukr, blr, days(24), reference="UKR-2026-03")
    f.inspection_request(pol, blr, days(5), reference="POL-2026-01")
    log_in(f.person("inspector", Role.INSPECTOR, ukr))

    page.goto("/admin/")
    page.click("text=Inspection calendar")
    page.fill("#month", "2026-03")
    page.click("input[value=Show]")

    assert page.locator("h1").inner_text() == "Inspection calendar: March 2026"
    assert page.locator("a.request.done").count() == 3  # 5, 6 and 7 March
    assert page.locator("a.request.in-country").count() == 11  # not departed: 14 March and the 10 days after
    assert page.locator("a.request.refused").count() == 1
    assert page.locator("a.request.notified").count() == 1
    assert "POL-2026-01" not in page.content()
    screenshot("inspection-calendar")

    page.locator("a.request.done").first.click()
    assert page.url.endswith(f"/admin/tracker/inspectionrequest/{done.pk}/change/")
    limits = page.locator(".field-time_limits")
    limits.scroll_into_view_if_needed()
    assert "in-country period (1 inspection)" in limits.inner_text()
    screenshot("inspection-request")
