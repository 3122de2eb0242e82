"""Every submission a person makes carries their Ed25519 signature over the record's canonical form, checked before
the record is accepted (docs/ledger.md, "Signing a submission"): written notifications (CFE Art. XVII), the
team leader's signature of an inspection report and the escort's countersignature (Protocol on Inspection,
Section XII.1(A)-(B)), the steps of a concern (Art. XIII.3, XVI.2)."""

import base64
import datetime
import hashlib

import pytest
from django.test import Client
from django.utils import timezone

from tests import factories as f
from tests import signing
from tracker.ledger import records, signatures
from tracker.models import LedgerEntry, Notification, SigningKey
from tracker.roles import Role

D = datetime.date


@pytest.fixture
def ukr():
    ukr = f.party("UKR")
    f.site(ukr, code="KHA")
    return ukr


@pytest.fixture
def officer(ukr):
    return f.api(f.person("officer-ukr", Role.OFFICER, ukr))


def draft(ukr, quantity=12) -> Notification:
    return f.notification(ukr, D(2026, 3, 1), [(ukr.sites.get(code="KHA"), "tanks", quantity)], submit=False)


def submitted(reference: str) -> bool:
    return Notification.objects.get(reference=reference).status == "submitted"


def post_submit(client, reference: str, body: dict):
    return client.post(f"/api/notifications/{reference}/submit/", body, format="json")


def test_it_refuses_an_unsigned_submission_naming_the_signature_and_submits_nothing(ukr, officer):
    notice = draft(ukr)
    response = post_submit(officer, notice.reference, {})
    assert response.status_code == 400
    assert list(response.json()) == ["signature"]
    assert response.json()["signature"][0].startswith("is required: the submitter's Ed25519 signature")
    assert not submitted(notice.reference)
    assert not LedgerEntry.objects.exists()


def test_it_refuses_a_signature_that_is_not_base64(ukr, officer):
    notice = draft(ukr)
    signing.private_of(officer.person)
    response = post_submit(officer, notice.reference, {"signature": "not base64!"})
    assert response.json() == {"signature": ["is not base64"]}
    assert not submitted(notice.reference)


def test_it_refuses_the_signature_of_another_record(ukr, officer):
    first, second = draft(ukr), draft(ukr)
    other = signing.signed(officer, f"/api/notifications/{second.reference}/canonical/")
    response = post_submit(officer, first.reference, other)
    assert response.status_code == 400
    assert "does not verify" in response.json()["signature"][0]
    assert records.of_notification(first).sha256 in response.json()["signature"][0]
    assert not submitted(first.reference)


def test_it_refuses_another_users_signature(ukr, officer):
    notice = draft(ukr)
    colleague = f.person("colleague", Role.OFFICER, ukr)
    signing.private_of(officer.person)
    data = officer.get(f"/api/notifications/{notice.reference}/canonical/").content
    body = {"signature": signing.signature(signing.private_of(colleague), data)}
    assert post_submit(officer, notice.reference, body).status_code == 400
    assert not submitted(notice.reference)


def test_it_refuses_a_signature_with_one_byte_flipped(ukr, officer):
    notice = draft(ukr)
    good = base64.b64decode(signing.signed(officer, f"/api/notifications/{notice.reference}/canonical/")["signature"])
    flipped = bytes([good[0] ^ 1]) + good[1:]
    response = post_submit(officer, notice.reference, {"signature": base64.b64encode(flipped).decode()})
    assert "does not verify" in response.json()["signature"][0]
    assert not submitted(notice.reference)


def test_it_refuses_a_signature_by_a_key_revoked_before_naming_the_key(ukr, officer):
    notice = draft(ukr)
    body = signing.signed(officer, f"/api/notifications/{notice.reference}/canonical/")
    fingerprint = signing.fingerprint(signing.private_of(officer.person))
    SigningKey.objects.filter(fingerprint=fingerprint).update(revoked_at=timezone.now())
    response = post_submit(officer, notice.reference, body | {"key": fingerprint})
    assert response.status_code == 400
    assert response.json() == {"key": ["was revoked: a signature made with it after its revocation is refused"]}
    assert not submitted(notice.reference)


