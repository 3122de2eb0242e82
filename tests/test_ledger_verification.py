"""The ledger exported (``manage.py export_ledger``) and checked offline (``python -m tracker.verify``): a clean
export verifies; a byte changed in a record, an entry's line changed, a record changed in the database by its
owner behind the triggers' back, a tree head's root replaced, each is named as the first broken entry or head;
a party's export withholds what it may not read and still verifies (docs/ledger.md)."""

import datetime
import json
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

from tests import factories as f
from tracker import reports, services
from tracker.database_roles import as_owner
from tracker.ledger import book, records
from tracker.ledger.canonical import b64, canonical
from tracker.ledger.merkle import leaf_hash
from tracker.ledger.signatures import fingerprint, private_key, public_of
from tracker.models import Holding, LedgerEntry, Receipt, SigningKey
from tracker.roles import Role
from tracker.verify import Broken, verify

ROOT = Path(__file__).resolve().parent.parent
SUBMITTED = datetime.datetime(2026, 1, 5, 9, tzinfo=datetime.UTC)


def officer_with_key(code: str, name: str) -> tuple:
    """An officer of ``code`` with an Ed25519 key registered for them, in force since 2020."""
    user = f.person(name, Role.OFFICER, f.party(code))
    private = Ed25519PrivateKey.generate()
    public = public_of(private)
    key = SigningKey.objects.create(
        fingerprint=fingerprint(public),
        public_key=public,
        party=f.party(code),
        user=user,
        valid_from=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC),
    )
    return user, private, key


def tracker_key_since_2020() -> SigningKey:
    """The tracker's key (the demo's, in the tests' settings), registered as in force since 2020."""
    public = public_of(private_key(Path(settings.LEDGER_KEY_FILE).read_bytes()))
    return SigningKey.objects.create(
        fingerprint=fingerprint(public),
        public_key=public,
        demo=True,
        valid_from=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC),
    )


def signed_notification(officer, private, key, site, quantity: int, at: datetime.datetime):
    notice = f.notification(officer.accreditation.party, at.date(), [(site, "tanks", quantity)], submit=False)
    signature = private.sign(records.of_notification(notice).canonical)
    return services.submit(notice, officer, at, book.Signed(b64(signature), key.fingerprint))


@pytest.fixture
def ledger():
    """Six entries: UKR's signed notifications, an unsigned one, UKR's report on RUS signed (read by those two
    alone), a tree head after the fourth and one after all, and RUS's receipt of the first head."""
    ukr, rus = f.party("UKR"), f.party("RUS")
    f.party("POL")
    tracker_key_since_2020()
    officer, private, key = officer_with_key("UKR", "officer")
    kharkiv = f.site(ukr, code="KHA")
    signed_notification(officer, private, key, kharkiv, 10, SUBMITTED)
    signed_notification(officer, private, key, kharkiv, 12, SUBMITTED + datetime.timedelta(days=1))
    pskov = f.site(rus, code="PSK", lon=28, lat=57)
    f.notification(rus, datetime.date(2026, 1, 7), [(pskov, "tanks", 30)])
    report = f.inspection(ukr, rus, datetime.date(2026, 1, 8), {"tanks": 30}, site=pskov, status="draft")
    reports.sign(report, f.person("leader", Role.INSPECTOR, ukr), SUBMITTED + datetime.timedelta(days=3))
    first = book.sign_tree_head(SUBMITTED + datetime.timedelta(days=4))
    signed_notification(officer, private, key, kharkiv, 14, SUBMITTED + datetime.timedelta(days=5))
    f.notification(ukr, datetime.date(2026, 1, 11), [(f.site(ukr, code="ODE", lon=30, lat=46), "tanks", 2)])
    book.sign_tree_head(SUBMITTED + datetime.timedelta(days=7))
    receiver, rus_private, rus_key = officer_with_key("RUS", "receiver")
    Receipt.objects.create(
        tree_head=first,
        party=rus,
        key=rus_key,
        signature=rus_private.sign(canonical(book.receipt_body("RUS", first))),
        received_at=SUBMITTED + datetime.timedelta(days=4, hours=2),
        received_by=receiver,
    )
    return report


def exported(tmp_path: Path, *options: str) -> Path:
    folder = tmp_path / "export"
    call_command("export_ledger", str(folder), *options)
    return folder


