"""Webhooks: where they may point, how a delivery is signed, and the worker's step that sends one.

A delivery is POSTed as JSON with ``Tracker-Signature: t=<unix time>,v1=<hex HMAC-SHA256 of "<t>.<body>">``
under the webhook's secret, ``Tracker-Delivery`` and ``Tracker-Event``. A 2xx answer delivers it; anything
else (another status, a timeout, a refused connection) is logged on the delivery and tried again after
30 s × 2^(attempts − 1), capped at 6 hours, with ±10 % jitter so receivers that fail together are not
retried together, until ``ALERT_DELIVERY_ATTEMPTS`` attempts have been made.

Deliveries are rows: ``next_due`` locks one with ``FOR UPDATE SKIP LOCKED``, so several workers share the
queue, and one killed half-way leaves its delivery to be tried again, never lost.
"""

import hashlib
import hmac
import ipaddress
import json
import random
import secrets
import socket
import time
import urllib.error
import urllib.request
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from tracker.alerts import entry_document
from tracker.models.alerts import Delivery

TIMEOUT_SECONDS = 10
FIRST_RETRY = timedelta(seconds=30)
LONGEST_WAIT = timedelta(hours=6)
SIGNATURE_HEADER = "Tracker-Signature"


def new_secret() -> str:
    return secrets.token_urlsafe(32)


def _reaches_only_public_addresses(host: str, port: int) -> bool:
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)}
    except (socket.gaierror, UnicodeError):
        return False
    for address in addresses:
        ip = ipaddress.ip_address(address.split("%")[0])
        ip = getattr(ip, "ipv4_mapped", None) or ip
        if not ip.is_global or ip.is_multicast:
            return False
    return bool(addresses)


def check_url(url: str) -> None:
    """Refuse a webhook URL that is not http(s), or whose host resolves to a loopback, private, link-local or
    otherwise non-public address (unless ``ALERT_WEBHOOK_ALLOW_PRIVATE``): the tracker must not be made to
    POST into its own network."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValidationError(_("a webhook URL is an http:// or https:// address with a host"), code="scheme")
    if settings.ALERT_WEBHOOK_ALLOW_PRIVATE:
        return
    port = parts.port or (443 if parts.scheme == "https" else 80)
    if not _reaches_only_public_addresses(parts.hostname, port):
        raise ValidationError(
            _("%(host)s is not a public address: webhooks are not sent to loopback or private networks")
            % {"host": parts.hostname},
            code="private",
        )


def signature(secret: str, timestamp: int, body: bytes) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={mac}"


def retry_delay(attempts: int) -> timedelta:
    """The wait after the ``attempts``-th failed attempt."""
    wait = min(FIRST_RETRY * 2 ** min(attempts - 1, 20), LONGEST_WAIT)
    return wait * random.uniform(0.9, 1.1)


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect could point anywhere, inside the network too: it counts as a failed attempt."""

    def redirect_request(self, *args, **kwargs):
        return None


_opener = urllib.request.build_opener(_NoRedirects)


def post(delivery: Delivery) -> tuple[int | None, str]:
    """POST ``delivery`` once: the status (None when there was no answer) and what went wrong, if anything."""
    webhook = delivery.webhook
    try:
        check_url(webhook.url)
    except ValidationError as refused:
        return None, refused.messages[0]
    body = json.dumps(entry_document(delivery.entry), sort_keys=True).encode()
    request = urllib.request.Request(
        webhook.url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": "treaty-tracker-webhooks/1",
            SIGNATURE_HEADER: signature(webhook.secret, int(time.time()), body),
            "Tracker-Delivery": str(delivery.pk),
            "Tracker-Event": delivery.entry.event,
        },
    )
    try:
        with _opener.open(request, timeout=TIMEOUT_SECONDS) as response:
            return response.status, ""
    except urllib.error.HTTPError as answer:
        return answer.code, f"HTTP {answer.code} {answer.reason}"
    except (OSError, ValueError) as failure:
        return None, str(getattr(failure, "reason", failure)) or type(failure).__name__


def due() -> QuerySet:
    return Delivery.objects.filter(
        delivered_at__isnull=True,
        next_attempt_at__lte=timezone.now(),
        attempts__lt=settings.ALERT_DELIVERY_ATTEMPTS,
        webhook__active=True,
    )


def deliver_next() -> Delivery | None:
    """Lock the next due delivery no other worker holds, POST it, and record the outcome; None when none is due."""
    with transaction.atomic():
        delivery = (
            due()
            .select_for_update(skip_locked=True, of=("self",))
            .select_related("webhook", "entry")
            .order_by("next_attempt_at", "id")
            .first()
        )
        if delivery is None:
            return None
        status, error = post(delivery)
        delivery.attempts += 1
        delivery.last_status = status
        if status is not None and 200 <= status < 300:
            delivery.delivered_at = timezone.now()
            delivery.last_error = ""
        else:
            delivery.last_error = error or f"HTTP {status}"
            delivery.next_attempt_at = timezone.now() + retry_delay(delivery.attempts)
        delivery.save(update_fields=["attempts", "last_status", "last_error", "delivered_at", "next_attempt_at"])
        return delivery


def retry_now(deliveries) -> int:
    """Make undelivered ``deliveries`` due now; one that was given up on gets one more attempt."""
    undelivered = deliveries.filter(delivered_at__isnull=True)
    count = 0
    for delivery in undelivered:
        delivery.next_attempt_at = timezone.now()
        delivery.attempts = min(delivery.attempts, settings.ALERT_DELIVERY_ATTEMPTS - 1)
        delivery.save(update_fields=["next_attempt_at", "attempts"])
        count += 1
    return count


def gave_up(delivery: Delivery) -> bool:
    return delivery.delivered_at is None and delivery.attempts >= settings.ALERT_DELIVERY_ATTEMPTS
