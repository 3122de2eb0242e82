"""Tree heads: the tracker signs one daily, and on demand whenever the tree has grown since the last one.

A head answers for every record in the tree at its size; the parties' receipts acknowledge heads, so a head
must be at hand soon after a record is accepted. Daily: ``sign_tree_head --daily`` signs when none was
signed in the last ``HEAD_INTERVAL``. On demand: anyone with a role may ask (the API throttles them); a tree
that has not grown gets the latest head back, so asking costs no signature and the list of heads stays short.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from tracker.ledger import book
from tracker.models import TreeHead

HEAD_INTERVAL = datetime.timedelta(hours=24)


def newest_first():
    return TreeHead.objects.select_related("key").order_by("-signed_at", "-size", "-id")


def latest() -> TreeHead | None:
    return newest_first().first()


@transaction.atomic
def on_demand(at: datetime.datetime | None = None) -> tuple[TreeHead, bool]:
    """A head of the tree as it stands: the latest one when the tree has not grown since (False), else a new
    one signed now (True)."""
    book.lock()  # no record joins, and no other head is signed, while we look
    head = latest()
    if head is not None and head.size == book.size():
        return head, False
    return book.sign_tree_head(at), True


def due(now: datetime.datetime | None = None) -> bool:
    """Whether no head was signed in the ``HEAD_INTERVAL`` before ``now``."""
    now = now or timezone.now()
    return not TreeHead.objects.filter(signed_at__gte=now - HEAD_INTERVAL, signed_at__lte=now).exists()


def daily(now: datetime.datetime | None = None) -> TreeHead | None:
    """The day's head, signed at ``now`` when one is ``due``; None when one was signed within the interval."""
    now = now or timezone.now()
    with transaction.atomic():
        book.lock()
        return book.sign_tree_head(now) if due(now) else None
