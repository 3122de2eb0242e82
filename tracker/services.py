"""Writes that take more than one step: each runs in one transaction, all or nothing."""

from collections import Counter

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from tracker.dates import implausibility
from tracker.models import Holding, Notification, NotificationKind, NotificationStatus, Site
from tracker.models.declarations import refresh_periods


def submission_errors(notification: Notification) -> list[str]:
    """Every reason the notification cannot be submitted, so the officer sees them all at once."""
    errors = []
    if not notification.effective_date:
        errors.append("the effective date is missing")
    elif reason := implausibility(notification.effective_date):
        errors.append(f"the effective date {reason}")
    lines = list(notification.holdings.select_related("site__party", "category"))
    if not lines:
        errors.append("the notification has no lines")
    for line in lines:
        if line.site.party_id != notification.party_id:
            errors.append(f"site {line.site.code} belongs to {line.site.party.code}, not to {notification.party.code}")
        if line.quantity < 0:
            errors.append(f"{line.site.code} {line.category.code}: quantity {line.quantity} is negative")
    keys = Counter((line.site.code, line.category.code, line.status) for line in lines)
    for (site, category, status), count in sorted(keys.items()):
        if count > 1:
            errors.append(f"{site} {category} ({status}) is declared {count} times")
    original = notification.supersedes
    if original is not None:
        if original.party_id != notification.party_id:
            errors.append(f"{original.reference} is another party's notification")
        elif original.status != NotificationStatus.SUBMITTED:
            errors.append(f"{original.reference} is {original.status}: only a submitted notification can be corrected")
    return errors


def lock_sites(site_ids: set[int]) -> list[int]:
    """Serialise submissions touching the same sites until this transaction ends.

    Periods are recomputed from every submitted line of a site; two submissions doing it at
    once would each miss the other's uncommitted line and leave both open-ended. NO KEY UPDATE
    does not block officers adding draft lines that merely reference the sites.
    """
    return list(
        Site.objects.select_for_update(no_key=True).filter(pk__in=site_ids).order_by("pk").values_list("pk", flat=True)
    )


@transaction.atomic
def submit(notification: Notification, user=None, submitted_at=None) -> Notification:
    """Submit a draft; a correction supersedes the notification it replaces in the same step."""
    notification = Notification.objects.select_for_update().get(pk=notification.pk)
    if not notification.is_draft:
        raise ValidationError(f"{notification.reference} is already {notification.status}")
    errors = submission_errors(notification)
    if errors:
        raise ValidationError(errors)
    site_ids = set(notification.holdings.values_list("site_id", flat=True))
    if notification.supersedes_id:
        site_ids |= set(
            Holding.objects.filter(notification=notification.supersedes_id).values_list("site_id", flat=True)
        )
    site_ids = lock_sites(site_ids)
    notification.status = NotificationStatus.SUBMITTED
    notification.submitted_at = submitted_at or timezone.now()
    notification.submitted_by = user
    notification.save(update_fields=["status", "submitted_at", "submitted_by"])
    if notification.supersedes_id:
        original = Notification.objects.select_for_update().get(pk=notification.supersedes_id)
        original.status = NotificationStatus.SUPERSEDED
        original.save(update_fields=["status"])
    refresh_periods(site_ids)
    return notification


@transaction.atomic
def correct(original: Notification, reference: str | None = None) -> Notification:
    """A new draft carrying the original's lines, which supersedes it once submitted."""
    # Locked, so two officers correcting the same notification at once get one correction and one refusal.
    original = Notification.objects.select_for_update().get(pk=original.pk)
    if original.status != NotificationStatus.SUBMITTED:
        raise ValidationError(
            f"{original.reference} is {original.status}: only a submitted notification can be corrected"
        )
    if Notification.objects.filter(supersedes=original).exists():
        raise ValidationError(f"{original.reference} already has a correction")
    if reference is not None:
        errors = Notification(party=original.party, reference=reference).reference_errors()
        if errors:
            raise ValidationError({"reference": errors})
    draft = Notification.objects.create(
        party=original.party,
        reference=reference or f"{original.reference}-C{timezone.now():%Y%m%d%H%M%S}",
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
