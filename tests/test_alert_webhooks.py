"""Webhooks: each matching entry the subscription's user may read becomes a delivery when written; the worker POSTs
it signed with HMAC-SHA256 to a real receiver, retries a failing one with backoff and gives up after the set number
of attempts; a webhook never points into the tracker's own network unless allowed."""

import datetime
import hashlib
import hmac
import json
import time

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests import factories
from tests.alert_records import entry, finding, subscription
from tests.webhook_receiver import Receiver
from tracker.alerts import enqueue
from tracker.models import Delivery, Webhook
from tracker.models.parties import Role
from tracker.webhooks import check_url, deliver_next, retry_delay, retry_now


@pytest.fixture(autouse=True)
def _private_addresses_allowed(settings):
    settings.ALERT_WEBHOOK_ALLOW_PRIVATE = True


@pytest.fixture
def receiver():
    receiver = Receiver()
    yield receiver
    receiver.close()


@pytest.fixture
def monitor():
    return factories.person("monitor-pol", Role.MONITOR, factories.party("POL"))


def webhook(user, url: str, **filters) -> Webhook:
    return Webhook.objects.create(subscription=subscription(user, **filters)[0], url=url, secret="s3cret-of-the-hook")


def verify(secret: str, header: str, body: bytes, tolerance: int = 300) -> bool:
    """What a receiver does (docs/api.md): recompute the HMAC over "<t>.<body>" and check the time."""
    fields = dict(part.split("=", 1) for part in header.split(","))
    expected = hmac.new(secret.encode(), f"{fields['t']}.".encode() + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, fields["v1"]) and abs(time.time() - int(fields["t"])) <= tolerance


def test_a_receiver_on_127_0_0_1_gets_the_entry_posted_with_a_signature_it_verifies(monitor, receiver):
    hook = webhook(monitor, receiver.url)
    new = entry(finding("ceiling_exceeded", "breach", "RUS", "FLANK"))

    [queued] = enqueue([new])
    delivered = deliver_next()

    [(headers, body)] = receiver.received
    assert delivered.pk == queued.pk and delivered.delivered_at is not None and delivered.attempts == 1
    assert verify("s3cret-of-the-hook", headers["Tracker-Signature"], body)
    assert not verify("another-secret", headers["Tracker-Signature"], body)
    assert not verify("s3cret-of-the-hook", headers["Tracker-Signature"], body.replace(b"RUS", b"UKR"))
    assert headers["Tracker-Delivery"] == str(queued.pk)
    assert headers["Tracker-Event"] == "finding_new"
    assert headers["Content-Type"] == "application/json"
    document = json.loads(body)
    assert document["id"] == f"tag:treaty-tracker.localhost,2026:alert-entry/{new.pk}"
    assert (document["kind"], document["party"], document["zone"]) == ("ceiling_exceeded", "RUS", "FLANK")
    assert document["finding"] == new.finding.key
    assert deliver_next() is None
    assert hook.deliveries.get().last_status == 204


def test_writing_an_entry_only_queues_it_so_no_receiver_is_called_during_the_request(monitor, receiver):
    webhook(monitor, receiver.url)

    enqueue([entry(finding())])

    assert receiver.received == []
    assert Delivery.objects.filter(delivered_at__isnull=True).count() == 1


def test_a_failing_receiver_is_retried_with_growing_waits_and_then_given_up(monitor, settings):
    settings.ALERT_DELIVERY_ATTEMPTS = 3
    failing = Receiver(status=500)
    webhook(monitor, failing.url)
    [delivery] = enqueue([entry(finding())])
    waits = []
    try:
        for _ in range(3):
            before = timezone.now()
            attempted = deliver_next()
            waits.append((attempted.next_attempt_at - before).total_seconds())
            assert deliver_next() is None  # not due again before its wait
            Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
    finally:
        failing.close()

    delivery.refresh_from_db()
    assert len(failing.received) == 3
    assert (delivery.attempts, delivery.last_status, delivery.delivered_at) == (3, 500, None)
    assert "500" in delivery.last_error
    assert 27 <= waits[0] <= 33.5 and 54 <= waits[1] <= 66.5 and 108 <= waits[2] <= 132.5
    assert deliver_next() is None  # given up: the log stays
    assert retry_now(Delivery.objects.all()) == 1
    assert deliver_next().attempts == 3


