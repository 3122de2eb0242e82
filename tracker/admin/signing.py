"""Signing in the admin (docs/ledger.md, "Signing a submission"): a step's page shows the record's canonical form
and its SHA-256, and ``tracker/signing.js`` signs it with the officer's key file in the browser; the form sends
``signature`` and, optionally, ``key``, which the ledger checks (``tracker.ledger.book.signing_key``)."""

from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from tracker.ledger.book import Signed
from tracker.ledger.canonical import b64, sha256_hex

SCRIPT = "tracker/signing.js"
REQUIRED = _("is required: sign the record shown with your key file")


def shown(data: bytes) -> dict:
    return {"text": data.decode(), "base64": b64(data), "sha256": sha256_hex(data)}


def block(data: bytes | None = None, preview_url: str = "", inputs: bool = True, prefix: str = "") -> SafeString:
    """The record ``data`` (or the URL that answers it from the form's values) with the control that signs it."""
    context = {"canonical": shown(data) if data is not None else None, "preview_url": preview_url}
    return render_to_string("admin/tracker/signing/block.html", context | {"inputs": inputs, "prefix": prefix})


def posted(request) -> Signed:
    return Signed(request.POST.get("signature", ""), request.POST.get("key", ""))


def said(error: ValidationError) -> str:
    """A refusal with the fields it names: "signature: does not verify …"."""
    if hasattr(error, "error_dict"):
        return "; ".join(f"{field}: {' '.join(found)}" for field, found in error.message_dict.items())
    return " ".join(error.messages)
