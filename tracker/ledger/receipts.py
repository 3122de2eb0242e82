"""Receipts: a party acknowledges every record in a tree head by signing ``book.receipt_body`` with a key of
its own, and which receipts each party owes.

A receipt says the records reached the party, nothing more: "receipt of such information and of
notifications shall not imply validation or acceptance of the information provided" (CFE Art. XIII.3).

Who owes a receipt for an entry: every party other than its author that may read the record, as the treaty
sends it — a notification to every other party (Art. XIII.1, XVII), a signed report to the inspected party and
the countersignature back to the inspecting one (Protocol on Inspection, Section XII.1-2), a concern's step to
the concern's other party (Art. XVI.2) — provided the party takes part in the ledger's receipts, that is, had
registered a signing key by the time the entry was accepted: a party without one has nothing to sign with.
An entry is acknowledged by the party's first receipt of a head larger than its index.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tracker.ledger.book import Signed, receipt_body, signing_key
from tracker.ledger.records import Record
from tracker.models import Receipt, TreeHead
from tracker.models.parties import party_of
from tracker.models.treaties import TREATY_IN_FORCE


def receipt_record(party, head: TreeHead) -> Record:
    """What ``party`` signs to acknowledge ``head``, as a record checked like any other."""
    return Record("receipt", f"{party.code}@{head.size}", party, head, receipt_body(party.code, head))


@transaction.atomic
def acknowledge(user, head: TreeHead, signed: Signed, at: datetime.datetime | None = None) -> tuple[Receipt, bool]:
    """``user``'s party's receipt of ``head``, signed with a key of theirs in force (ValidationError naming
    ``signature`` or ``key`` otherwise). A party acknowledges a head once: a second receipt answers the first
    (False)."""
    party = party_of(user)
    if party is None:
        raise ValidationError({"key": _("you are accredited to no state party: a receipt is a party's")})
    at = at or timezone.now()
    key, signature = signing_key(receipt_record(party, head), user, signed, at)
    return Receipt.objects.get_or_create(
        tree_head=head,
        party=party,
        defaults={"key": key, "signature": signature, "received_at": at, "received_by": user},
    )


@dataclass(frozen=True)
class Owed:
    """One party's receipt of one entry: when it was due (None: no treaty in force set a time) and when the
    party first acknowledged a head including it (None: not yet)."""

    index: int
    reference: str
    record_type: str
    inspection: str | None
    concern: str | None
    author: str
    party: str
    accepted_at: datetime.datetime
    treaty: str | None
    hours: int | None
    received_at: datetime.datetime | None

    @property
    def due(self) -> datetime.datetime | None:
        return None if self.hours is None else self.accepted_at + datetime.timedelta(hours=self.hours)

    def late_before(self, moment: datetime.datetime | None) -> bool:
        """Whether its time ran out before ``moment`` (None: ever) with no receipt in time."""
        due = self.due
        if due is None:
            return False
        in_time = self.received_at is not None and self.received_at <= due
        return not in_time and (moment is None or due < moment)


# Of the treaties in force on the day of acceptance, the one allowing the fewest hours (as a report without a
# request is held to the countersignature time falling first).
OWED = f"""
    SELECT e.index, e.reference, e.record_type, i.reference, c.reference, author.code, reader.code, e.accepted_at,
           t.name, t.receipt_hours,
           (SELECT min(r.received_at) FROM tracker_receipt r JOIN tracker_treehead h ON h.id = r.tree_head_id
            WHERE r.party_id = reader.id AND h.size > e.index)
    FROM tracker_ledgerentry e
    JOIN tracker_stateparty author ON author.id = e.party_id
    LEFT JOIN tracker_inspection i ON i.id = e.inspection_id
    LEFT JOIN tracker_concernstep s ON s.id = e.concern_step_id
    LEFT JOIN tracker_concern c ON c.id = s.concern_id
    JOIN tracker_stateparty reader ON reader.id <> e.party_id AND CASE e.record_type
        WHEN 'notification' THEN true
        WHEN 'inspection report' THEN reader.id = i.inspected_party_id
        WHEN 'countersignature' THEN reader.id = i.inspecting_party_id
        WHEN 'concern step' THEN reader.id IN (c.raised_by_id, c.raised_against_id)
        ELSE false END
    LEFT JOIN LATERAL (
        SELECT t.name, t.receipt_hours FROM tracker_treaty t
        WHERE {TREATY_IN_FORCE.sql("t", "(e.accepted_at AT TIME ZONE %(tz)s)::date")}
        ORDER BY t.receipt_hours, t.name LIMIT 1
    ) t ON true
    WHERE EXISTS (
        SELECT FROM tracker_signingkey k
        WHERE k.party_id = reader.id AND k.user_id IS NOT NULL AND k.valid_from <= e.accepted_at
    )
    AND (%(cutoff)s::timestamptz IS NULL OR e.accepted_at < %(cutoff)s::timestamptz)
    ORDER BY e.index, reader.code
"""


def owed(cutoff: datetime.datetime | None = None) -> list[Owed]:
    """Every receipt owed for the entries accepted before ``cutoff`` (all), in one query however many."""
    with connection.cursor() as cursor:
        cursor.execute(OWED, {"tz": timezone.get_current_timezone_name(), "cutoff": cutoff})
        return [Owed(*row) for row in cursor.fetchall()]


@dataclass(frozen=True)
class Acknowledged:
    """A party's receipts: the largest head it acknowledged, and the entries it owes a receipt for beyond it."""

    party: str
    size: int
    last_received_at: datetime.datetime | None
    pending: list[Owed]


def by_party(readable_entries: set[int] | None = None) -> list[Acknowledged]:
    """Each party that takes part in receipts, with what it has acknowledged and what not yet; ``pending`` only
    among ``readable_entries`` (indexes; None: all)."""
    acknowledged = {
        code: (size, moment)
        for code, size, moment in Receipt.objects.order_by("party__code", "-tree_head__size", "-received_at")
        .distinct("party__code")
        .values_list("party__code", "tree_head__size", "received_at")
    }
    pending: dict[str, list[Owed]] = {}
    for entry in owed():
        pending.setdefault(entry.party, [])
        if entry.received_at is None and (readable_entries is None or entry.index in readable_entries):
            pending[entry.party].append(entry)
    parties = sorted(set(pending) | set(acknowledged))
    return [Acknowledged(code, *acknowledged.get(code, (0, None)), pending=pending.get(code, [])) for code in parties]
