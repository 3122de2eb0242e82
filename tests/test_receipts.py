"""Receipts: a party acknowledges every record in a tree head by signing {"type": "receipt", "party", "size",
"root"} with a key of its own; one receipt per head and party. A receipt is not acceptance: "receipt of such
information and of notifications shall not imply validation or acceptance of the information provided"
(CFE Art. XIII.3)."""

import datetime

import pytest

from tests import factories as f
from tests.ledger_keys import Holder
from tracker.ledger import book, keys
from tracker.ledger.canonical import b64
from tracker.models import Receipt
from tracker.roles import Role

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture
def world():
    ukr, rus = f.party("UKR"), f.party("RUS")
    officer = Holder(f.person("officer-ukr", Role.OFFICER, ukr))
    f.notification(rus, NOW.date(), [(f.site(rus), "tanks", 1)], submitted_at=NOW)
    return ukr, rus, officer, book.sign_tree_head(NOW)


def acknowledging(holder, **body):
    return f.api(holder.person).post("/api/ledger/receipts/", body, format="json")


def test_an_officer_acknowledges_a_head_by_its_id(world):
    ukr, rus, officer, head = world
    answer = acknowledging(officer, head=head.pk, signature=officer.receipt_signature(head))
    assert answer.status_code == 201, answer.content
    assert (answer.json()["party"], answer.json()["size"], answer.json()["key"]) == ("UKR", 1, officer.key.fingerprint)
    receipt = Receipt.objects.get()
    assert (receipt.tree_head, receipt.received_by) == (head, officer.person)


def test_an_officer_acknowledges_a_head_by_its_size(world):
    ukr, rus, officer, head = world
    answer = acknowledging(officer, size=1, signature=officer.receipt_signature(head), key=officer.key.fingerprint)
    assert (answer.status_code, answer.json()["head"]) == (201, head.pk)


def test_a_second_receipt_of_the_party_answers_the_first(world):
    ukr, rus, officer, head = world
    first = acknowledging(officer, head=head.pk, signature=officer.receipt_signature(head))
    system = Holder(f.person("ukr-system", Role.INSPECTOR, ukr))
    second = acknowledging(system, head=head.pk, signature=system.receipt_signature(head))
    assert (second.status_code, second.json()["id"], second.json()["key"]) == (
        200,
        first.json()["id"],
        officer.key.fingerprint,
    )
    assert Receipt.objects.count() == 1


@pytest.mark.parametrize(
    ("body", "field", "reason"),
    [
        ({"head": 999999, "signature": "x"}, "head", "no tree head 999999"),
        ({"size": 7, "signature": "x"}, "size", "no tree head of size 7"),
        ({"signature": "x"}, "head", "by its id (head) or its size (size)"),
        ({"head": "HEAD", "signature": ""}, "signature", "is required"),
        ({"head": "HEAD", "signature": "***"}, "signature", "is not base64"),
        ({"head": "HEAD", "signature": b64(b"\0" * 64)}, "signature", "does not verify"),
        ({"head": "HEAD", "signature": "SIGNED", "key": "0" * 64}, "key", "not a signing key of yours"),
    ],
)
def test_it_refuses_a_bad_receipt_naming_the_field(world, body, field, reason):
    ukr, rus, officer, head = world
    body = {name: head.pk if value == "HEAD" else value for name, value in body.items()}
    if body.get("signature") == "SIGNED":
        body["signature"] = officer.receipt_signature(head)
    answer = acknowledging(officer, **body)
    assert answer.status_code == 400
    assert reason in answer.json()[field][0]
    assert not Receipt.objects.exists()


def test_a_signature_over_another_party_s_receipt_does_not_verify(world):
    ukr, rus, officer, head = world
    russian = Holder(f.person("officer-rus", Role.OFFICER, rus))
    answer = acknowledging(officer, head=head.pk, signature=russian.receipt_signature(head))
    assert answer.status_code == 400
    assert "does not verify" in answer.json()["signature"][0]


def test_it_refuses_a_receipt_signed_with_a_revoked_key(world):
    ukr, rus, officer, head = world
    keys.revoke(officer.person, officer.key)
    answer = acknowledging(
        officer, head=head.pk, signature=officer.receipt_signature(head), key=officer.key.fingerprint
    )
    assert answer.status_code == 400
    assert "was revoked" in answer.json()["key"][0]


def test_a_receipt_made_before_its_key_was_revoked_stays(world):
    ukr, rus, officer, head = world
    acknowledging(officer, head=head.pk, signature=officer.receipt_signature(head))
    keys.revoke(officer.person, officer.key)
    listed = f.api(f.person("monitor", Role.MONITOR, rus)).get("/api/ledger/receipts/").json()["results"]
    assert [(receipt["party"], receipt["size"]) for receipt in listed] == [("UKR", 1)]


def test_the_admin_shows_who_has_acknowledged_what(world, client):
    ukr, rus, officer, head = world
    Holder(f.person("officer-rus", Role.OFFICER, rus))
    f.notification(ukr, NOW.date(), [(f.site(ukr), "tanks", 1)], submitted_at=NOW)
    officer.acknowledge(head, NOW)
    f.sign_in(client, f.person("monitor", Role.MONITOR, ukr))
    page = client.get("/admin/tracker/receipt/").content.decode()
    rows = page.split('id="acknowledged"')[1].split("</table>")[0]
    rus_row, ukr_row = rows.split("<tr>")[2:]
    assert "RUS" in rus_row and "<td>0</td>" in rus_row and "#1 notification UKR-N" in rus_row
    assert "UKR" in ukr_row and "<td>1</td>" in ukr_row and "none" in ukr_row
