import pytest
from django_otp.oath import TOTP

from tests import factories as f
from tracker.roles import Role

pytestmark = pytest.mark.browser
PASSWORD = "cobalt tundra lantern 84"


def submit(page) -> None:
    with page.expect_navigation():
        page.click("input[type=submit]")


def test_an_inspector_sets_up_the_app_then_logs_in_with_its_code(page, screenshot):
    inspector = f.person("inspector", Role.INSPECTOR, f.party("UKR"))
    inspector.set_password(PASSWORD)
    inspector.save()

    page.goto("/admin/")
    page.fill("#id_username", "inspector")
    page.fill("#id_password", PASSWORD)
    submit(page)
    assert page.locator("#totp-qr svg").is_visible()
    screenshot("second-factor-enrol")
    device = inspector.totpdevice_set.get()
    page.fill("#id_otp_token", f"{TOTP(device.bin_key).token():06d}")
    submit(page)
    assert page.locator("#recovery-codes li").count() == 10

    page.context.clear_cookies()
    page.goto("/admin/")
    page.fill("#id_username", "inspector")
    page.fill("#id_password", PASSWORD)
    totp = TOTP(device.bin_key)
    totp.time += device.step  # the step after the one used to confirm: each code is accepted once
    page.fill("#id_otp_token", f"{totp.token():06d}")
    submit(page)
    assert page.get_by_role("link", name="Inspections", exact=True).is_visible()
