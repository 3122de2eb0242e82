"""The demo accounts `make run` creates: a way in locally, and a refusal to serve production with them."""

import io

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import demo


@pytest.fixture(autouse=True)
def _quick_hashing(settings):
    """The check tries each demo password: at production cost (~0.5 s a hash) these tests would take minutes."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def deploy_check() -> None:
    call_command("check", "--deploy", "--database", "default", stdout=io.StringIO(), stderr=io.StringIO())


def test_the_demo_officer_logs_in_with_the_demo_password_and_the_published_code(client):
    call_command("ensure_demo_users")
    form = {"username": "officer-ukr", "password": demo.DEMO_PASSWORD, "otp_token": demo.current_code()}
    assert client.post("/admin/login/?next=/admin/", form).status_code == 302
    assert client.get("/admin/").status_code == 200


def test_the_deploy_check_fails_while_demo_accounts_remain():
    call_command("ensure_demo_users")
    with pytest.raises(SystemCheckError) as refused:
        deploy_check()
    message = str(refused.value)
    assert "accounts.E001" in message
    assert "admin, analyst, inspector-rus, inspector-ukr, monitor, officer-rus, officer-ukr" in message
    assert "manage.py remove_demo_users" in message


def test_remove_demo_users_lets_the_deploy_check_pass():
    call_command("ensure_demo_users")
    call_command("remove_demo_users", stdout=io.StringIO())
    deploy_check()
    assert not User.objects.filter(username__in=demo.PASSWORDS).exists()


def test_a_demo_account_given_its_own_password_still_fails_while_it_keeps_the_demo_device():
    call_command("ensure_demo_users")
    call_command("remove_demo_users", stdout=io.StringIO())
    call_command("ensure_demo_users")
    for user in User.objects.filter(username__in=demo.PASSWORDS):
        user.set_password("a passphrase of its own 7")
        user.save()
    with pytest.raises(SystemCheckError, match="officer-ukr"):
        deploy_check()
    TOTPDevice.objects.filter(key=demo.TOTP_KEY).delete()
    deploy_check()


def test_a_real_account_named_admin_passes():
    User.objects.create_superuser("admin", password="a passphrase of its own 7")
    deploy_check()
