"""The accepted records not yet in the ledger, and appending them all at once (``manage.py build_ledger``).

A database loaded from a bundle, or one that held records before the ledger existed, has accepted records
without entries. They join the ledger in the order they were made: submitted (and since superseded)
notifications by their submission, signed reports by their signature and their countersignatures by the
countersignature, concern steps by their moment; ties by id. They are unsigned entries, unless they are the
demo's: then each is signed with the published demo key of the account that made it (docs/ledger.md, "Demo
keys"). The tracker never holds a real officer's private key, so only keys registered as demo keys sign here.
"""

import datetime
import heapq
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from tracker.ledger import book, records, signatures
from tracker.ledger.bulk import notification_records
from tracker.ledger.records import Record
from tracker.models import (
    ConcernStep,
    Inspection,
    LedgerEntry,
    Notification,
    NotificationStatus,
    RecordType,
    ReportStatus,
    SigningKey,
    StateParty,
)

# Per record type: the moment it was made and the user who made it.
MADE = {
    RecordType.NOTIFICATION: ("submitted_at", "submitted_by_id"),
    RecordType.REPORT: ("signed_at", "signed_by_id"),
    RecordType.COUNTERSIGNATURE: ("countersigned_at", "countersigned_by_id"),
    RecordType.CONCERN_STEP: ("made_at", "made_by_id"),
}
# The demo account that made a record naming no user (a bundle's): its party's officer, or its inspector for
# a report (the team leader) and a countersignature (the escort); accounts.demo names them so.
DEMO_ACCOUNT = {RecordType.REPORT: "inspector", RecordType.COUNTERSIGNATURE: "inspector"}


class UnregisteredKey(Exception):
    """A key file that is not a demo key registered, and in force, for the account it is named after."""


def missing(queryset: QuerySet, record_type: RecordType, row_field: str) -> QuerySet:
    entries = LedgerEntry.objects.filter(record_type=record_type, **{row_field: OuterRef("pk")})
    return queryset.filter(~Exists(entries))


def made_at(record: Record) -> tuple[datetime.datetime, int]:
    return getattr(record.row, MADE[record.type][0]), record.row.pk


def pending() -> Iterator[Record]:
    """Every accepted record without a ledger entry, in the order it was made."""
    notifications = missing(
        Notification.objects.filter(status__in=[NotificationStatus.SUBMITTED, NotificationStatus.SUPERSEDED]),
        RecordType.NOTIFICATION,
        "notification",
    )
    inspections = Inspection.objects.select_related("inspecting_party", "inspected_party", "site", "request")
    reports = missing(inspections.exclude(status=ReportStatus.DRAFT), RecordType.REPORT, "inspection")
    countersigned = missing(
        inspections.filter(status=ReportStatus.COUNTERSIGNED), RecordType.COUNTERSIGNATURE, "inspection"
    )
    steps = missing(
        ConcernStep.objects.select_related("party", "concern__raised_against"), RecordType.CONCERN_STEP, "concern_step"
    )
    return heapq.merge(
        notification_records(notifications),
        map(records.of_report, reports.order_by("signed_at", "id")),
        map(records.of_countersignature, countersigned.order_by("countersigned_at", "id")),
        map(records.of_concern_step, steps.order_by("made_at", "id")),
        key=made_at,
    )


@dataclass
class DemoSigner:
    """Signs each record with the key file in ``folder`` named after the account that made it."""

    folder: Path
    at: datetime.datetime
    unsigned: Counter = field(default_factory=Counter)
    keys: dict = field(default_factory=dict)
    usernames: dict = field(default_factory=dict)

    def maker(self, record: Record) -> str:
        user_id = getattr(record.row, MADE[record.type][1])
        if user_id is None:
            return f"{DEMO_ACCOUNT.get(record.type, 'officer')}-{record.party.code.lower()}"
        if user_id not in self.usernames:
            self.usernames[user_id] = get_user_model().objects.get(pk=user_id).get_username()
        return self.usernames[user_id]

    def key(self, username: str, party: StateParty):
        path = self.folder / f"{username}.pem"
        if not path.is_file():
            return None
        private = signatures.private_key(path.read_bytes())
        fingerprint = signatures.fingerprint(signatures.public_of(private))
        registered = SigningKey.objects.filter(
            fingerprint=fingerprint, user__username=username, party=party, demo=True
        ).in_force(self.at)
        if not registered.exists():
            raise UnregisteredKey(
                f"{path} is not a demo key registered for {username} of {party.code} and in force: "
                "register it (manage.py ensure_demo_users does for the demo accounts) or remove the file"
            )
        return private, registered.get()

    def sign(self, record: Record) -> tuple[Record, SigningKey | None, bytes | None]:
        username = self.maker(record)
        if (username, record.party.pk) not in self.keys:
            self.keys[username, record.party.pk] = self.key(username, record.party)
        found = self.keys[username, record.party.pk]
        if found is None:
            self.unsigned[username] += 1
            return record, None, None
        private, key = found
        return record, key, private.sign(record.canonical)


@dataclass
class Built:
    appended: int
    signed: int
    unsigned: Counter  # by the account that made the records, when signing; else empty


def unsigned(pending: Iterable[Record]) -> Iterator[tuple[Record, None, None]]:
    return ((record, None, None) for record in pending)


@transaction.atomic
def build(sign_with: Path | None = None, at: datetime.datetime | None = None) -> Built:
    """Append every pending record to the ledger, in one transaction; signed with the demo keys in
    ``sign_with`` when given."""
    at = at or timezone.now()
    signer = DemoSigner(Path(sign_with), at) if sign_with else None
    entries = book.accept(map(signer.sign, pending()) if signer else unsigned(pending()), at)
    signed = sum(1 for entry in entries if entry.key_id)
    return Built(len(entries), signed, signer.unsigned if signer else Counter())
