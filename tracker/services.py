"""Writes that take more than one step: each runs in one transaction, all or nothing."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tracker.declarations import Header, notification_errors, submission_errors
from tracker.ledger import book, records
from tracker.ledger.book import Signed
from tracker.models import Holding, Notification, NotificationKind, NotificationStatus, ObjectOfVerification
from tracker.models.declarations import refresh_periods


def lock_objects(object_ids: set[int]) -> list[int]:
    """Serialise submissions touching the same objects of verification until this transaction ends.

    Periods are recomputed from every submitted line of an object; two submissions doing it at
    once would each miss the other's uncommitted line and leave both open-ended. NO KEY UPDATE
    does not block officers adding draft lines that merely reference the objects.
    """
    locked = ObjectOfVerification.objects.select_for_update(no_key=True).filter(pk__in=object_ids).order_by("pk")
    return list(locked.values_list("pk", flat=True))


@transaction.atomic
def submit(notification: Notification, user=None, submitted_at=None, signed: Signed | None = None) -> Notification:
    """Submit a draft, signed by its officer (``tracker.ledger.book.take``); a correction supersedes the
    notification it replaces in the same step, and the notification joins the ledger."""
    notification = Notification.objects.select_for_update().get(pk=notification.pk)
    if not notification.is_draft:
        raise ValidationError(
            _("%(reference)s is already %(status)s")
            % {"reference": notification.reference, "status": notification.status}
        )
    errors = submission_errors(notification)
    if errors:
        raise ValidationError(errors)
    lines = Holding.objects.filter(notification__in=[notification.pk, notification.supersedes_id])
    object_ids = lock_objects(set(lines.values_list("object_of_verification_id", flat=True)))
    notification.status = NotificationStatus.SUBMITTED
    notification.submitted_at = submitted_at or timezone.now()
    notification.submitted_by = user
    notification.save(update_fields=["status", "submitted_at", "submitted_by"])
    if notification.supersedes_id:
        original = Notification.objects.select_for_update().get(pk=notification.supersedes_id)
        original.status = NotificationStatus.SUPERSEDED
        original.save(update_fields=["status"])
    refresh_periods(object_ids)
    book.take(records.of_notification(notification), user, signed, notification.submitted_at)
    return notification


@transaction.atomic
def correct(original: Notification, reference: str | None = None) -> Notification:
    """A new draft carrying the original's lines, which supersedes it once submitted."""
    # Locked, so two officers correcting the same notification at once get one correction and one refusal.
    original = Notification.objects.select_for_update().get(pk=original.pk)
    reference = reference or f"{original.reference}-C{timezone.now():%Y%m%d%H%M%S}"
    errors = notification_errors([Header(original.party, reference, NotificationKind.CORRECTION, original)])[0]
    if errors:
        raise ValidationError(errors)
    draft = Notification.objects.create(
        party=original.party,
        reference=reference,
        kind=NotificationKind.CORRECTION,
        effective_date=original.effective_date,
        supersedes=original,
    )
    for line in original.holdings.all():
        line.pk = None
        line.notification = draft
        line.effective_from = line.effective_to = None
        line.save()
    return draft
