"""``receipt_missing``: a party did not acknowledge, within the hours its treaty allows, a record of the ledger
that was sent to it (``tracker.ledger.receipts``: who owes a receipt for which entry).

The treaty asks notifications to be sent in written form over agreed channels (CFE Art. XVII) and that their
receipt imply no validation or acceptance (Art. XIII.3); it sets no time for acknowledging them (the
Protocol on Notification and Exchange of Information has no such clause; the one time for an acknowledgement
in the treaty is the three hours for a notification of intent to inspect, Protocol on Inspection, Section IV.4,
checked as ``late_acknowledgement``). The time is the treaty's ``receipt_hours`` (24 unless the parties agree
otherwise), counted from the entry's acceptance; exactly the hours allowed is in time. A receipt counts only if
its head includes the entry (a size larger than its index). A receipt given late does not undo the finding, as
a late countersignature does not.

One finding per entry and party, not per party and day: each names one record, and is read only by whoever
may read that record (its evidence names the report or the concern, which ``readable_by`` narrows on), so
records of different readers never share a finding. An evaluation as of a day reads the end of that day.
"""

import datetime

from django.utils import timezone

from tracker.compliance.breach import RECEIPT_MISSING, Breach
from tracker.compliance.countersignature import end_of
from tracker.ledger.receipts import Owed, owed

RULE = "CFE Art. XIII.3 and XVII; receipt_hours of the treaty (no time in the treaty)"


def evidence(entry: Owed) -> dict:
    named = {"inspection": entry.inspection} if entry.inspection else {}
    if entry.concern:
        named["concern"] = entry.concern
    return {
        "entry": entry.index,
        "reference": entry.reference,
        "record": entry.record_type,
        "author": entry.author,
        **named,
        "rule": RULE,
        "accepted_at": entry.accepted_at.isoformat(),
        "due": entry.due.isoformat(),
        "received_at": entry.received_at.isoformat() if entry.received_at else None,
        "hours": entry.hours,
    }


def missing_receipts(as_of: datetime.date) -> list[Breach]:
    end = end_of(as_of)
    return [
        Breach(
            kind=RECEIPT_MISSING,
            as_of=as_of,
            zone=None,
            party=entry.party,
            category=None,
            limit=None,
            counted=None,
            excess=None,
            treaty=entry.treaty,
            evidence=evidence(entry),
        )
        for entry in owed(end)
        if entry.late_before(end)
    ]


def receipt_dates() -> set[datetime.date]:
    """The days a receipt falls due: a finding may begin on one."""
    return {timezone.localdate(entry.due) for entry in owed() if entry.due is not None}