def test_a_signature_accepted_before_the_keys_revocation_stays_valid(ukr, officer):
    notice = draft(ukr)
    assert signing.submit(officer, notice.reference).status_code == 200
    entry = LedgerEntry.objects.get(notification=notice)
    SigningKey.objects.filter(pk=entry.key_id).update(revoked_at=timezone.now())
    entry.refresh_from_db()
    assert entry.key.revoked_at is not None
    record = records.of_notification(Notification.objects.get(pk=notice.pk))
    assert signatures.verifies(bytes(entry.key.public_key), bytes(entry.signature), record.canonical)


def test_the_accepted_entry_records_the_key_and_the_signature_over_the_canonical_bytes(ukr, officer):
    notice = draft(ukr)
    canonical = officer.get(f"/api/notifications/{notice.reference}/canonical/")
    assert canonical["Content-Type"] == "application/json"
    digest = hashlib.sha256(canonical.content)
    assert canonical["Repr-Digest"] == f"sha-256=:{base64.b64encode(digest.digest()).decode()}:"
    body = {"signature": signing.signature(signing.private_of(officer.person), canonical.content)}
    assert (
        post_submit(
            officer, notice.reference, body | {"key": signing.fingerprint(officer.person.test_private_key)}
        ).status_code
        == 200
    )
    entry = LedgerEntry.objects.get(notification=notice)
    assert entry.record_sha256 == digest.hexdigest()
    assert entry.key.user == officer.person
    assert base64.b64encode(bytes(entry.signature)).decode() == body["signature"]
    assert signatures.verifies(bytes(entry.key.public_key), bytes(entry.signature), canonical.content)


def test_a_third_party_finds_no_canonical_form_of_another_partys_draft(ukr):
    notice = draft(ukr)
    rus = f.api(f.person("officer-rus", Role.OFFICER, f.party("RUS")))
    assert rus.get(f"/api/notifications/{notice.reference}/canonical/").status_code == 404


def test_the_report_countersignature_and_concern_previews_are_what_the_ledger_hashes():
    ukr, rus = f.party("UKR"), f.party("RUS")
    leader = f.api(f.person("leader-ukr", Role.INSPECTOR, ukr))
    escort = f.api(f.person("escort-rus", Role.INSPECTOR, rus))
    report = f.inspection(
        ukr, rus, D(2026, 3, 2), {"tanks": 1}, site=f.notified_site(rus, code="PSKOV-1"), status="draft"
    )
    assert escort.get(f"/api/inspections/{report.reference}/canonical/").status_code == 404  # a draft
    assert signing.sign_report(leader, report.reference).status_code == 200
    assert signing.countersign(escort, report.reference, "  Agreed. ").status_code == 200
    entries = LedgerEntry.objects.filter(inspection=report).order_by("index")
    shown = escort.get(f"/api/inspections/{report.reference}/countersign/canonical/", {"comments": "Agreed."})
    assert [e.record_sha256 for e in entries][1] == hashlib.sha256(shown.content).hexdigest()
    assert all(e.key_id for e in entries)


def test_the_admin_refuses_an_unsigned_submission_with_a_form_error(ukr):
    notice = draft(ukr)
    officer = f.person("officer-ukr", Role.OFFICER, ukr)
    client = Client()
    f.sign_in(client, officer)
    line = notice.holdings.get()
    form = {
        "party": ukr.pk,
        "reference": notice.reference,
        "kind": notice.kind,
        "effective_date": "2026-03-01",
        "remarks": "",
        "holdings-TOTAL_FORMS": "1",
        "holdings-INITIAL_FORMS": "1",
        "holdings-MIN_NUM_FORMS": "0",
        "holdings-MAX_NUM_FORMS": "1000",
        "holdings-0-id": line.pk,
        "holdings-0-notification": notice.pk,
        "holdings-0-object_of_verification": line.object_of_verification_id,
        "holdings-0-site": line.site_id,
        "holdings-0-category": line.category_id,
        "holdings-0-quantity": line.quantity,
        "holdings-0-status": line.status,
        "_submit": "Save and submit",
    }
    response = client.post(f"/admin/tracker/notification/{notice.pk}/change/", form)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["signature"] == [
        "is required: sign the record shown with your key file"
    ]
    assert not submitted(notice.reference)
    wrong = client.post(f"/admin/tracker/notification/{notice.pk}/change/", form | {"signature": "AAAA"}, follow=True)
    assert "signature: " in wrong.content.decode()
    assert not submitted(notice.reference)
