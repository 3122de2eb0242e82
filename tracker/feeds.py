"""A subscription's alerts as an Atom feed (RFC 4287), read by any feed reader with the subscription's token:
in the URL (``/feeds/alerts/<token>/``), or as ``Authorization: Bearer <token>`` on ``/feeds/alerts/``.

An unknown token is simply not found, with the same answer whether it ever existed. Each answer carries an
ETag and Last-Modified, so a reader polling every minute gets a bodiless 304 until something new is there.
"""

import hashlib

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import Count, Max
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.cache import get_conditional_response
from django.utils.feedgenerator import Atom1Feed
from django.utils.http import http_date
from django.views.decorators.http import require_safe

from tracker.alerts import FILTERS, entries_for, entry_link, entry_tag, subscription_for_token
from tracker.models.alerts import AlertEntry, Subscription


class AlertFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request, subscription: Subscription) -> Subscription:
        return subscription

    def title(self, subscription: Subscription) -> str:
        return f"Treaty-compliance alerts: {subscription.name}"

    def subtitle(self, subscription: Subscription) -> str:
        chosen = [f"{name} {getattr(subscription, name)}" for name in FILTERS if getattr(subscription, name)]
        return "New and resolved findings and concerns' steps" + (f" ({', '.join(chosen)})" if chosen else "")

    def link(self, subscription: Subscription) -> str:
        return reverse("admin:tracker_subscription_change", args=[subscription.pk])

    def feed_guid(self, subscription: Subscription) -> str:
        return f"tag:{settings.ALERT_TAG_AUTHORITY},2026:subscription/{subscription.pk}"

    def items(self, subscription: Subscription):
        return entries_for(subscription).select_related("finding", "concern")[: settings.ALERT_FEED_ENTRIES]

    def item_title(self, entry: AlertEntry) -> str:
        return entry.title

    def item_description(self, entry: AlertEntry) -> str:
        facts = [f"{name}: {getattr(entry, name)}" for name in FILTERS if getattr(entry, name)]
        facts += [f"{key}: {value}" for key, value in sorted(entry.summary.items())]
        return "; ".join(facts)

    def item_link(self, entry: AlertEntry) -> str:
        return entry_link(entry)

    def item_guid(self, entry: AlertEntry) -> str:
        return entry_tag(entry)

    item_guid_is_permalink = False

    def item_pubdate(self, entry: AlertEntry):
        return entry.created_at

    def item_updateddate(self, entry: AlertEntry):
        return entry.created_at

    def item_categories(self, entry: AlertEntry) -> list[str]:
        return [value for value in (entry.event, entry.kind, entry.grade) if value]


feed = AlertFeed()


def _served(request: HttpRequest, subscription: Subscription | None) -> HttpResponse:
    if subscription is None:
        raise Http404("no such feed")
    state = entries_for(subscription).aggregate(latest=Max("created_at"), count=Count("id"))
    last_modified = int((state["latest"] or subscription.created_at).timestamp())
    fingerprint = f"{subscription.token_sha256}:{state['latest']}:{state['count']}:{settings.ALERT_FEED_ENTRIES}"
    etag = f'"{hashlib.sha256(fingerprint.encode()).hexdigest()[:32]}"'
    response = get_conditional_response(request, etag=etag, last_modified=last_modified) or feed(
        request, subscription=subscription
    )
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified)
    # The URL itself is a credential: no shared cache may keep the answer, each reader revalidates it.
    response["Cache-Control"] = "private, no-cache"
    response["Vary"] = "Authorization"
    return response


@require_safe
def feed_by_token(request: HttpRequest, token: str) -> HttpResponse:
    return _served(request, subscription_for_token(token))


@require_safe
def feed_by_header(request: HttpRequest) -> HttpResponse:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    return _served(request, subscription_for_token(token.strip()) if scheme.lower() == "bearer" else None)
