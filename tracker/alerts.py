"""Alerts for monitors: which entries a subscription hears of, who may read them, and their deliveries.

Whoever writes an ``AlertEntry`` (the findings register for a new or resolved finding, the concerns process
for each step) passes the new entries to ``enqueue``, in the same transaction: it makes one ``Delivery`` per
active webhook of every subscription that matches the entry and whose user may read it. Nothing is sent
here; ``manage.py deliver_alerts`` sends them (tracker/webhooks.py), so a slow receiver never slows a request.

A subscription's feed is read with a token shown once: only its SHA-256 is kept, so a stolen database
gives no feed, and a token is found by its digest (the lookup compares digests, not the token itself).
"""

import hashlib
import secrets
from collections.abc import Iterable

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.fields.json import KeyTextTransform
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tracker.compliance.breach import KINDS, NAMED_RECORDS
from tracker.models import StateParty
from tracker.models.alerts import AlertEntry, Delivery, Subscription, Webhook
from tracker.models.concerns import Concern, Grade
from tracker.models.parties import reads_everything, roles_of
from zones.models import Zone

FILTERS = ("zone", "party", "kind", "grade")


def filter_choices() -> dict[str, list[tuple[str, str]]]:
    """What a subscription may filter on, beside "any" (blank)."""
    any_ = [("", _("any"))]
    return {
        "zone": any_ + [(zone.code, str(zone)) for zone in Zone.objects.order_by("code")],
        "party": any_ + [(party.code, str(party)) for party in StateParty.objects.order_by("code")],
        "kind": any_ + [(kind, kind.replace("_", " ")) for kind in KINDS],
        "grade": any_ + list(Grade.choices),
    }


def new_token() -> tuple[str, str]:
    """A fresh token and the digest to keep of it."""
    token = secrets.token_urlsafe(32)
    return token, token_digest(token)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def subscription_for_token(token: str) -> Subscription | None:
    """The subscription whose token this is, if any: looked up by digest, so no comparison leaks the token."""
    if not token:
        return None
    return Subscription.objects.select_related("user").filter(token_sha256=token_digest(token)).first()


def issue_token(subscription: Subscription) -> str:
    """Give ``subscription`` a new token (the old one stops working) and return it, to be shown once."""
    token, subscription.token_sha256 = new_token()
    if subscription.pk:
        subscription.save(update_fields=["token_sha256"])
    return token


def _named_record_readable(key: str, records: QuerySet) -> Q:
    """An entry whose finding's evidence names no ``key``, or names one of ``records``."""
    named = KeyTextTransform(key, OuterRef("finding__evidence"))
    return ~Q(finding__evidence__has_key=key) | Q(Exists(records.filter(reference=named)))


def entry_visible_to(user) -> Q:
    """The entries ``user`` may read: none whose finding names an inspection report, a request or a concern
    hidden from them (as ``compliance.breach.readable_by``), nor about a concern between two other parties."""
    if reads_everything(user):
        return Q()
    if not roles_of(user):
        return Q(pk__in=[])
    rule = Q(concern__isnull=True) | Q(concern__in=Concern.objects.visible_to(user))
    for key, model in NAMED_RECORDS.items():
        rule &= _named_record_readable(key, model.objects.visible_to(user))
    return rule


def entries_for(subscription: Subscription) -> QuerySet:
    """The entries ``subscription`` hears of: those matching its filters that its user may read, newest first."""
    matching = {name: getattr(subscription, name) for name in FILTERS if getattr(subscription, name)}
    return AlertEntry.objects.filter(entry_visible_to(subscription.user), **matching)


def enqueue(entries: Iterable[AlertEntry]) -> list[Delivery]:
    """One delivery, due now, of each entry to each active webhook of the subscriptions that hear of it.

    Call it with the entries just written, inside their transaction: the deliveries then exist exactly
    when the entries do. Calling it twice for an entry adds nothing. Returns the entries' deliveries.
    """
    ids = [entry.pk for entry in entries]
    if not ids:
        return []
    now = timezone.now()
    deliveries = []
    subscriptions = Subscription.objects.filter(webhooks__active=True).distinct().select_related("user")
    for subscription in subscriptions:
        matched = list(entries_for(subscription).filter(pk__in=ids).values_list("pk", flat=True))
        for webhook in Webhook.objects.filter(subscription=subscription, active=True):
            deliveries += [Delivery(webhook=webhook, entry_id=entry, next_attempt_at=now) for entry in matched]
    Delivery.objects.bulk_create(deliveries, ignore_conflicts=True)
    return list(Delivery.objects.filter(entry__in=ids).order_by("id"))


def entry_tag(entry: AlertEntry) -> str:
    """The entry's id for ever, whatever host serves it (RFC 4151 tag URI)."""
    return f"tag:{settings.ALERT_TAG_AUTHORITY},2026:alert-entry/{entry.pk}"


def entry_link(entry: AlertEntry) -> str:
    """The admin page of what the entry is about: its concern, else its finding."""
    record = entry.concern if entry.concern_id else entry.finding
    opts = record._meta
    return f"{reverse('admin:index')}{opts.app_label}/{opts.model_name}/{record.pk}/change/"


def entry_document(entry: AlertEntry) -> dict:
    """The entry as a webhook receives it (JSON)."""
    return {
        "id": entry_tag(entry),
        "event": entry.event,
        "created_at": entry.created_at.isoformat(),
        "title": entry.title,
        "zone": entry.zone,
        "party": entry.party,
        "kind": entry.kind,
        "grade": entry.grade,
        "finding": entry.finding.key if entry.finding_id else None,
        "concern": entry.concern.reference if entry.concern_id else None,
        "link": entry_link(entry),
        "summary": entry.summary,
    }
