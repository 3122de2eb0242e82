"""manage.py build_ledger: the accepted records a database holds without a ledger entry join the ledger, in the
order they were made, once; the demo's signed with their makers' published keys (docs/ledger.md). Written
notifications (CFE Art. XVII), signed and countersigned reports (Protocol on Inspection, Section XII.1) and
concern steps (CFE Art. XIII.3) are the records."""

import datetime
import io

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from tests import factories as f
from tracker import services
from tracker.ledger import book, merkle, records, signatures
from tracker.ledger.bulk import notification_records
from tracker.ledger.canonical import canonical
from tracker.models import LedgerEntry, Notification, SigningKey, TreeHead

UTC = datetime.UTC



def loaded(owner, effective, lines, submitted_at, **fields) -> Notification:
    """A notification as a bundle loads it: submitted, naming no submitter, not yet in the ledger."""
    notice = f.notification(owner, effective, lines, submit=False)
    Notification.objects.filter(pk=notice.pk).update(status="submitted", submitted_at=submitted_at, **fields)
    notice.refresh_from_db()
    return notice


def build(*options) -> str:
    out = io.StringIO()
    call_command("build_ledger", *options, stdout=out)
    return out.getvalue()


def at(day: int, hour: int = 9) -> datetime.datetime:
    return datetime.datetime(2026, 3, day, hour, tzinfo=UTC)


def test_the_bulk_builder_makes_exactly_the_bytes_of_one_notification_at_a_time(django_assert_max_num_queries):
    ukr, rus = f.party("UKR"), f.party("RUS")
    garrison, depot = f.site(ukr), f.site(ukr, code="UKR-DEPOT")
    second_unit = f.object_of_verification(garrison, record_number="UKR-0001-B")
    t64, grad = f.equipment_type("T-64BV", "tanks"), f.equipment_type("BM-21 Grad", "artillery", "mlrs", 122, 20)
    annual = f.notification(
        ukr,
        datetime.date(2026, 1, 1),
        [(garrison, "tanks", 40), (garrison, t64, 12), (second_unit, grad, 6), (depot, "acv", 30, "storage")],
        kind="annual",
        submitted_at=at(1),
    )
    f.notification(ukr, datetime.date(2026, 2, 1), [(garrison, "tanks", 0), (depot, "artillery", 4, "temporary")])
    correction = services.correct(annual, reference="UKR-2026-AE-001-C1")
    Notification.objects.filter(pk=correction.pk).update(remarks="Zählfehler — corrected «in good faith» 🛡")
    services.submit(correction, submitted_at=at(2))
    loaded(rus, datetime.date(2026, 3, 1), [(f.site(rus), "aircraft", 3)], at(2), remarks="")
    f.notification(rus, datetime.date(2026, 3, 1), [(f.site(rus), "helicopters", 1)], submit=False)

    everything = Notification.objects.all()
    expected = {n.reference: records.of_notification(n).canonical for n in everything}
    with django_assert_max_num_queries(2):
        built = {record.reference: record.canonical for record in notification_records(everything)}

    assert built == expected
    assert {n.status for n in everything} == {"draft", "submitted", "superseded"}


def test_it_appends_every_accepted_record_not_yet_in_the_ledger_in_the_order_it_was_made_and_only_once():
    ukr, rus = f.party("UKR"), f.party("RUS")
    submitted = f.notification(ukr, datetime.date(2026, 3, 1), [(f.site(ukr), "tanks", 3)], submitted_at=at(1))
    later = loaded(ukr, datetime.date(2026, 3, 4), [(f.site(ukr), "tanks", 5)], at(4))
    earlier = loaded(rus, datetime.date(2026, 3, 2), [(f.site(rus), "acv", 7)], at(2, 10))
    f.notification(ukr, datetime.date(2026, 3, 5), [(f.site(ukr), "tanks", 9)], submit=False)
    countersigned = f.inspection(ukr, rus, datetime.date(2026, 3, 3), {"tanks": 3}, site=f.site(rus))
    only_signed = f.inspection(rus, ukr, datetime.date(2026, 3, 2), {"tanks": 3}, site=f.site(ukr), status="signed")
    f.inspection(rus, ukr, datetime.date(2026, 3, 2), {"tanks": 3}, site=f.site(ukr), status="draft")

    assert "5 record(s) appended to the ledger, 0 signed." in build()

    appended = [(e.record_type, e.reference) for e in LedgerEntry.objects.filter(index__gt=0)]
    assert appended == [
        ("notification", earlier.reference),  # 2 March 10:00
        ("inspection report", only_signed.reference),  # 2 March 12:00
        ("inspection report", countersigned.reference),  # 3 March 12:00, and its countersignature
        ("countersignature", countersigned.reference),
        ("notification", later.reference),  # 4 March
    ]
    assert LedgerEntry.objects.get(reference=submitted.reference).index == 0  # joined the ledger when submitted
    assert LedgerEntry.objects.filter(key__isnull=False).count() == 0
    assert LedgerEntry.objects.get(notification=later).record_sha256 == records.of_notification(later).sha256
    leaves = [book.leaf(entry) for entry in LedgerEntry.objects.select_related("party", "key")]
    assert book.root() == merkle.root_of(leaves)

    assert "0 record(s) appended to the ledger" in build()
    assert LedgerEntry.objects.count() == 6


