"""Many notifications' records at once, for building the ledger of a database that already holds them.

``records.of_notification`` reads one notification's lines in a query of its own; at a million lines in
thousands of notifications that is thousands of round trips. Here the notifications and all their lines come
from one query, streamed through a server-side cursor in the order records join the ledger, so they are read
in one snapshot; each record is made as its last line arrives, by the same ``records.notification_record``,
so it is the same bytes.
"""

from collections.abc import Iterator
from itertools import groupby
from operator import itemgetter

from django.db.models import QuerySet

from tracker.ledger.records import Record, notification_line, notification_record
from tracker.models import Notification, StateParty

# The order notifications join the ledger in: by submission, ties by id.
ORDER = ("submitted_at", "id")
HEAD = ("id", "reference", "party_id", "kind", "effective_date", "supersedes_id", "supersedes__reference")
HEAD += ("remarks", "status", "submitted_at", "submitted_by_id")
LINE = (
    "holdings__id",
    "holdings__object_of_verification__record_number",
    "holdings__site__code",
    "holdings__category__code",
    "holdings__equipment_type__name",
    "holdings__status",
    "holdings__quantity",
)


def notification_records(notifications: QuerySet[Notification], chunk_size: int = 20_000) -> Iterator[Record]:
    """The record of each of ``notifications``, by submission then id, all lines read in one streamed query.

    Each record's ``row`` is its notification with the fields a ledger entry and its signer need (party,
    reference, status, submission, submitter, the superseded notification's reference)."""
    parties = StateParty.objects.in_bulk()
    rows = notifications.order_by(*ORDER).values_list(*HEAD, *LINE).iterator(chunk_size=chunk_size)
    for _, group in groupby(rows, key=itemgetter(0)):
        first, *rest = group
        head = dict(zip(HEAD, first[: len(HEAD)]))
        notification = Notification(
            **{name: value for name, value in head.items() if name not in ("party_id", "supersedes__reference")},
            party=parties[head["party_id"]],
        )
        if notification.supersedes_id:
            notification.supersedes = Notification(pk=head["supersedes_id"], reference=head["supersedes__reference"])
        lines = [notification_line(*row[len(HEAD) + 1 :]) for row in (first, *rest) if row[len(HEAD)] is not None]
        yield notification_record(notification, lines)
