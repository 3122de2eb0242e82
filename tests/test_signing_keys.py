"""Signing keys: a user accredited to a party registers their own Ed25519 public key and revokes it; an
administrator revokes any. A revocation is final and dated: a revoked key's earlier signatures stay valid,
later ones are refused. The database keeps a key as registered and refuses any change but a first revocation,
whoever asks."""

import datetime

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.db import IntegrityError, ProgrammingError, connection, transaction

from tests import factories as f
from tests.ledger_keys import Holder
from tracker.ledger import book, keys, records
from tracker.ledger.book import Signed
from tracker.ledger.canonical import b64
from tracker.ledger.signatures import fingerprint, public_of
from tracker.models import SigningKey
from tracker.roles import Role

pytestmark = pytest.mark.django_db

MOMENT = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture
def ukr():
    return f.party("UKR")


@pytest.fixture
def officer(ukr):
    return f.person("officer-ukr", Role.OFFICER, ukr)


def fresh_public() -> tuple[Ed25519PrivateKey, bytes]:
    private = Ed25519PrivateKey.generate()
    return private, public_of(private)


def test_an_officer_registers_their_own_key_in_base64(officer):
    _, public = fresh_public()
    answer = f.api(officer).post("/api/keys/", {"public_key": b64(public)}, format="json")
    assert answer.status_code == 201, answer.content
    assert answer.json()["fingerprint"] == fingerprint(public)
    assert (answer.json()["party"], answer.json()["user"], answer.json()["revoked_at"]) == ("UKR", "officer-ukr", None)
    assert bytes(SigningKey.objects.get(fingerprint=fingerprint(public)).public_key) == public


def test_an_inspector_registers_their_key_as_pem(ukr):
    inspector = f.person("inspector-ukr", Role.INSPECTOR, ukr)
    private, public = fresh_public()
    pem = private.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    answer = f.api(inspector).post("/api/keys/", {"public_key": pem.decode()}, format="json")
    assert answer.status_code == 201, answer.content
    assert answer.json()["public_key"] == b64(public)


@pytest.mark.parametrize(
    ("given", "reason"),
    [
        ("not a key at all!", "neither PEM nor base64"),
        (b64(b"\x01" * 31), "31 bytes"),
        ("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----", "not a PEM public key"),
    ],
)
def test_it_refuses_a_bad_key_naming_public_key(officer, given, reason):
    answer = f.api(officer).post("/api/keys/", {"public_key": given}, format="json")
    assert answer.status_code == 400
    assert reason in answer.json()["public_key"][0]
    assert not SigningKey.objects.exists()


def test_it_refuses_a_key_registered_already(officer, ukr):
    _, public = fresh_public()
    f.api(officer).post("/api/keys/", {"public_key": b64(public)}, format="json")
    other = f.person("officer-ukr-2", Role.OFFICER, ukr)
    answer = f.api(other).post("/api/keys/", {"public_key": b64(public)}, format="json")
    assert answer.status_code == 400
    assert "registered already" in answer.json()["public_key"][0]
    assert SigningKey.objects.count() == 1


def test_it_refuses_a_user_accredited_to_no_party():
    admin = f.person("admin", "superuser")
    answer = f.api(admin).post("/api/keys/", {"public_key": b64(fresh_public()[1])}, format="json")
    assert answer.status_code == 400
    assert "accredited to no state party" in answer.json()["public_key"][0]


def test_every_role_reads_the_public_keys_and_no_one_without_one(officer, ukr):
    holder = Holder(officer)
    monitor = f.person("monitor-rus", Role.MONITOR, f.party("RUS"))
    listed = f.api(monitor).get("/api/keys/").json()["results"]
    assert [key["fingerprint"] for key in listed] == [holder.key.fingerprint]
    assert f.api(f.person("nobody")).get("/api/keys/").status_code == 403


