import pytest
from django.contrib.auth.models import User

pytestmark = pytest.mark.browser


def test_the_admin_opens_in_chromium_with_nothing_fetched_from_outside(page, log_in, screenshot):
    log_in(User.objects.create_superuser("chief", password="x"))
    page.goto("/admin/")
    assert page.locator("#site-name").inner_text() == "Treaty-compliance tracker"
    assert page.get_by_role("link", name="Notifications").is_visible()
    assert screenshot("admin-index").stat().st_size > 0
