"""The Atom feed of a subscription: read by a feed parser over real HTTP, found only with its token, narrowed to
the subscription's filters and to what its user may read, and cheap to poll (ETag, Last-Modified)."""

import datetime
import urllib.error
import urllib.request

import feedparser
import pytest
from django.test import Client

from tests import factories
from tests.alert_records import concern_entry, entry, finding, subscription
from tracker.alerts import issue_token
from tracker.models.parties import Role


def fetch(url: str, **headers) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as answer:
        return answer.code, dict(answer.headers), answer.read()


@pytest.fixture
def monitor():
    return factories.person("monitor-pol", Role.MONITOR, factories.party("POL"))


def test_a_feed_reader_finds_the_new_finding_in_the_feed_served_over_http(transactional_db, live_server, monitor):
    found = finding("ceiling_exceeded", "breach", party="RUS", zone="FLANK")
    new = entry(found, title="New finding: ceiling exceeded by RUS in FLANK")
    _, token = subscription(monitor, "Flank breaches", zone="FLANK", grade="breach")

    status, headers, body = fetch(f"{live_server.url}/feeds/alerts/{token}/")
    parsed = feedparser.parse(body)

    assert status == 200
    assert headers["Content-Type"].startswith("application/atom+xml")
    assert parsed.version == "atom10" and not parsed.bozo
    assert parsed.feed.title == "Treaty-compliance alerts: Flank breaches"
    [item] = parsed.entries
    assert item.title == "New finding: ceiling exceeded by RUS in FLANK"
    assert item.id == f"tag:treaty-tracker.localhost,2026:alert-entry/{new.pk}"
    assert item.link.endswith(f"/admin/tracker/finding/{found.pk}/change/")
    assert "zone: FLANK" in item.summary and "grade: breach" in item.summary
    assert item.updated_parsed[:6] == new.created_at.utctimetuple()[:6]


def test_the_feed_is_read_with_the_token_as_a_bearer_header(transactional_db, live_server, monitor):
    entry(finding())
    _, token = subscription(monitor)

    status, _, body = fetch(f"{live_server.url}/feeds/alerts/", Authorization=f"Bearer {token}")

    assert status == 200
    assert len(feedparser.parse(body).entries) == 1


@pytest.mark.parametrize(
    "address, headers",
    [
        ("/feeds/alerts/not-a-token/", {}),
        ("/feeds/alerts/", {}),
        ("/feeds/alerts/", {"HTTP_AUTHORIZATION": "Bearer not-a-token"}),
        ("/feeds/alerts/", {"HTTP_AUTHORIZATION": "Token TOKEN"}),
    ],
)
def test_it_answers_404_to_a_wrong_token_without_saying_whether_it_existed(monitor, address, headers):
    subscription_, token = subscription(monitor)
    headers = {name: value.replace("TOKEN", token) for name, value in headers.items()}

    answer = Client().get(address, **headers)
    with_the_digest = Client().get(f"/feeds/alerts/{subscription_.token_sha256}/")

    assert answer.status_code == with_the_digest.status_code == 404
    assert answer.content == with_the_digest.content


def test_a_new_token_stops_the_old_one(monitor):
    subscription_, old = subscription(monitor)

    new = issue_token(subscription_)

    assert Client().get(f"/feeds/alerts/{old}/").status_code == 404
    assert Client().get(f"/feeds/alerts/{new}/").status_code == 200


