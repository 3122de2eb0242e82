"""Each user keeps their own alert subscriptions and webhooks, in the API and the admin: the feed token and the
webhook secret are shown once, the token is stored only as its SHA-256, another user's is simply not found."""

import hashlib

import pytest
from django.test import Client
from django.utils import timezone

from tests import factories
from tests.alert_records import entry, finding, subscription
from tracker.models import Delivery, Subscription, Webhook
from tracker.models.parties import Role


@pytest.fixture
def monitor():
    return factories.person("monitor-pol", Role.MONITOR, factories.party("POL"))


@pytest.fixture
def analyst():
    return factories.person("analyst-ukr", Role.ANALYST, factories.party("UKR"))


def stored_text(subscription: Subscription) -> str:
    return " ".join(str(value) for value in Subscription.objects.filter(pk=subscription.pk).values().get().values())


def test_creating_a_subscription_shows_its_token_once_and_stores_only_its_digest(monitor):
    factories.zone("FLANK")
    client = factories.api(monitor)

    created = client.post("/api/subscriptions/", {"name": "Flank", "zone": "FLANK", "grade": "breach"}, format="json")
    listed = client.get("/api/subscriptions/").json()
    token = created.json()["token"]
    stored = Subscription.objects.get()

    assert created.status_code == 201
    assert created.json()["feed_url"] == f"http://testserver/feeds/alerts/{token}/"
    assert stored.token_sha256 == hashlib.sha256(token.encode()).hexdigest()
    assert token not in stored_text(stored)
    assert "token" not in str(listed) and token not in str(listed)
    assert Client().get(f"/feeds/alerts/{token}/").status_code == 200


def test_a_new_token_replaces_the_old_one(monitor):
    subscription_, old = subscription(monitor)

    answer = factories.api(monitor).post(f"/api/subscriptions/{subscription_.pk}/token/")

    assert answer.status_code == 200
    assert Client().get(f"/feeds/alerts/{old}/").status_code == 404
    assert Client().get(f"/feeds/alerts/{answer.json()['token']}/").status_code == 200


def test_another_users_subscription_is_not_listed_nor_found(monitor, analyst):
    theirs, _ = subscription(analyst, "the analyst's")
    mine, _ = subscription(monitor, "mine")
    client = factories.api(monitor)

    assert [row["name"] for row in client.get("/api/subscriptions/").json()["results"]] == ["mine"]
    assert client.get(f"/api/subscriptions/{theirs.pk}/").status_code == 404
    assert client.delete(f"/api/subscriptions/{theirs.pk}/").status_code == 404
    assert client.post(f"/api/subscriptions/{theirs.pk}/token/").status_code == 404
    assert client.delete(f"/api/subscriptions/{mine.pk}/").status_code == 204
    assert Subscription.objects.filter(pk=theirs.pk).exists()


@pytest.mark.parametrize(
    "field, value", [("zone", "NOWHERE"), ("party", "XXX"), ("kind", "bad_weather"), ("grade", "serious")]
)
def test_it_refuses_a_filter_naming_nothing_one_may_follow(monitor, field, value):
    answer = factories.api(monitor).post("/api/subscriptions/", {"name": "x", field: value}, format="json")

    assert answer.status_code == 400
    assert field in answer.json()
    assert not Subscription.objects.exists()


def test_a_webhook_shows_its_secret_once_and_only_on_ones_own_subscription(monitor, analyst, settings):
    settings.ALERT_WEBHOOK_ALLOW_PRIVATE = True
    mine, _ = subscription(monitor)
    theirs, _ = subscription(analyst)
    client = factories.api(monitor)

    created = client.post(
        "/api/webhooks/", {"subscription": mine.pk, "url": "http://127.0.0.1:9000/hook"}, format="json"
    )
    on_theirs = client.post(
        "/api/webhooks/", {"subscription": theirs.pk, "url": "http://127.0.0.1:9000/hook"}, format="json"
    )

    assert created.status_code == 201 and created.json()["secret"] == Webhook.objects.get().secret
    assert "secret" not in client.get(f"/api/webhooks/{created.json()['id']}/").json()
    assert on_theirs.status_code == 400 and "subscription" in on_theirs.json()


def test_the_api_refuses_a_webhook_to_a_private_address(monitor):
    mine, _ = subscription(monitor)

    answer = factories.api(monitor).post(
        "/api/webhooks/", {"subscription": mine.pk, "url": "http://10.0.0.5/hook"}, format="json"
    )

    assert answer.status_code == 400 and "not a public address" in answer.json()["url"][0]
    assert not Webhook.objects.exists()


def test_the_openapi_schema_documents_subscriptions_and_webhooks(monitor):
    schema = factories.api(monitor).get("/api/schema/", {"format": "json"}).json()

    assert {"/api/subscriptions/", "/api/subscriptions/{id}/token/", "/api/webhooks/"} <= set(schema["paths"])


def admin_client(user) -> Client:
    client = Client()
    factories.sign_in(client, user)
    return client


def test_my_alerts_in_the_admin_lists_only_ones_own_and_shows_the_token_once(monitor, analyst):
    subscription(analyst, "the analyst's")
    client = admin_client(monitor)

    added = client.post(
        "/admin/tracker/subscription/add/",
        {"name": "Everything", "zone": "", "party": "", "kind": "", "grade": "", **factories.inline("webhooks")},
        follow=True,
    )
    listing = client.get("/admin/tracker/subscription/").content.decode()
    mine = Subscription.objects.get(user=monitor)
    [message] = [str(message) for message in added.context["messages"] if "/feeds/alerts/" in str(message)]
    token = message.rsplit("/feeds/alerts/", 1)[1].strip("/")

    assert "Everything" in listing and "the analyst" not in listing
    assert mine.token_sha256 == hashlib.sha256(token.encode()).hexdigest()
    assert token not in client.get(f"/admin/tracker/subscription/{mine.pk}/change/").content.decode()


def test_another_users_subscription_is_not_found_in_the_admin(monitor, analyst):
    theirs, _ = subscription(analyst)
    client = admin_client(monitor)

    assert client.get(f"/admin/tracker/subscription/{theirs.pk}/change/").status_code == 404
    assert client.post(f"/admin/tracker/subscription/{theirs.pk}/delete/", {"post": "yes"}).status_code == 404
    assert Subscription.objects.filter(pk=theirs.pk).exists()


def test_the_delivery_log_shows_ones_own_deliveries_and_retries_them_now(monitor, analyst, settings):
    settings.ALERT_WEBHOOK_ALLOW_PRIVATE = True
    found = entry(finding())
    mine = Webhook.objects.create(subscription=subscription(monitor)[0], url="http://127.0.0.1:1/mine", secret="s")
    theirs = Webhook.objects.create(subscription=subscription(analyst)[0], url="http://127.0.0.1:1/theirs", secret="s")
    later = timezone.now() + timezone.timedelta(hours=1)
    own = Delivery.objects.create(webhook=mine, entry=found, attempts=2, next_attempt_at=later, last_status=500)
    Delivery.objects.create(webhook=theirs, entry=found, next_attempt_at=later)
    client = admin_client(monitor)

    log = client.get("/admin/tracker/delivery/").content.decode()
    everything = admin_client(factories.person("root", "superuser")).get("/admin/tracker/delivery/").content.decode()
    client.post("/admin/tracker/delivery/", {"action": "retry", "_selected_action": [own.pk]})

    assert "/mine" in log and "/theirs" not in log
    assert "/mine" in everything and "/theirs" in everything
    own.refresh_from_db()
    assert own.next_attempt_at <= timezone.now() and own.attempts == 2
