"""Idempotency-Key on every API write (IETF HTTPAPI draft "The Idempotency-Key HTTP Header Field").

An answer lost after its write committed (a dropped connection, a database crash between the
commit and its acknowledgement) cannot be prevented; a retry with the same key makes it harmless:

- The first request with a key stores its answer (status, Content-Type, Location, body) with the
  key, for its user, in the request's own transaction (ATOMIC_REQUESTS): the answer is remembered
  exactly when the write was committed. A request that rolled back (a 4xx raised by the view, any
  5xx) stored nothing and is forgotten, so its retry runs again.
- A repeat with the same key, method, path and body gets the stored answer, with
  ``Idempotent-Replayed: true``, and writes nothing; with another method, path or body, a 422.
- A repeat while the first still runs gets a 409 at once: each request takes a transaction-level
  advisory lock on (user, key) before looking the key up, so it neither waits for the first nor
  writes beside it.
- Keys are forgotten settings.IDEMPOTENCY_KEY_HOURS after their write; each stored answer purges
  a few expired ones, so the table needs no cron job.
"""

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse
from django.template.response import SimpleTemplateResponse
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.permissions import SAFE_METHODS

from tracker.models import IdempotencyKey

HEADER = "Idempotency-Key"
LONGEST_KEY = 255

# Expired keys go a few at a time; rows another request is deleting are left to it.
PURGE = """
DELETE FROM tracker_idempotencykey WHERE id IN (
    SELECT id FROM tracker_idempotencykey WHERE created_at < %s LIMIT 100 FOR UPDATE SKIP LOCKED
)
"""


class InProgress(APIException):
    status_code = 409
    default_detail = gettext_lazy("a request with this Idempotency-Key is still being answered; retry once it has been")


class KeyReused(APIException):
    status_code = 422
    default_detail = gettext_lazy(
        "this Idempotency-Key was sent with another method, path or body; a new request needs a new key"
    )


class Replay(Exception):
    """The request was answered before: its stored answer is the answer."""

    def __init__(self, answer: IdempotencyKey):
        super().__init__(answer.key)
        self.answer = answer


@dataclass(frozen=True)
class Claim:
    """A key seen for the first time, held (by the advisory lock) until the request's transaction ends."""

    user: User
    key: str
    fingerprint: str


def key_of(header: str) -> str:
    """The key of the header's value: a Structured Fields string ("…") as the draft has it, or bare."""
    key = header.strip()
    if len(key) >= 2 and key[0] == key[-1] == '"':
        key = key[1:-1].replace('\\"', '"').replace("\\\\", "\\")
    if not key or len(key) > LONGEST_KEY or not all(" " <= character <= "~" for character in key):
        raise ValidationError(
            {HEADER: [_("a key is 1 to %(longest)d printable ASCII characters") % {"longest": LONGEST_KEY}]}
        )
    return key


def fingerprint(request: HttpRequest) -> str:
    """SHA-256 of the method, the path with its query and the raw body."""
    digest = hashlib.sha256(f"{request.method} {request.get_full_path()}\n".encode())
    digest.update(request.body)
    return digest.hexdigest()


def expired_before() -> datetime:
    return timezone.now() - timedelta(hours=settings.IDEMPOTENCY_KEY_HOURS)


def hold(user: User, key: str) -> bool:
    """Lock (user, key) until this transaction ends; False when another request holds it."""
    digest = hashlib.sha256(f"{user.pk}\n{key}".encode()).digest()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [int.from_bytes(digest[:8], "big", signed=True)])
        return cursor.fetchone()[0]


def claim(user: User, key: str, fingerprint: str) -> Claim:
    """Take ``key`` for this request, or raise: InProgress, KeyReused, or Replay with the stored answer."""
    if not hold(user, key):
        raise InProgress()
    answer = IdempotencyKey.objects.filter(user=user, key=key).first()
    if answer is not None and answer.created_at < expired_before():
        answer.delete()
        answer = None
    if answer is None:
        return Claim(user, key, fingerprint)
    if answer.fingerprint != fingerprint:
        raise KeyReused()
    raise Replay(answer)


def remember(claim: Claim, response: HttpResponse) -> None:
    """Store the answer with its key, unless the request's transaction is to roll back."""
    if response.status_code >= 500 or transaction.get_rollback():
        return
    if isinstance(response, SimpleTemplateResponse):
        response.render()
    IdempotencyKey.objects.create(
        user=claim.user,
        key=claim.key,
        fingerprint=claim.fingerprint,
        status=response.status_code,
        content_type=response.get("Content-Type", ""),
        location=response.get("Location", ""),
        body=response.content,
    )
    with connection.cursor() as cursor:
        cursor.execute(PURGE, [expired_before()])


def replayed(answer: IdempotencyKey) -> HttpResponse:
    response = HttpResponse(bytes(answer.body), status=answer.status, content_type=answer.content_type)
    if answer.location:
        response["Location"] = answer.location
    response["Idempotent-Replayed"] = "true"
    return response


class IdempotentWrites:
    """For API views: their unsafe requests take an Idempotency-Key (see the module's docstring).

    Requests of no account (none reach a write here) and requests without the header run as before.
    """

    idempotency_fingerprint: str | None = None
    idempotency_claim: Claim | None = None

    def initialize_request(self, request, *args, **kwargs):
        if request.method not in SAFE_METHODS and HEADER in request.headers:
            # Before anything parses the body: a multipart parser would leave nothing to read.
            self.idempotency_fingerprint = fingerprint(request)
        return super().initialize_request(request, *args, **kwargs)

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if self.idempotency_fingerprint is not None and request.user.is_authenticated:
            key = key_of(request.headers[HEADER])
            self.idempotency_claim = claim(request.user, key, self.idempotency_fingerprint)

    def handle_exception(self, exc):
        if isinstance(exc, Replay):
            return replayed(exc.answer)
        return super().handle_exception(exc)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if self.idempotency_claim is not None:
            remember(self.idempotency_claim, response)
        return response


class IdempotencyRefusalSerializer(serializers.Serializer):
    """The 409 (the key's first request is still running) or 422 (the key was sent with another request)."""

    detail = serializers.CharField(read_only=True)


def parameter_description() -> str:
    hours = settings.IDEMPOTENCY_KEY_HOURS
    return ngettext(
        "Any unique string of 1 to 255 printable ASCII characters (a UUID, say), new for each intended "
        "write and sent again with every retry of it. The first request's answer is kept "
        "%(hours)d hour: a retry with the same key and body gets that answer "
        "(with `Idempotent-Replayed: true`) and writes nothing; 409 while the first is still running; "
        "422 for the same key with another body.",
        "Any unique string of 1 to 255 printable ASCII characters (a UUID, say), new for each intended "
        "write and sent again with every retry of it. The first request's answer is kept "
        "%(hours)d hours: a retry with the same key and body gets that answer "
        "(with `Idempotent-Replayed: true`) and writes nothing; 409 while the first is still running; "
        "422 for the same key with another body.",
        hours,
    ) % {"hours": hours}


PARAMETER = OpenApiParameter(HEADER, str, OpenApiParameter.HEADER, description=lazy(parameter_description, str)())
