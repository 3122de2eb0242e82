"""The demo accounts `make run` creates: a way in locally, and a refusal to serve production with them, their
published signing keys or the demo tracker key (fixtures/demo_keys)."""

import io
import shutil

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.conf import settings as django_settings
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import demo
from tests import factories as f
from tracker.ledger import signatures
from tracker.models import SigningKey

DEMO_KEYS = django_settings.DEMO_KEYS_DIR



@pytest.fixture(autouse=True)
def own_tracker_key(settings, tmp_path):
    """A deployment's tracker key of its own, not the demo's."""
    path = tmp_path / "ledger.pem"
    path.write_bytes(
        Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    settings.LEDGER_KEY_FILE = path
    return path


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


def test_the_demo_officers_and_inspectors_get_their_published_keys_marked_demo():
    f.party("UKR"), f.party("RUS")
    call_command("ensure_demo_users")
    call_command("ensure_demo_users")

    keys = {key.user.username: key for key in SigningKey.objects.select_related("user", "party")}
    assert sorted(keys) == ["inspector-rus", "inspector-ukr", "officer-rus", "officer-ukr"]
    for username, key in keys.items():
        published = demo.public_key_in(DEMO_KEYS / f"{username}.pem")
        assert bytes(key.public_key) == published
        assert key.demo and key.party.code == username[-3:].upper() and key.revoked_at is None


def test_the_deploy_check_refuses_a_database_with_a_demo_key_in_force_until_remove_demo_users_revokes_it():
    f.party("UKR"), f.party("RUS")
    call_command("ensure_demo_users")
    with pytest.raises(SystemCheckError) as refused:
        deploy_check()
    assert "accounts.E002" in str(refused.value)
    assert "demo signing keys in force: inspector-rus" in str(refused.value)

    out = io.StringIO()
    call_command("remove_demo_users", stdout=out)

    deploy_check()
    assert "revoked 4 demo signing key(s)" in out.getvalue()
    assert not SigningKey.objects.filter(revoked_at__isnull=True).exists()
    # A key names its account, so the account stays, with no way to log in.
    officer = User.objects.get(username="officer-ukr")
    assert not officer.is_active and not officer.has_usable_password()
    assert not TOTPDevice.objects.filter(user=officer).exists()
    assert not User.objects.filter(username__in=["admin", "analyst", "monitor"]).exists()


def test_the_deploy_check_refuses_a_demo_key_registered_by_hand_for_a_real_account():
    ukr = f.party("UKR")
    public = demo.public_key_in(DEMO_KEYS / "officer-ukr.pem")
    SigningKey.objects.create(
        fingerprint=signatures.fingerprint(public),
        public_key=public,
        party=ukr,
        user=f.person("a real officer", "notifying officer", ukr),
        demo=True,
    )
    with pytest.raises(SystemCheckError, match=r"accounts\.E002.*a real officer"):
        deploy_check()


@pytest.mark.parametrize("where", ["the demo file", "a copy of it"])
def test_the_deploy_check_refuses_the_demo_tracker_key_as_the_ledger_key(settings, tmp_path, where):
    published = settings.DEMO_KEYS_DIR / "tracker.pem"
    settings.LEDGER_KEY_FILE = published if where == "the demo file" else shutil.copy(published, tmp_path / "k.pem")
    with pytest.raises(SystemCheckError) as refused:
        deploy_check()
    assert "accounts.E003" in str(refused.value)
    assert "TRACKER_LEDGER_KEY_FILE" in str(refused.value)


def test_the_deploy_check_refuses_a_ledger_key_file_that_holds_no_ed25519_key(settings, tmp_path):
    settings.LEDGER_KEY_FILE = tmp_path / "not-a-key.pem"
    settings.LEDGER_KEY_FILE.write_text("-----BEGIN PRIVATE KEY-----\nnonsense\n-----END PRIVATE KEY-----\n")
    with pytest.raises(SystemCheckError, match=r"accounts\.E004"):
        deploy_check()
