"""API writes sent with an Idempotency-Key: a retry gets the first answer and writes nothing."""

import datetime
import http.client
import json
import socket
import time
from urllib.parse import urlsplit

import pytest
import yaml
from django.db import connection, transaction
from django.utils import timezone

from tests import factories as f
from tests import signing
from tests.test_concurrent_writes import OBSERVATION, pool, waiting_on_locks  # noqa: F401 (pool is a fixture)
from tracker.models import IdempotencyKey, Notification, Observation
from tracker.roles import Role

KEY = "3f0c1e9a-7b1d-4c55-9a43-1f2a6e0d8b71"


def officer(code="UKR"):
    return f.api(f.person(f"officer-{code}", Role.OFFICER, f.party(code)))


def draft(reference="UKR-1", quantity=12) -> dict:
    return {
        "reference": reference,
        "party": "UKR",
        "kind": "change",
        "effective_date": "2026-03-01",
        "lines": [{"site": "KHA", "category": "tanks", "quantity": quantity}],
    }


def post(client, path, body, key=KEY):
    return client.post(path, body, format="json", HTTP_IDEMPOTENCY_KEY=key)


def test_a_retry_with_the_same_key_and_body_gets_the_first_answer_and_writes_nothing():
    f.site(f.party("UKR"), code="KHA")
    client = officer()

    first = post(client, "/api/notifications/", draft())
    retry = post(client, "/api/notifications/", draft())

    assert first.status_code == retry.status_code == 201
    assert retry.content == first.content
    assert retry["Content-Type"] == first["Content-Type"]
    assert retry["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first
    assert Notification.objects.count() == 1


def test_a_retried_submission_gets_its_first_answer_not_a_refusal_to_submit_twice():
    f.site(f.party("UKR"), code="KHA")
    client = officer()
    assert client.post("/api/notifications/", draft(), format="json").status_code == 201

    body = signing.signed(client, "/api/notifications/UKR-1/canonical/")
    first = post(client, "/api/notifications/UKR-1/submit/", body)
    retry = post(client, "/api/notifications/UKR-1/submit/", body)

    assert first.status_code == retry.status_code == 200
    assert retry.json() == first.json()
    assert retry.json()["status"] == "submitted"


def test_the_same_key_with_another_body_is_refused_with_422_and_writes_nothing():
    f.site(f.party("UKR"), code="KHA")
    client = officer()
    assert post(client, "/api/notifications/", draft(quantity=12)).status_code == 201

    other = post(client, "/api/notifications/", draft("UKR-2", quantity=13))

    assert other.status_code == 422
    assert other.json() == {
        "detail": "this Idempotency-Key was sent with another method, path or body; a new request needs a new key"
    }
    assert list(Notification.objects.values_list("reference", flat=True)) == ["UKR-1"]


def test_the_same_key_on_another_path_is_refused_with_422():
    f.site(f.party("UKR"), code="KHA")
    client = officer()
    for reference in ("UKR-1", "UKR-2"):
        assert client.post("/api/notifications/", draft(reference), format="json").status_code == 201
    body = signing.signed(client, "/api/notifications/UKR-1/canonical/")
    assert post(client, "/api/notifications/UKR-1/submit/", body).status_code == 200

    assert post(client, "/api/notifications/UKR-2/submit/", body).status_code == 422
    assert Notification.objects.get(reference="UKR-2").status == "draft"


def test_another_users_same_key_is_a_key_of_their_own():
    f.site(f.party("UKR"), code="KHA")
    ukr, colleague = officer(), f.api(f.person("colleague", Role.OFFICER, f.party("UKR")))

    assert post(ukr, "/api/notifications/", draft("UKR-1")).status_code == 201
    theirs = post(colleague, "/api/notifications/", draft("UKR-2"))

    assert theirs.status_code == 201
    assert theirs.json()["reference"] == "UKR-2"
    assert post(colleague, "/api/notifications/", draft("UKR-2")).content == theirs.content
    assert Notification.objects.count() == 2


def test_another_users_same_key_and_body_never_gets_the_first_users_answer():
    f.site(f.party("UKR"), code="KHA")
    ukr, rus = officer("UKR"), officer("RUS")
    assert post(ukr, "/api/notifications/", draft()).status_code == 201

    answer = post(rus, "/api/notifications/", draft())

    assert answer.status_code == 403
    assert "UKR-1" not in answer.content.decode()


def test_a_refused_write_is_not_remembered_so_its_retry_runs_again():
    ukr = f.party("UKR")
    client = officer()

    refused = post(client, "/api/notifications/", draft())
    assert refused.status_code == 400, refused.json()
    assert not IdempotencyKey.objects.exists()

    f.site(ukr, code="KHA")
    assert post(client, "/api/notifications/", draft()).status_code == 201
    assert post(client, "/api/notifications/", draft())["Idempotent-Replayed"] == "true"


def test_a_key_is_forgotten_after_its_hours(settings):
    f.site(f.party("UKR"), code="KHA")
    client = officer()
    assert post(client, "/api/notifications/", draft()).status_code == 201
    hours = datetime.timedelta(hours=settings.IDEMPOTENCY_KEY_HOURS)
    IdempotencyKey.objects.update(created_at=timezone.now() - hours + datetime.timedelta(minutes=1))
    assert post(client, "/api/notifications/", draft())["Idempotent-Replayed"] == "true"
    IdempotencyKey.objects.update(created_at=timezone.now() - hours - datetime.timedelta(minutes=1))

    again = post(client, "/api/notifications/", draft())

    assert again.status_code == 400  # run afresh: the reference is taken by the first write
    assert again.json()["reference"] == ["UKR-1 is already a notification's reference"]


def test_expired_keys_are_purged_by_later_writes(settings):
    f.site(f.party("UKR"), code="KHA")
    client = officer()
    for number in range(3):
        assert post(client, "/api/notifications/", draft(f"UKR-{number}"), key=f"old-{number}").status_code == 201
    expired = timezone.now() - datetime.timedelta(hours=settings.IDEMPOTENCY_KEY_HOURS, minutes=1)
    IdempotencyKey.objects.update(created_at=expired)

    assert post(client, "/api/notifications/", draft("UKR-3"), key="new").status_code == 201

    assert list(IdempotencyKey.objects.values_list("key", flat=True)) == ["new"]


@pytest.mark.parametrize("key", ["", "x" * 256, "naïve", '""'])
def test_a_key_that_is_not_1_to_255_printable_ascii_characters_is_a_400_naming_the_header(key):
    f.site(f.party("UKR"), code="KHA")

    answer = post(officer(), "/api/notifications/", draft(), key=key)

    assert answer.status_code == 400
    assert answer.json() == {"Idempotency-Key": ["a key is 1 to 255 printable ASCII characters"]}
    assert not Notification.objects.exists()


def test_a_key_sent_as_a_structured_fields_string_is_the_same_key_bare():
    f.site(f.party("UKR"), code="KHA")
    client = officer()
    assert post(client, "/api/notifications/", draft(), key=f'"{KEY}"').status_code == 201

    assert post(client, "/api/notifications/", draft(), key=KEY)["Idempotent-Replayed"] == "true"


def test_the_schema_offers_the_key_and_its_refusals_on_every_write_and_only_there():
    paths = yaml.safe_load(f.api().get("/api/schema/").content)["paths"]
    writes = set()
    for path, operations in paths.items():
        # Signing in and out writes credentials, not records: a repeat is harmless, and a login has no
        # account yet to keep a key under.
        if path.startswith("/api/auth/"):
            continue
        for method, operation in operations.items():
            headers = [p["name"] for p in operation.get("parameters", []) if p["in"] == "header"]
            if method in ("post", "put", "patch", "delete"):
                writes.add(operation["operationId"])
                assert headers == ["Idempotency-Key"], operation["operationId"]
                assert {"409", "422"} <= set(operation["responses"]), operation["operationId"]
            else:
                assert "Idempotency-Key" not in headers, operation["operationId"]
    assert writes >= {
        "notifications_create",
        "notifications_submit_create",
        "notifications_correct_create",
        "inspections_create",
        "observations_create",
    }


@pytest.mark.django_db(transaction=True)
def test_a_repeat_while_the_first_is_still_running_gets_409_at_once_and_a_later_one_the_answer(pool):  # noqa: F811
    client = f.api(f.person("analyst", Role.ANALYST))
    with transaction.atomic():
        with connection.cursor() as cursor:  # the first request's INSERT waits on this lock
            cursor.execute("LOCK TABLE tracker_observation IN SHARE ROW EXCLUSIVE MODE")
        first = pool(post, client, "/api/observations/", OBSERVATION)
        waiting_on_locks(1)
        repeat = pool(post, client, "/api/observations/", OBSERVATION).result(10)
        assert repeat.status_code == 409, repeat.content
        assert repeat.json() == {
            "detail": "a request with this Idempotency-Key is still being answered; retry once it has been"
        }
    first = first.result(15)
    later = post(client, "/api/observations/", OBSERVATION)

    assert first.status_code == later.status_code == 201
    assert later.content == first.content
    assert Observation.objects.count() == 1


def hang_up_after_sending(url: str, path: str, body: bytes, headers: dict) -> None:
    """Send a request and close the connection without reading a byte of the answer."""
    address = urlsplit(url)
    lines = [f"POST {path} HTTP/1.1", f"Host: {address.netloc}", f"Content-Length: {len(body)}"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    with socket.create_connection((address.hostname, address.port)) as client:
        client.sendall("\r\n".join([*lines, "", ""]).encode() + body)


def post_until_answered(url: str, path: str, body: bytes, headers: dict) -> http.client.HTTPResponse:
    """The retry loop of docs/api.md: the same request, same key, until an answer that is not 409 or 503."""
    address = urlsplit(url)
    for _ in range(50):
        connection = http.client.HTTPConnection(address.hostname, address.port, timeout=10)
        try:
            connection.request("POST", path, body, headers)
            answer = connection.getresponse()
            answer.body = answer.read()
            if answer.status not in (409, 503):
                return answer
        except (OSError, http.client.HTTPException):
            pass
        finally:
            connection.close()
        time.sleep(0.1)
    raise AssertionError("no answer in 50 tries")


@pytest.mark.django_db(transaction=True)
def test_a_write_whose_answer_was_lost_is_stored_once_and_its_retry_gets_the_first_answer(live_server):
    f.site(f.party("UKR"), code="KHA")
    user = f.person("officer", Role.OFFICER, f.party("UKR"))
    secret = f.token(user)
    client = f.api()
    client.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    headers = {
        "Authorization": f"Token {secret}",
        "Content-Type": "application/json",
        "Idempotency-Key": KEY,
    }
    body = json.dumps(draft()).encode()

    hang_up_after_sending(live_server.url, "/api/notifications/", body, headers)
    deadline = time.monotonic() + 10
    while not Notification.objects.exists():  # committed, though nobody heard the answer
        assert time.monotonic() < deadline, "the write whose answer was lost was never stored"
        time.sleep(0.05)
    retry = post_until_answered(live_server.url, "/api/notifications/", body, headers)

    assert retry.status == 201
    assert retry.getheader("Idempotent-Replayed") == "true"
    assert json.loads(retry.body) == client.get("/api/notifications/UKR-1/").json()
    assert Notification.objects.count() == 1
