"""API tokens: hashed, expiring, revoked by a password change or a log-out, and never wider than their user."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_otp.oath import TOTP

from accounts.models import ApiToken
from accounts.tokens import TokenAuthentication
from tests import factories as f
from tracker.models import Notification
from tracker.models.parties import party_of, roles_of
from tracker.roles import Role

PASSWORD = "cobalt tundra lantern 84"
DRAFT = {
    "reference": "UKR-1",
    "party": "UKR",
    "kind": "change",
    "effective_date": "2026-03-01",
    "lines": [{"site": "KHA", "category": "tanks", "quantity": 12}],
}


@pytest.fixture
def officer():
    ukr = f.party("UKR")
    f.site(ukr, code="KHA")
    officer = f.person("officer", Role.OFFICER, ukr)
    officer.set_password(PASSWORD)
    officer.save()
    return officer


def current_code(device) -> str:
    return f"{TOTP(device.bin_key).token():06d}"


def login(**fields):
    return f.api().post("/api/auth/login/", {"username": "officer", "password": PASSWORD, **fields}, format="json")


def bearer(secret: str):
    client = f.api()
    client.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    return client


def test_an_officer_gets_a_writing_token_only_with_the_second_factor(officer):
    device = f.authenticator(officer)
    refused = login()
    assert refused.status_code == 400
    assert "second-factor code" in refused.json()["otp_token"][0]
    issued = login(otp_token=current_code(device))
    assert issued.status_code == 200, issued.content
    assert issued.json()["scope"] == "read-write"
    assert bearer(issued.json()["token"]).post("/api/notifications/", DRAFT, format="json").status_code == 201


def test_an_officer_without_a_device_is_told_to_set_one_up(officer):
    assert "set up your second factor" in login().json()["otp_token"][0]


def test_a_read_only_token_needs_no_second_factor_and_writes_nothing(officer):
    issued = login(scope="read")
    assert issued.status_code == 200
    script = bearer(issued.json()["token"])
    assert script.get("/api/notifications/").status_code == 200
    refused = script.post("/api/notifications/", DRAFT, format="json")
    assert refused.status_code == 403
    assert "only read" in refused.json()["detail"]
    assert not Notification.objects.exists()


def test_a_token_carries_no_more_than_its_users_role():
    monitor = f.person("monitor", Role.MONITOR)
    assert f.api(monitor).post("/api/notifications/", DRAFT, format="json").status_code == 403


def test_a_readers_token_does_not_write_after_the_reader_is_given_a_writing_role(officer):
    monitor = f.person("monitor", Role.MONITOR, f.party("UKR"))
    monitor.set_password(PASSWORD)
    monitor.save()
    issued = f.api().post("/api/auth/login/", {"username": "monitor", "password": PASSWORD}, format="json")
    assert issued.json()["scope"] == "read"
    monitor.groups.add(officer.groups.get())
    assert bearer(issued.json()["token"]).post("/api/notifications/", DRAFT, format="json").status_code == 403


def test_a_session_opened_by_the_password_alone_reads_but_does_not_write(client, officer):
    f.authenticator(officer)
    client.force_login(officer)
    assert client.get("/api/notifications/").status_code == 200
    assert client.post("/api/notifications/", DRAFT, content_type="application/json").status_code == 403


def test_a_token_is_stored_only_as_a_digest(officer):
    secret = f.token(officer)
    stored = ApiToken.objects.get(user=officer)
    assert secret not in (stored.digest, stored.token_key)
    assert stored.token_key == secret[: len(stored.token_key)]


def test_a_token_is_accepted_only_whole_and_for_an_active_user(officer):
    secret = f.token(officer)
    last = secret[-1]
    forged = secret[:-1] + ("0" if last != "0" else "1")  # the same key, another secret
    assert bearer(secret).get("/api/parties/").status_code == 200
    for wrong in (forged, secret[:-1], secret + "0", secret[:8], "not-a-token"):
        answer = bearer(wrong).get("/api/parties/")
        assert answer.status_code == 401, wrong
        assert answer.json() == {"detail": "Invalid token."}
    officer.is_active = False
    officer.save()
    assert bearer(secret).get("/api/parties/").status_code == 401


def test_a_token_is_refused_once_it_expires(officer):
    secret = f.token(officer)
    script = bearer(secret)
    assert script.get("/api/parties/").status_code == 200
    ApiToken.objects.update(expiry=timezone.now() - datetime.timedelta(seconds=1))
    assert script.get("/api/parties/").status_code == 401
    f.token(officer)
    assert ApiToken.objects.count() == 1  # issuing a new one swept the expired one away


def test_login_tokens_expire_after_the_configured_hours(officer, settings):
    settings.REST_KNOX = {"TOKEN_TTL": datetime.timedelta(hours=2)}
    expiry = datetime.datetime.fromisoformat(login(scope="read").json()["expiry"])
    assert abs(expiry - (timezone.now() + datetime.timedelta(hours=2))) < datetime.timedelta(minutes=1)


def test_a_password_change_revokes_every_token_of_the_user(officer):
    scripts = [bearer(f.token(officer)), bearer(f.token(officer))]
    other = bearer(f.token(f.person("monitor", Role.MONITOR)))
    officer.set_password("a different long passphrase")
    officer.save()
    assert [script.get("/api/parties/").status_code for script in scripts] == [401, 401]
    assert other.get("/api/parties/").status_code == 200


def test_saving_a_user_without_changing_the_password_keeps_the_tokens(officer):
    script = bearer(f.token(officer))
    officer.first_name = "Olena"
    officer.save()
    officer.set_password(PASSWORD)  # the same password, hashed afresh
    officer.save()
    assert script.get("/api/parties/").status_code == 200


def test_log_out_revokes_this_token_and_log_out_all_every_one(officer):
    first, second, third = (bearer(f.token(officer)) for _ in range(3))
    assert first.post("/api/auth/logout/").status_code == 204
    assert first.get("/api/parties/").status_code == 401
    assert second.get("/api/parties/").status_code == 200
    assert second.post("/api/auth/logout-all/").status_code == 204
    assert third.get("/api/parties/").status_code == 401


def test_the_admin_lists_tokens_without_their_secret(client, officer):
    secret = f.token(officer)
    stored = ApiToken.objects.get()
    f.sign_in(client, f.person("chief", "superuser"))
    listing = client.get("/admin/accounts/apitoken/").content.decode()
    detail = client.get(f"/admin/accounts/apitoken/{stored.pk}/change/").content.decode()
    for page in (listing, detail):
        assert secret[:8] in page  # enough to tell tokens apart
        assert secret not in page
        assert stored.token_key not in page


def test_create_api_token_prints_a_read_only_token_once(officer):
    printed = io.StringIO()
    call_command("create_api_token", "officer", "--read-only", "--hours", "1", stdout=printed, stderr=io.StringIO())
    script = bearer(printed.getvalue().strip())
    assert script.get("/api/parties/").status_code == 200
    assert script.post("/api/notifications/", DRAFT, format="json").status_code == 403
    assert ApiToken.objects.get().expiry < timezone.now() + datetime.timedelta(hours=1, minutes=1)


def test_a_token_is_read_with_its_users_party_and_roles(officer, django_assert_num_queries):
    secret = f.token(officer)
    with django_assert_num_queries(1):
        user, token = TokenAuthentication().authenticate_credentials(secret.encode())
    with django_assert_num_queries(0):
        assert (user, token.user_id, party_of(user).code, roles_of(user)) == (officer, officer.pk, "UKR", {Role.OFFICER})

    secret = f.token(f.person("monitor", Role.MONITOR))
    with django_assert_num_queries(1):
        user, _ = TokenAuthentication().authenticate_credentials(secret.encode())
    with django_assert_num_queries(0):
        assert (party_of(user), roles_of(user)) == (None, {Role.MONITOR})
