"""Time the ledger at scale: building it for every notification of a large database, appending one record,
and reading roots and proofs (docs/ledger.md).

    .venv/bin/python bench/ledger.py [--holdings 1000000] [--submits 5] [--appends 20] [--reads 100]

Runs on bench/scale.py's database for that many holding lines (``<DATABASE_URL's name>_scale<N>_bench``,
built by bench/compliance.py's builder when it holds no lines yet, reused as it is otherwise). Everything
here happens in one transaction that is rolled back at the end, so the database is left as it was and the
run can be repeated; the timings therefore leave out the final commit. Per phase:

- records only: every notification's record made by the bulk builder (one streamed query) and hashed;
- build unsigned: ``backlog.build()``, what ``manage.py build_ledger`` does (records, leaves, subtrees, rows);
- build signed: the same with ``--sign-with``: each record signed with its party's officer's registered key;
- submit: one 10-line change notification through ``tracker.services.submit`` with its officer's signature
  (checked against the registered key), the lines' periods refreshed, the ledger entry appended;
- append: ``book.take`` alone (signature checked, entry and subtrees written) for a 10-line record;
- reads: ``book.root``, ``book.inclusion_proof`` and ``book.consistency_proof`` at random indexes.

Prints a table, then one JSON line.
"""

import argparse
import datetime
import json
import random
import statistics
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from compliance import bench_database, build  # noqa: E402  (sets the settings module and the import path)
from scale import database_url, zones_for  # noqa: E402


class RolledBack(Exception):
    pass


@contextmanager
def rolled_back():
    from django.db import transaction

    try:
        with transaction.atomic():
            yield
            raise RolledBack
    except RolledBack:
        pass


def timed(function, *args):
    started = time.perf_counter()
    result = function(*args)
    return result, time.perf_counter() - started


def median_ms(samples: list[float]) -> float:
    return round(statistics.median(samples) * 1000, 2)


def officers_with_keys(folder: Path) -> dict:
    """An officer account and a registered demo key (its private half in ``folder``) for each party."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from django.contrib.auth.models import User

    from tracker.ledger import signatures
    from tracker.models import SigningKey, StateParty

    officers = {}
    for party in StateParty.objects.all():
        username = f"officer-{party.code.lower()}"
        user = User.objects.create_user(username)
        private = Ed25519PrivateKey.generate()
        pem = private.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        (folder / f"{username}.pem").write_bytes(pem)
        public = signatures.public_of(private)
        key = SigningKey.objects.create(
            fingerprint=signatures.fingerprint(public),
            public_key=public,
            party=party,
            user=user,
            demo=True,
            valid_from=datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC),
        )
        officers[party.pk] = (user, private, key)
    return officers


def draft_of_ten_lines(party, day: datetime.date, serial: int):
    """A change notification of ten lines of ``party``'s latest notification, each quantity one more."""
    from tracker.models import Holding, Notification, NotificationStatus

    draft = Notification.objects.create(
        party=party, reference=f"BENCH-{party.code}-{serial}", kind="change", effective_date=day
    )
    latest = Notification.objects.filter(party=party, status=NotificationStatus.SUBMITTED).latest("effective_date")
    Holding.objects.bulk_create(
        Holding(
            notification=draft,
            object_of_verification_id=line.object_of_verification_id,
            site_id=line.site_id,
            category_id=line.category_id,
            equipment_type_id=line.equipment_type_id,
            quantity=line.quantity + 1,
            status=line.status,
        )
        for line in latest.holdings.order_by("id")[:10]
    )
    return draft


def signed_by(private, key, record):
    from tracker.ledger.book import Signed
    from tracker.ledger.canonical import b64

    return Signed(signature=b64(private.sign(record.canonical)), key=key.fingerprint)