def test_a_holder_revokes_their_key_for_good(officer):
    holder = Holder(officer)
    client = f.api(officer)
    answer = client.post(f"/api/keys/{holder.key.fingerprint}/revoke/")
    assert answer.status_code == 200
    assert answer.json()["revoked_at"] is not None
    again = client.post(f"/api/keys/{holder.key.fingerprint}/revoke/")
    assert again.status_code == 409
    assert "for good" in again.json()["revoked_at"][0]


def test_no_one_revokes_another_s_key_but_an_administrator(officer, ukr):
    holder = Holder(officer)
    colleague = f.person("officer-ukr-2", Role.OFFICER, ukr)
    assert f.api(colleague).post(f"/api/keys/{holder.key.fingerprint}/revoke/").status_code == 403
    assert SigningKey.objects.get().revoked_at is None
    admin = f.person("admin", "superuser")
    assert f.api(admin).post(f"/api/keys/{holder.key.fingerprint}/revoke/").status_code == 200
    assert SigningKey.objects.get().revoked_at is not None


def test_a_revoked_key_s_earlier_signatures_stay_valid_and_later_ones_are_refused(officer, ukr):
    holder = Holder(officer)
    first = f.notification(ukr, MOMENT.date(), [(f.site(ukr), "tanks", 1)], submit=False)
    record = records.of_notification(first)
    signed = Signed(b64(holder.private.sign(record.canonical)), holder.key.fingerprint)
    with transaction.atomic():
        entry = book.take(record, officer, signed, MOMENT)
    keys.revoke(officer, holder.key, MOMENT + datetime.timedelta(hours=1))
    assert entry.key == holder.key
    assert book.signing_key(record, officer, signed, MOMENT + datetime.timedelta(minutes=59))[0] == holder.key
    with pytest.raises(Exception, match="was revoked"):
        book.signing_key(record, officer, signed, MOMENT + datetime.timedelta(hours=1))


def test_the_database_lets_the_runtime_role_revoke_a_key_once_and_change_nothing_else(officer):
    holder = Holder(officer)
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        assert cursor.fetchone()[0] == "tracker"
        for change in (
            "UPDATE tracker_signingkey SET demo = true WHERE id = %s",
            "UPDATE tracker_signingkey SET valid_from = valid_from - interval '1 day' WHERE id = %s",
        ):
            with pytest.raises(IntegrityError, match="can only be revoked, once"), transaction.atomic():
                cursor.execute(change, [holder.key.pk])
        with pytest.raises(ProgrammingError, match="permission denied"), transaction.atomic():
            cursor.execute("DELETE FROM tracker_signingkey WHERE id = %s", [holder.key.pk])
        cursor.execute("UPDATE tracker_signingkey SET revoked_at = now() WHERE id = %s", [holder.key.pk])
        with pytest.raises(IntegrityError, match="can only be revoked, once"), transaction.atomic():
            cursor.execute("UPDATE tracker_signingkey SET revoked_at = NULL WHERE id = %s", [holder.key.pk])
    assert SigningKey.objects.get().revoked_at is not None


def test_an_officer_registers_a_key_in_the_admin_and_revokes_it(client, officer):
    f.sign_in(client, officer)
    _, public = fresh_public()
    page = client.post("/admin/tracker/signingkey/add/", {"public_key_text": b64(public)})
    assert page.status_code == 302, page.content.decode()[:2000]
    key = SigningKey.objects.get()
    assert (key.fingerprint, key.user, key.party.code) == (fingerprint(public), officer, "UKR")
    refused = client.post("/admin/tracker/signingkey/add/", {"public_key_text": b64(public)})
    assert "registered already" in refused.content.decode()
    client.post("/admin/tracker/signingkey/", {"action": "revoke", "_selected_action": [key.pk]})
    key.refresh_from_db()
    assert key.revoked_at is not None
    listing = client.get("/admin/tracker/signingkey/").content.decode()
    assert key.fingerprint in listing
