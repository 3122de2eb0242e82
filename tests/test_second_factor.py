"""Writing roles and superusers reach the admin only after their second factor; monitors with a password alone."""

import base64
import re

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice

from accounts.second_factor import pending_device
from tests import factories as f
from tracker.roles import Role

PASSWORD = "cobalt tundra lantern 84"


def code_of(device) -> str:
    """The code the user's app shows now, computed from the device's key as the app does."""
    return f"{TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token():0{device.digits}d}"


def wrong_code(device) -> str:
    return "000000" if code_of(device) != "000000" else "111111"


def with_password(user):
    user.set_password(PASSWORD)
    user.save()
    return user


def admin_login(client, user, code: str = ""):
    form = {"username": user.username, "password": PASSWORD, "otp_token": code}
    return client.post("/admin/login/?next=/admin/", form)


@pytest.fixture
def officer():
    return with_password(f.person("officer", Role.OFFICER, f.party("UKR")))


def test_an_officer_with_a_password_alone_does_not_reach_the_admin(client, officer):
    f.authenticator(officer)
    response = admin_login(client, officer)
    assert response.status_code == 200
    assert "Second-factor code: wrong or already used" in response.content.decode()
    assert client.get("/admin/").status_code == 302


def test_a_session_opened_by_the_password_alone_is_sent_back_to_the_login(client, officer):
    f.authenticator(officer)
    client.force_login(officer)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_an_officer_reaches_the_admin_with_the_current_code(client, officer):
    device = f.authenticator(officer)
    assert admin_login(client, officer, code_of(device)).status_code == 302
    assert client.get("/admin/").status_code == 200


def test_a_code_works_once(client, officer):
    device = f.authenticator(officer)
    code = code_of(device)
    assert admin_login(client, officer, code).status_code == 302
    client.logout()
    assert admin_login(client, officer, code).status_code == 200


def test_a_recovery_code_stands_in_for_the_app_once(client, officer):
    f.authenticator(officer)
    StaticDevice.objects.create(user=officer, name="recovery codes").token_set.create(token="q7rk2m4x")
    assert admin_login(client, officer, "q7rk2m4x").status_code == 302
    client.logout()
    assert admin_login(client, officer, "q7rk2m4x").status_code == 200


def test_a_superuser_needs_the_code_too(client):
    chief = with_password(f.person("chief", "superuser"))
    device = f.authenticator(chief)
    assert admin_login(client, chief).status_code == 200
    assert admin_login(client, chief, code_of(device)).status_code == 302


def test_a_monitor_reads_the_admin_with_a_password_alone(client):
    monitor = with_password(f.person("monitor", Role.MONITOR))
    assert admin_login(client, monitor).status_code == 302
    assert client.get("/admin/").status_code == 200


def test_an_officer_without_a_device_sets_one_up_and_then_gets_in(client, officer):
    assert admin_login(client, officer).status_code == 302
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[-1][0] == "/accounts/second-factor/"
    assert client.get("/api/parties/").status_code == 200  # reading goes on meanwhile
    page = response.content.decode()
    assert "<svg" in page
    device = pending_device(officer)
    assert (
        re.search(r'<code id="totp-secret">([A-Z2-7=]+)</code>', page)[1] == base64.b32encode(device.bin_key).decode()
    )

    done = client.post("/accounts/second-factor/", {"otp_token": code_of(device)})
    assert len(re.findall(r"<li><code>[a-z2-7]{8}</code></li>", done.content.decode())) == 10
    assert client.get("/admin/").status_code == 200


def test_a_user_who_has_a_device_cannot_add_another_with_the_password_alone(client, officer):
    f.authenticator(officer)
    client.force_login(officer)
    assert client.get("/accounts/second-factor/").status_code == 302
    assert officer.totpdevice_set.count() == 1


def test_a_wrong_code_counts_towards_the_lockout(client, officer):
    device = f.authenticator(officer)
    for _ in range(5):
        admin_login(client, officer, wrong_code(device))
    assert admin_login(client, officer, code_of(device)).status_code == 429


def test_setting_up_refuses_a_wrong_code(client, officer):
    client.force_login(officer)
    device = pending_device(officer)
    page = client.post("/accounts/second-factor/", {"otp_token": wrong_code(device)}).content.decode()
    assert "This code does not match" in page
    device.refresh_from_db()
    assert not device.confirmed
