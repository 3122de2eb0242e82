"""Every API answer names its data version; monitors that poll are answered 304 while their answer is unchanged."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories as f
from tests import signing
from tracker.models import ObjectOfVerification, Site
from tracker.roles import Role

D = datetime.date
VIOLATIONS = "/api/violations/?as_of=2026-06-01"


def scenario():
    ukr, rus = f.party("UKR"), f.party("RUS")
    f.ceiling(f.zone("Z1"), 10)
    depot = f.site(ukr, code="DEPOT")
    f.site(rus, code="KALININGRAD")
    f.notification(ukr, D(2026, 1, 1), [(depot, "tanks", 12)])
    return ukr, rus


def officer(party):
    return f.api(f.person(f"officer-{party.code}", Role.OFFICER, party))


def monitor():
    return f.api(f.person("monitor", Role.MONITOR))


def draft(client, party, reference, site, quantity):
    body = {
        "reference": reference,
        "party": party.code,
        "kind": "change",
        "effective_date": "2026-05-01",
        "lines": [{"site": site, "category": "tanks", "quantity": quantity}],
    }
    created = client.post("/api/notifications/", body, format="json")
    assert created.status_code == 201, created.json()
    return created


def version(response) -> int:
    return int(response["X-Data-Version"])


def test_a_read_names_its_data_version_and_a_submission_raises_it():
    ukr, _ = scenario()
    reader, writer = monitor(), officer(ukr)
    before = version(reader.get(VIOLATIONS))

    drafted = draft(writer, ukr, "UKR-2026-7", "DEPOT", 15)
    submitted = signing.submit(writer, "UKR-2026-7")

    assert before < version(drafted) < version(submitted)
    after = reader.get(VIOLATIONS)
    assert version(after) >= version(submitted)
    assert [b["excess"] for b in after.json()["results"]] == [5]


@pytest.mark.parametrize(
    "url",
    [
        VIOLATIONS,
        "/api/zones/Z1/status/?as_of=2026-06-01",
        "/api/holdings/summary/?as_of=2026-06-01&group_by=zone,category",
    ],
)
def test_an_unchanged_database_answers_a_poll_with_304_and_no_body_computing_nothing(url):
    scenario()
    client = monitor()
    first = client.get(url)
    assert first.status_code == 200
    assert re.fullmatch(r'"[0-9a-f]{32}"', first["ETag"])

    with CaptureQueriesContext(connection) as queries:
        again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == first["ETag"]
    assert again["X-Data-Version"] == first["X-Data-Version"]
    read = {table for query in queries.captured_queries for table in re.findall(r'FROM "?(\w+)', query["sql"])}
    assert read == {"accounts_apitoken", "auth_user_groups", "tracker_dataversion"}  # who asks, with their roles


def test_a_poll_naming_several_etags_is_answered_304_when_one_is_current():
    scenario()
    client = monitor()
    etag = client.get(VIOLATIONS)["ETag"]

    assert client.get(VIOLATIONS, HTTP_IF_NONE_MATCH=f'"0123", {etag}').status_code == 304
    assert client.get(VIOLATIONS, HTTP_IF_NONE_MATCH='"0123"').status_code == 200


def test_after_a_write_that_changes_the_answer_a_poll_gets_200_with_a_new_etag():
    ukr, _ = scenario()
    client = monitor()
    first = client.get(VIOLATIONS)

    f.notification(ukr, D(2026, 5, 1), [(ukr.sites.get(code="DEPOT"), "tanks", 15)])
    again = client.get(VIOLATIONS, HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.status_code == 200
    assert again["ETag"] != first["ETag"]
    assert version(again) > version(first)
    assert [b["excess"] for b in again.json()["results"]] == [5]


def test_each_media_type_of_an_answer_has_its_own_etag():
    scenario()
    client = monitor()
    as_json = client.get(VIOLATIONS)
    as_csv = client.get(VIOLATIONS + "&format=csv")

    assert as_json["ETag"] != as_csv["ETag"]
    assert client.get(VIOLATIONS + "&format=csv", HTTP_IF_NONE_MATCH=as_json["ETag"]).status_code == 200


def test_a_partys_etag_does_not_move_when_only_another_partys_draft_changes():
    """Drafts are their party's own (treaty.md): another party's drafting must not show in what one polls,
    so ETags are made of the bytes the caller reads. The data version, one counter for the tracker, does grow."""
    ukr, rus = scenario()
    ukr_officer, rus_officer = officer(ukr), officer(rus)
    own = ukr_officer.get("/api/notifications/")
    violations = ukr_officer.get(VIOLATIONS)

    drafted = draft(rus_officer, rus, "RUS-2026-1", "KALININGRAD", 40)

    for url, first in (("/api/notifications/", own), (VIOLATIONS, violations)):
        again = ukr_officer.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
        assert again.status_code == 304
        assert again["ETag"] == first["ETag"]
        assert version(again) >= version(drafted) > version(first)


def test_a_partys_own_draft_changes_its_own_list_etag():
    ukr, _ = scenario()
    client = officer(ukr)
    first = client.get("/api/notifications/")

    draft(client, ukr, "UKR-2026-8", "DEPOT", 1)

    assert client.get("/api/notifications/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


def test_a_failed_write_and_an_anonymous_read_name_no_version():
    ukr, _ = scenario()

    assert "X-Data-Version" not in f.api().get(VIOLATIONS)
    refused = officer(ukr).post("/api/notifications/", {"reference": "UKR-X"}, format="json")
    assert refused.status_code == 400
    assert "X-Data-Version" not in refused


def test_the_browsable_api_is_sent_in_full_without_an_etag(client):
    scenario()
    f.sign_in(client, f.person("reader", Role.MONITOR))

    page = client.get(VIOLATIONS, HTTP_ACCEPT="text/html", HTTP_IF_NONE_MATCH="*")

    assert page.status_code == 200
    assert "ETag" not in page
    assert "reader" in page.content.decode()


@pytest.mark.parametrize("url", [VIOLATIONS, "/api/zones/Z1/status/?as_of=2026-06-01"])
def test_after_another_partys_draft_a_poll_is_answered_304_computing_nothing(url):
    """No kept answer reads a draft (tracker/sql/scope_versions.sql): the version grows, the answer is reused.
    (The site's own object of verification exists already: making it is a write of the party's records.)"""
    ukr, rus = scenario()
    ObjectOfVerification.objects.of_site(Site.objects.get(code="KALININGRAD"))
    client = monitor()
    first = client.get(url)

    drafted = draft(officer(rus), rus, "RUS-2026-1", "KALININGRAD", 40)
    with CaptureQueriesContext(connection) as queries:
        again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.status_code == 304
    assert version(again) >= version(drafted) > version(first)
    read = {table for query in queries.captured_queries for table in re.findall(r'FROM "?(\w+)', query["sql"])}
    assert read == {"accounts_apitoken", "auth_user_groups", "tracker_dataversion"}  # who asks, with their roles