@pytest.mark.parametrize("attempts, seconds", [(1, 30), (2, 60), (3, 120), (10, 15360), (11, 21600), (40, 21600)])
def test_the_wait_doubles_from_30_seconds_and_stops_growing_at_6_hours(attempts, seconds):
    assert 0.9 * seconds <= retry_delay(attempts).total_seconds() <= 1.1 * seconds


def test_a_receiver_that_cannot_be_reached_is_logged_and_retried(monitor):
    unreachable = Receiver()
    unreachable.close()
    webhook(monitor, unreachable.url)
    enqueue([entry(finding())])

    attempted = deliver_next()

    assert attempted.attempts == 1 and attempted.last_status is None and attempted.last_error
    assert attempted.next_attempt_at > timezone.now()


def test_a_redirect_is_not_followed(monitor, receiver):
    redirecting = Receiver(status=302, headers={"Location": receiver.url})
    webhook(monitor, redirecting.url)
    enqueue([entry(finding())])
    try:
        attempted = deliver_next()
    finally:
        redirecting.close()

    assert attempted.delivered_at is None and attempted.last_status == 302
    assert receiver.received == []


def test_only_matching_entries_the_user_may_read_are_queued_once_per_active_webhook(monitor, receiver):
    ukr, rus = factories.party("UKR"), factories.party("RUS")
    request = factories.inspection_request(rus, ukr, datetime.datetime(2026, 3, 1, 8, tzinfo=datetime.UTC))
    flank = webhook(monitor, receiver.url, zone="FLANK")
    everything = webhook(monitor, receiver.url)
    Webhook.objects.create(subscription=everything.subscription, url=receiver.url, secret="x", active=False)
    in_flank = entry(finding(zone="FLANK"))
    elsewhere = entry(finding(zone="IV.1"))
    hidden = entry(finding("short_inspection_notice", "breach", "RUS", "FLANK", request=request.reference))

    enqueue([in_flank, elsewhere, hidden])
    enqueue([in_flank, elsewhere, hidden])

    queued = set(Delivery.objects.values_list("webhook", "entry"))
    assert queued == {(flank.pk, in_flank.pk), (everything.pk, in_flank.pk), (everything.pk, elsewhere.pk)}


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8000/hook",
        "http://localhost/hook",
        "http://[::1]/hook",
        "https://10.1.2.3/hook",
        "https://192.168.0.10/hook",
        "http://172.16.0.1/hook",
        "http://169.254.169.254/latest/meta-data/",
        "http://100.64.0.1/hook",
        "http://0.0.0.0/hook",
        "http://[::ffff:127.0.0.1]/hook",
    ],
)
def test_it_refuses_a_webhook_to_a_loopback_or_private_address(settings, url):
    settings.ALERT_WEBHOOK_ALLOW_PRIVATE = False

    with pytest.raises(ValidationError, match="not a public address"):
        check_url(url)


@pytest.mark.parametrize("url", ["ftp://example.org/hook", "file:///etc/passwd", "gopher://1.1.1.1/", "http:///x"])
def test_it_refuses_a_webhook_that_is_not_http_or_https(url):
    with pytest.raises(ValidationError, match="http:// or https://"):
        check_url(url)


def test_it_accepts_a_public_address_and_private_ones_only_when_allowed(settings):
    settings.ALERT_WEBHOOK_ALLOW_PRIVATE = False
    check_url("https://93.184.215.14/hooks/tracker")
    settings.ALERT_WEBHOOK_ALLOW_PRIVATE = True
    check_url("http://127.0.0.1:9000/hooks/tracker")


def test_a_webhook_turned_private_after_it_was_saved_is_not_sent_to(monitor, receiver, settings):
    webhook(monitor, receiver.url)
    enqueue([entry(finding())])
    settings.ALERT_WEBHOOK_ALLOW_PRIVATE = False

    attempted = deliver_next()

    assert receiver.received == [] and attempted.delivered_at is None
    assert "not a public address" in attempted.last_error
