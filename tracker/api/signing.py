"""What a person signs through the API, and how the signature comes with the step (docs/ledger.md, "Signing a
submission"): ``GET …/canonical/`` answers the record's canonical bytes as they would be recorded; the step's
body carries ``signature`` (standard base64 of the Ed25519 signature over those bytes) and, optionally, ``key``
(the signing key's fingerprint). ``tracker.ledger.book.signing_key`` checks them."""

import base64
import hashlib

from django.http import HttpResponse
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, OpenApiTypes
from rest_framework import serializers

from tracker.ledger.book import Signed

DIGEST_HEADER = "Repr-Digest"
SIGNATURE_FIELDS = {"signature", "key"}


class SignedSerializer(serializers.Serializer):
    """A step signed by whoever takes it."""

    signature = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        write_only=True,
        max_length=200,
        trim_whitespace=True,
        help_text=gettext_lazy(
            "Your Ed25519 signature, in standard base64, over the record's canonical form (its …/canonical/)"
        ),
    )
    key = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        write_only=True,
        max_length=64,
        help_text=gettext_lazy("The fingerprint (SHA-256 of the public key, hex) of the key that signed; optional"),
    )


def signed(data: dict) -> Signed:
    """The ``Signed`` of a validated body (``SignedSerializer``'s fields): always one, empty when unsigned, so the
    ledger refuses an unsigned step naming ``signature``."""
    return Signed(data.get("signature", ""), data.get("key", ""))


def canonical_response(data: bytes) -> HttpResponse:
    """The canonical bytes as they are, with their SHA-256 in ``Repr-Digest`` (RFC 9530) and ``ETag`` (hex)."""
    response = HttpResponse(data, content_type="application/json")
    digest = hashlib.sha256(data)
    response[DIGEST_HEADER] = f"sha-256=:{base64.b64encode(digest.digest()).decode()}:"
    response["ETag"] = f'"{digest.hexdigest()}"'
    return response


CANONICAL = OpenApiResponse(
    response=OpenApiTypes.OBJECT,
    description=gettext_lazy(
        "The record's canonical form (RFC 8785, UTF-8): sign these bytes exactly as received. "
        "`Repr-Digest` gives their SHA-256 (`sha-256=:base64:`), `ETag` the same in hex."
    ),
)