def test_it_signs_each_record_with_its_makers_demo_key_and_counts_those_it_cannot_sign():
    ukr, rus, pol = f.party("UKR"), f.party("RUS"), f.party("POL")
    call_command("ensure_demo_users")
    officer_rus = SigningKey.objects.get(user__username="officer-rus")
    by_bundle = loaded(ukr, datetime.date(2026, 3, 1), [(f.site(ukr), "tanks", 3)], at(1))
    by_officer = loaded(
        rus, datetime.date(2026, 3, 1), [(f.site(rus), "tanks", 3)], at(1), submitted_by=officer_rus.user
    )
    loaded(pol, datetime.date(2026, 3, 1), [(f.site(pol), "tanks", 3)], at(1))
    report = f.inspection(ukr, rus, datetime.date(2026, 3, 3), {"tanks": 3}, site=f.site(rus))

    out = build("--sign-with", str(settings.DEMO_KEYS_DIR))

    assert "5 record(s) appended to the ledger, 4 signed." in out
    assert "1 unsigned: officer-pol has no key in" in out
    signers = {
        (entry.record_type, entry.reference): entry.key.user.username if entry.key_id else None
        for entry in LedgerEntry.objects.select_related("key__user")
    }
    assert signers == {
        ("notification", by_bundle.reference): "officer-ukr",
        ("notification", by_officer.reference): "officer-rus",
        ("notification", Notification.objects.get(party=pol).reference): None,
        ("inspection report", report.reference): "inspector-ukr",  # the team leader
        ("countersignature", report.reference): "inspector-rus",  # the escort
    }
    made = {
        "notification": records.of_notification,
        "inspection report": records.of_report,
        "countersignature": records.of_countersignature,
    }
    for entry in LedgerEntry.objects.filter(key__isnull=False).select_related("key", "notification", "inspection"):
        record = made[entry.record_type](entry.notification or entry.inspection)
        assert signatures.verifies(bytes(entry.key.public_key), bytes(entry.signature), record.canonical)
        assert entry.key.demo


@pytest.mark.parametrize("demo", [False, True], ids=["a real key", "a demo key of another account"])
def test_it_refuses_a_key_file_not_registered_as_its_accounts_demo_key_and_appends_nothing(tmp_path, demo):
    ukr = f.party("UKR")
    officer = f.person("officer-ukr", "notifying officer", ukr)
    private = Ed25519PrivateKey.generate()
    (tmp_path / "officer-ukr.pem").write_bytes(
        private.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    public = signatures.public_of(private)
    holder = officer if not demo else f.person("officer-ukr-2", "notifying officer", ukr)
    SigningKey.objects.create(
        fingerprint=signatures.fingerprint(public), public_key=public, party=ukr, user=holder, demo=demo
    )
    loaded(ukr, datetime.date(2026, 3, 1), [(f.site(ukr), "tanks", 3)], at(1))

    with pytest.raises(
        CommandError, match=r"--sign-with: .*officer-ukr\.pem is not a demo key registered for officer-ukr of UKR"
    ):
        build("--sign-with", str(tmp_path))
    assert book.size() == 0


def test_it_signs_one_tree_head_of_each_size_with_the_trackers_key():
    ukr = f.party("UKR")
    loaded(ukr, datetime.date(2026, 3, 1), [(f.site(ukr), "tanks", 3)], at(1))

    assert "Tree head signed: size 1" in build("--tree-head")
    assert "A tree head of size 1 is already signed." in build("--tree-head")

    head = TreeHead.objects.select_related("key").get()
    assert head.root == book.root(1).hex()
    body = canonical(book.head_body(head.size, head.root, head.signed_at))
    assert signatures.verifies(bytes(head.key.public_key), bytes(head.signature), body)


def test_the_demo_as_make_run_loads_it_has_its_records_signed_by_the_demo_accounts_and_a_signed_tree_head():
    call_command("load_demo", stdout=io.StringIO(), stderr=io.StringIO())
    call_command("ensure_demo_users")
    out = build("--sign-with", str(settings.DEMO_KEYS_DIR), "--tree-head")

    entries = list(LedgerEntry.objects.select_related("party", "key__user"))
    assert f"{len(entries)} record(s) appended" in out and len(entries) > 36
    ours = [entry for entry in entries if entry.party.code in ("UKR", "RUS")]
    assert ours and all(entry.key and entry.key.demo for entry in ours)
    assert {entry.key.user.username for entry in ours} == {
        "officer-ukr",
        "officer-rus",
        "inspector-ukr",
        "inspector-rus",
    }
    assert f"{len(ours)} signed" in out  # the other parties have no demo accounts: unsigned, and counted
    head = TreeHead.objects.select_related("key").get()
    assert head.size == len(entries) and head.key.demo
    assert bytes.fromhex(head.root) == merkle.root_of(book.leaf(entry) for entry in entries)
    assert "0 record(s) appended" in build("--sign-with", str(settings.DEMO_KEYS_DIR), "--tree-head")
