"""Guessing passwords: after a few wrong ones for a username from one address, that pair is refused for a while."""

import datetime

from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import F

from tests import factories as f
from tracker.roles import Role

WRONG_TRIES = 30
PASSWORD = "correct horse battery"


def monitor_with_password():
    monitor = f.person("monitor", Role.MONITOR)
    monitor.set_password(PASSWORD)
    monitor.save()
    return monitor


def admin_login(client, password: str, address: str = "203.0.113.7"):
    return client.post(
        "/admin/login/", {"username": "monitor", "password": password}, REMOTE_ADDR=address, follow=False
    )


def api_login(client, password: str):
    return client.post("/api/auth/login/", {"username": "monitor", "password": password}, format="json")


def test_thirty_wrong_passwords_lock_the_admin_login_even_for_the_right_password(client):
    monitor_with_password()

    answers = [admin_login(client, f"guess-{n}").status_code for n in range(WRONG_TRIES)]
    assert answers[0] == 200  # the form again, with its error
    assert answers[-1] == 429
    refused = admin_login(client, PASSWORD)
    assert refused.status_code == 429
    assert "Too many failed logins" in refused.content.decode()
    assert f"{settings.AXES_COOLOFF_TIME.seconds // 60} minutes" in refused.content.decode()

    cool_off_passed = settings.AXES_COOLOFF_TIME + datetime.timedelta(minutes=1)
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - cool_off_passed)
    assert admin_login(client, PASSWORD).status_code == 302  # in, after the cool-off


def test_the_lockout_is_per_address_so_the_owner_elsewhere_still_logs_in(client):
    monitor_with_password()
    for n in range(WRONG_TRIES):
        admin_login(client, f"guess-{n}", address="203.0.113.7")
    assert admin_login(client, PASSWORD, address="198.51.100.2").status_code == 302


def test_the_api_login_locks_out_too_and_says_so_in_json():
    monitor_with_password()
    client = f.api()
    assert api_login(client, "guess").status_code == 400
    for n in range(WRONG_TRIES):
        api_login(client, f"guess-{n}")
    refused = api_login(client, PASSWORD)
    assert refused.status_code == 429
    assert "Too many failed logins" in refused.json()["detail"]
    assert int(refused["Retry-After"]) == settings.AXES_COOLOFF_TIME.seconds


def test_tokens_already_issued_keep_working_during_a_lockout():
    monitor = f.person("monitor", Role.MONITOR)
    script = f.api(monitor)
    for n in range(WRONG_TRIES):
        api_login(f.api(), f"guess-{n}")
    assert script.get("/api/parties/").status_code == 200
