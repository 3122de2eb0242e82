"""Tree heads: the tracker signs the tree's size and root with its key, daily (when none was signed in the
last 24 hours) and on demand (a tree that has not grown gets the latest head back); everyone with a role reads
them, with the signature and the tracker key's fingerprint."""

import datetime
import io

import pytest
from django.core.management import call_command

from tests import factories as f
from tracker.ledger import book, heads
from tracker.ledger.canonical import canonical, unb64
from tracker.ledger.signatures import verifies
from tracker.models import TreeHead
from tracker.roles import Role

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)
DAY = datetime.timedelta(hours=24)
MINUTE = datetime.timedelta(minutes=1)


@pytest.fixture
def rus():
    return f.party("RUS")


@pytest.fixture
def monitor(rus):
    return f.person("monitor-rus", Role.MONITOR, rus)


def grow(rus) -> None:
    f.notification(rus, NOW.date(), [(f.site(rus), "tanks", 1)], submitted_at=NOW)


def test_a_head_is_due_when_none_was_signed_in_the_last_24_hours():
    book.sign_tree_head(NOW)
    assert heads.daily(NOW + DAY) is None
    head = heads.daily(NOW + DAY + MINUTE)
    assert head is not None and head.signed_at == NOW + DAY + MINUTE
    assert heads.daily(NOW + DAY + 2 * MINUTE) is None


def test_the_daily_head_is_signed_even_when_the_tree_has_not_grown():
    first = heads.daily(NOW)
    second = heads.daily(NOW + DAY + MINUTE)
    assert (first.size, second.size, first.root) == (0, 0, second.root)


def test_sign_tree_head_signs_one_now():
    out = io.StringIO()
    call_command("sign_tree_head", stdout=out)
    head = TreeHead.objects.get()
    assert f"size {head.size}, root {head.root}" in out.getvalue()


def test_a_head_on_demand_is_signed_when_the_tree_grew_and_otherwise_the_latest_is_answered(rus, monitor):
    client = f.api(monitor)
    grow(rus)
    first = client.post("/api/ledger/heads/")
    assert first.status_code == 201
    assert first.json()["size"] == 1
    again = client.post("/api/ledger/heads/")
    assert (again.status_code, again.json()["id"]) == (200, first.json()["id"])
    grow(rus)
    grown = client.post("/api/ledger/heads/")
    assert (grown.status_code, grown.json()["size"]) == (201, 2)


def test_a_head_s_signature_verifies_with_the_tracker_s_key(rus, monitor):
    grow(rus)
    head = f.api(monitor).post("/api/ledger/heads/").json()
    key = f.api(monitor).get(f"/api/keys/{head['key']}/").json()
    signed = datetime.datetime.fromisoformat(head["signed_at"])
    body = canonical(book.head_body(head["size"], head["root"], signed))
    assert verifies(unb64(key["public_key"]), unb64(head["signature"]), body)
    assert (key["party"], key["user"], key["demo"]) == (None, None, True)


def test_heads_are_listed_newest_first_and_the_latest_is_served(monitor):
    book.sign_tree_head(NOW)
    newest = book.sign_tree_head(NOW + MINUTE)
    client = f.api(monitor)
    listed = client.get("/api/ledger/heads/").json()["results"]
    assert [datetime.datetime.fromisoformat(head["signed_at"]) for head in listed] == [NOW + MINUTE, NOW]
    assert client.get("/api/ledger/heads/latest/").json()["id"] == newest.pk


def test_no_head_yet_is_a_404(monitor):
    answer = f.api(monitor).get("/api/ledger/heads/latest/")
    assert answer.status_code == 404
    assert "no tree head yet" in answer.json()["detail"]


def test_heads_are_not_read_without_a_role():
    book.sign_tree_head(NOW)
    nobody = f.api(f.person("nobody"))
    assert nobody.get("/api/ledger/heads/").status_code == 403
    assert nobody.post("/api/ledger/heads/").status_code == 403


def test_heads_on_demand_are_throttled(monitor, settings):
    settings.TREE_HEAD_RATE = "2/hour"
    client = f.api(monitor)
    assert [client.post("/api/ledger/heads/").status_code for _ in range(3)] == [201, 200, 429]
    assert client.get("/api/ledger/heads/").status_code == 200
