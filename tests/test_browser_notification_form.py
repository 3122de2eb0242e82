import datetime

import pytest

from tests import factories as f
from tracker.roles import Role

pytestmark = pytest.mark.browser


def test_an_officer_sees_a_drafts_lines_and_can_save_and_submit_it(page, log_in, screenshot):
    ukr = f.party("UKR", "Ukraine")
    kyiv, kharkiv = f.site(ukr, code="KYIV-1"), f.site(ukr, code="KHARKIV-1")
    draft = f.notification(
        ukr,
        datetime.date(2024, 3, 1),
        [(kyiv, "tanks", 40), (kyiv, "artillery", 12, "storage"), (kharkiv, "acv", 75)],
        submit=False,
    )
    log_in(f.person("officer", Role.OFFICER, ukr))

    page.goto(f"/admin/tracker/notification/{draft.pk}/change/")

    assert page.locator("#holdings-group tbody tr.has_original").count() == 3
    assert page.locator("input[name=_submit]").is_visible()
    screenshot("notification-form")
    page.click("input[name=_submit]")
    assert "was submitted" in page.locator(".messagelist").inner_text()
    assert page.locator("input[name=_submit]").count() == 0
    assert page.get_by_role("button", name="Correct").is_visible()
    screenshot("notification-submitted")