def test_a_reader_polling_gets_304_until_a_new_entry_comes(monitor):
    entry(finding())
    _, token = subscription(monitor)
    address = f"/feeds/alerts/{token}/"
    first = Client().get(address)

    unchanged = Client().get(address, HTTP_IF_NONE_MATCH=first["ETag"])
    since = Client().get(address, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    entry(finding())
    changed = Client().get(address, HTTP_IF_NONE_MATCH=first["ETag"])

    assert first.status_code == 200 and first["Cache-Control"] == "private, no-cache"
    assert unchanged.status_code == since.status_code == 304 and unchanged.content == b""
    assert changed.status_code == 200 and changed["ETag"] != first["ETag"]


def titles(token: str) -> set[str]:
    return {item.title for item in feedparser.parse(Client().get(f"/feeds/alerts/{token}/").content).entries}


@pytest.mark.parametrize(
    "filters, heard",
    [
        ({}, {"ukr-iv1-ceiling", "rus-flank-ceiling", "rus-iv1-discrepancy"}),
        ({"zone": "IV.1"}, {"ukr-iv1-ceiling", "rus-iv1-discrepancy"}),
        ({"party": "RUS"}, {"rus-flank-ceiling", "rus-iv1-discrepancy"}),
        ({"kind": "inspection_discrepancy"}, {"rus-iv1-discrepancy"}),
        ({"grade": "breach"}, {"ukr-iv1-ceiling", "rus-flank-ceiling"}),
        ({"zone": "IV.1", "party": "RUS", "grade": "indicator"}, {"rus-iv1-discrepancy"}),
        ({"zone": "FLANK", "grade": "indicator"}, set()),
    ],
)
def test_a_subscription_hears_only_of_entries_matching_each_of_its_filters(monitor, filters, heard):
    entry(finding("ceiling_exceeded", "breach", "UKR", "IV.1"), title="ukr-iv1-ceiling")
    entry(finding("ceiling_exceeded", "breach", "RUS", "FLANK"), title="rus-flank-ceiling")
    entry(finding("inspection_discrepancy", "indicator", "RUS", "IV.1"), title="rus-iv1-discrepancy")
    _, token = subscription(monitor, **filters)

    assert titles(token) == heard


def test_an_entry_about_a_request_between_two_other_parties_is_not_in_a_third_partys_feed(monitor):
    ukr, rus = factories.party("UKR"), factories.party("RUS")
    request = factories.inspection_request(rus, ukr, datetime.datetime(2026, 3, 1, 8, tzinfo=datetime.UTC))
    entry(finding("short_inspection_notice", "breach", "RUS", request=request.reference), title="about the request")
    entry(finding("ceiling_exceeded", "breach", "RUS"), title="about a ceiling")
    inspector_ukr = factories.person("inspector-ukr", Role.INSPECTOR, ukr)
    _, third = subscription(monitor)
    _, inspected = subscription(inspector_ukr)

    assert titles(third) == {"about a ceiling"}
    assert titles(inspected) == {"about the request", "about a ceiling"}


def test_an_entry_about_a_draft_inspection_report_is_only_in_the_inspecting_partys_feed(monitor):
    rus, ukr = factories.party("RUS"), factories.party("UKR")
    report = factories.inspection(
        rus, ukr, datetime.date(2026, 3, 1), {"tanks": 3}, site=factories.notified_site(ukr), status="draft"
    )
    entry(finding("inspection_discrepancy", "indicator", "UKR", inspection=report.reference), title="report")
    _, third = subscription(monitor)
    _, inspecting = subscription(factories.person("inspector-rus", Role.INSPECTOR, rus))
    _, everything = subscription(factories.person("root", "superuser"))

    assert titles(third) == set()
    assert titles(inspecting) == titles(everything) == {"report"}


def test_a_concern_is_heard_of_by_its_two_parties_and_by_all_once_referred(monitor):
    ukr, rus, pol = factories.party("UKR"), factories.party("RUS"), factories.party("POL")
    concern_entry(ukr, rus)
    referred = concern_entry(ukr, rus, state="referred")
    officer_rus = factories.person("officer-rus", Role.OFFICER, rus)
    _, third = subscription(monitor)
    _, answering = subscription(officer_rus)

    assert titles(third) == {referred.title}
    assert len(titles(answering)) == 2
    assert pol == monitor.accreditation.party