def broken(folder: Path, tracker_key: str | None = None) -> str:
    with pytest.raises(Broken) as found:
        verify(folder, tracker_key)
    return str(found.value)


def rewrite_line(path: Path, index: int, change) -> None:
    lines = path.read_bytes().splitlines()
    item = json.loads(lines[index])
    change(item)
    lines[index] = canonical(item)
    path.write_bytes(b"\n".join(lines) + b"\n")


def test_a_clean_export_verifies_and_counts_what_it_holds(ledger, tmp_path):
    folder = exported(tmp_path)
    summary = verify(folder, book.tracker_key()[1].fingerprint)
    assert (summary.entries, summary.signed, summary.unsigned, summary.withheld) == (6, 3, 3, 0)
    assert (summary.heads, summary.demo_heads, summary.receipts) == (2, 2, 1)
    assert summary.demo_signed == 0
    assert sorted(p.name for p in folder.iterdir()) == [
        "README.md",
        "heads.jsonl",
        "keys.jsonl",
        "leaves.txt",
        "ledger.jsonl",
        "receipts.jsonl",
        "records",
    ]
    assert len(list((folder / "records").iterdir())) == 6


def test_each_ledger_line_is_the_entry_as_the_tree_leaf_holds_it(ledger, tmp_path):
    folder = exported(tmp_path)
    lines = (folder / "ledger.jsonl").read_bytes().splitlines()
    for entry, line in zip(LedgerEntry.objects.order_by("index"), lines, strict=True):
        assert line == canonical(book.entry_body(entry))
    assert (folder / "records" / "0.json").read_bytes() == records.of_entry(LedgerEntry.objects.get(index=0)).canonical


