import pytest

from tests import factories as f
from tracker.roles import Role

pytestmark = pytest.mark.browser


def test_the_api_docs_render_offline_in_chromium(page, log_in, screenshot):
    log_in(f.person("monitor", Role.MONITOR))
    page.goto("/api/docs/")
    page.get_by_text("Treaty-compliance tracker API").first.wait_for()
    assert page.locator('.opblock-summary-path[data-path="/api/violations/"]').count() == 1
    assert page.locator(".opblock").count() > 20
    assert screenshot("api-docs").stat().st_size > 0