def measure(args) -> dict:
    from django.db import connection

    from tracker import services
    from tracker.ledger import backlog, book, records
    from tracker.ledger.bulk import notification_records
    from tracker.models import Holding, Notification, NotificationStatus, StateParty

    lines = Holding.objects.count()
    notifications = Notification.objects.exclude(status=NotificationStatus.DRAFT)
    row = {"holdings": lines, "notifications": notifications.count(), "parties": StateParty.objects.count()}
    with rolled_back(), tempfile.TemporaryDirectory() as folder:
        with connection.cursor() as cursor:  # an earlier ledger, if any: gone when the transaction rolls back
            cursor.execute("TRUNCATE tracker_receipt, tracker_treehead, tracker_ledgerentry, tracker_ledgernode")
        officers = officers_with_keys(Path(folder))
        _, row["records_only_s"] = timed(lambda: sum(1 for r in notification_records(notifications) if r.sha256))
        with rolled_back():
            built, row["build_unsigned_s"] = timed(backlog.build)
        with rolled_back():
            built, row["build_signed_s"] = timed(backlog.build, Path(folder))
        assert built.signed == built.appended == row["notifications"], built
        backlog.build(Path(folder))
        print(f"  built: {row['build_unsigned_s']:.1f} s unsigned, {row['build_signed_s']:.1f} s signed", flush=True)

        parties = list(StateParty.objects.all())
        day = datetime.date(2026, 3, 2)
        submits = []
        for i in range(args.submits):
            party = parties[i % len(parties)]
            user, private, key = officers[party.pk]
            draft = draft_of_ten_lines(party, day, i)
            signed = signed_by(private, key, records.of_notification(draft))
            submits.append(timed(services.submit, draft, user, None, signed)[1])
        appends = []
        for i in range(args.appends):
            party = parties[i % len(parties)]
            user, private, key = officers[party.pk]
            record = records.of_notification(draft_of_ten_lines(party, day, args.submits + i))
            appends.append(timed(book.take, record, user, signed_by(private, key, record))[1])

        size = book.size()
        rng = random.Random(1990)
        roots = [timed(book.root, size)[1] for _ in range(args.reads)]
        inclusions = [timed(book.inclusion_proof, rng.randrange(size), size)[1] for _ in range(args.reads)]
        consistencies = [timed(book.consistency_proof, rng.randrange(1, size), size)[1] for _ in range(args.reads)]
    return row | {
        "ledger_entries": size,
        "submit_ms": median_ms(submits),
        "append_ms": median_ms(appends),
        "root_ms": median_ms(roots),
        "inclusion_proof_ms": median_ms(inclusions),
        "consistency_proof_ms": median_ms(consistencies),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--holdings", type=int, default=1_000_000, help="holding lines of bench/scale.py's database")
    parser.add_argument("--submits", type=int, default=5, help="signed 10-line notifications submitted, one by one")
    parser.add_argument("--appends", type=int, default=20, help="records appended with book.take, one by one")
    parser.add_argument("--reads", type=int, default=100, help="roots and proofs of each kind read")
    args = parser.parse_args()

    import os

    os.environ["DATABASE_URL"] = database_url(args.holdings)
    name = bench_database()
    import django

    django.setup()
    from django.core.management import call_command

    from tracker.models import Holding

    call_command("migrate", verbosity=0)
    if not Holding.objects.exists():
        _, load_s = timed(build, args.holdings, zones_for(args.holdings), 1200, 1990)
        print(f"built {args.holdings:,} holding lines in {name} in {load_s:.1f} s", flush=True)

    row = measure(args)
    print(
        f"ledger of {name}: {row['holdings']:,} holding lines in {row['notifications']:,} notifications of "
        f"{row['parties']} parties; rolled back afterwards (no final commit timed)"
    )
    print(f"{'step':<66}{'time':>12}")
    for label, value in (
        (f"records only: {row['notifications']} notifications made and hashed", f"{row['records_only_s']:.2f} s"),
        ("build_ledger, unsigned (one transaction)", f"{row['build_unsigned_s']:.2f} s"),
        ("build_ledger --sign-with (each record signed by its officer's key)", f"{row['build_signed_s']:.2f} s"),
        (f"submit one signed 10-line notification, end to end (median of {args.submits})", f"{row['submit_ms']} ms"),
        (f"append one signed 10-line record, book.take (median of {args.appends})", f"{row['append_ms']} ms"),
        (f"root of {row['ledger_entries']} entries (median of {args.reads})", f"{row['root_ms']} ms"),
        (f"inclusion proof (median of {args.reads})", f"{row['inclusion_proof_ms']} ms"),
        (f"consistency proof (median of {args.reads})", f"{row['consistency_proof_ms']} ms"),
    ):
        print(f"{label:<66}{value:>12}")
    print(json.dumps(row))


if __name__ == "__main__":
    main()