def test_the_verifier_runs_where_django_cannot_be_imported(ledger, tmp_path):
    folder = exported(tmp_path)
    script = (
        "import sys; sys.modules['django'] = None\n"
        "from tracker.verify import main\n"
        "code = main(sys.argv[1:])\n"
        "assert not any(name == 'django' or name.startswith('django.') for name in sys.modules if sys.modules[name])\n"
        "sys.exit(code)\n"
    )
    ran = subprocess.run(
        [sys.executable, "-c", script, str(folder), "--tracker-key", book.tracker_key()[1].fingerprint],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert ran.returncode == 0, ran.stderr
    assert "6 entries: 3 signed (0 with demo keys), 3 unsigned, 0 withheld; 2 tree heads" in ran.stdout

    (folder / "records" / "1.json").write_bytes(b"{}")
    ran = subprocess.run(
        [sys.executable, "-m", "tracker.verify", str(folder)], cwd=ROOT, capture_output=True, text=True
    )
    assert ran.returncode == 1
    assert ran.stderr.startswith("BROKEN entry 1 (notification UKR-N")


def test_one_byte_changed_in_a_record_names_its_entry(ledger, tmp_path):
    folder = exported(tmp_path)
    record = folder / "records" / "1.json"
    record.write_bytes(record.read_bytes().replace(b'"quantity":12', b'"quantity":13'))
    reference = LedgerEntry.objects.get(index=1).reference
    assert broken(folder).startswith(f"entry 1 (notification {reference}): its record hashes to ")


def test_a_record_no_longer_in_canonical_form_names_its_entry(ledger, tmp_path):
    folder = exported(tmp_path)
    record = folder / "records" / "2.json"
    record.write_bytes(record.read_bytes().replace(b",", b", ", 1))
    assert "entry 2 (notification" in broken(folder) and "is not in canonical form" in broken(folder)


def test_an_entry_line_with_another_moment_of_acceptance_names_that_entry(ledger, tmp_path):
    folder = exported(tmp_path)
    rewrite_line(folder / "ledger.jsonl", 4, lambda entry: entry.update(accepted_at="2026-01-10T08:00:00.000000+00:00"))
    message = broken(folder)
    assert message.startswith("entry 4 (notification ")
    assert "its line hashes to leaf" in message


def test_an_entry_line_with_another_hash_names_that_entry(ledger, tmp_path):
    folder = exported(tmp_path)
    rewrite_line(folder / "ledger.jsonl", 0, lambda entry: entry.update(sha256="0" * 64))
    assert broken(folder).startswith("entry 0 (notification ")


def test_a_line_and_its_leaf_both_rewritten_break_the_next_entry_and_the_signed_head(ledger, tmp_path):
    """Whoever rewrites an entry and the stored leaf still cannot rewrite the roots signed after it."""
    folder = exported(tmp_path)
    ledger_file, leaves = folder / "ledger.jsonl", folder / "leaves.txt"
    rewrite_line(ledger_file, 5, lambda entry: entry.update(accepted_at="2026-01-12T08:00:00.000000+00:00"))
    lines = leaves.read_text().splitlines()
    lines[5] = leaf_hash(ledger_file.read_bytes().splitlines()[5]).hex()
    leaves.write_text("\n".join(lines) + "\n")
    message = broken(folder)
    assert message.startswith("tree head of size 6 signed at 2026-01-12T09:00:00.000000+00:00: the tracker signed root")
    assert "an entry from index 4 to 5 is not the one it signed" in message


def test_a_tree_head_whose_root_was_replaced_is_named(ledger, tmp_path):
    folder = exported(tmp_path)
    rewrite_line(folder / "heads.jsonl", 0, lambda head: head.update(root="ab" * 32))
    assert broken(folder) == (
        "tree head of size 4 signed at 2026-01-09T09:00:00.000000+00:00: its signature does not verify with key "
        f"{book.tracker_key()[1].fingerprint}"
    )


def test_tree_heads_must_be_signed_by_the_pinned_tracker_key(ledger, tmp_path):
    folder = exported(tmp_path)
    other = SigningKey.objects.get(party__code="UKR").fingerprint
    assert broken(folder, other) == f"tracker key {other}: is not among the exported keys as the tracker's"


@pytest.mark.django_db(transaction=True)
def test_a_line_changed_in_the_database_by_its_owner_names_the_notification_in_a_fresh_export(tmp_path):
    f.ensure_categories()
    ukr = f.party("UKR")
    officer, private, key = officer_with_key("UKR", "officer")
    kharkiv = f.site(ukr, code="KHA")
    signed_notification(officer, private, key, kharkiv, 10, SUBMITTED)
    changed = signed_notification(officer, private, key, kharkiv, 12, SUBMITTED + datetime.timedelta(days=1))
    signed_notification(officer, private, key, kharkiv, 14, SUBMITTED + datetime.timedelta(days=2))
    assert verify(exported(tmp_path / "before")).entries == 3

    with as_owner(), connection.cursor() as cursor:  # the tables' owner may set the triggers aside
        cursor.execute("ALTER TABLE tracker_holding DISABLE TRIGGER USER")
        cursor.execute("UPDATE tracker_holding SET quantity = 2 WHERE notification_id = %s", [changed.pk])
        cursor.execute("ALTER TABLE tracker_holding ENABLE TRIGGER USER")
    assert Holding.objects.get(notification=changed).quantity == 2

    assert broken(exported(tmp_path / "after")).startswith(
        f"entry 1 (notification {changed.reference}): its record hashes to "
    )


def test_a_party_export_withholds_what_it_may_not_read_and_still_verifies(ledger, tmp_path):
    folder = exported(tmp_path, "--party", "POL")
    summary = verify(folder, book.tracker_key()[1].fingerprint)
    assert (summary.entries, summary.withheld, summary.heads, summary.receipts) == (6, 1, 2, 1)
    line = (folder / "ledger.jsonl").read_bytes().splitlines()[3]
    leaf = (folder / "leaves.txt").read_text().splitlines()[3]
    assert json.loads(line) == {"index": 3, "leaf_hash": leaf}
    assert not (folder / "records" / "3.json").exists()
    assert ledger.reference.encode() not in b"".join(p.read_bytes() for p in folder.rglob("*") if p.is_file())

    both = exported(tmp_path / "rus", "--party", "RUS")
    assert verify(both).withheld == 0
    assert (both / "records" / "3.json").read_bytes() == records.of_report(ledger).canonical


def test_it_refuses_an_unknown_party_a_file_and_a_directory_not_empty(ledger, tmp_path):
    with pytest.raises(CommandError, match="--party: unknown state party 'XXX'"):
        call_command("export_ledger", str(tmp_path / "x"), "--party", "XXX")
    (tmp_path / "file").write_text("")
    with pytest.raises(CommandError, match="is not a directory"):
        call_command("export_ledger", str(tmp_path / "file"))
    with pytest.raises(CommandError, match="is not empty"):
        call_command("export_ledger", str(tmp_path))
