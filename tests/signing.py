"""Signing as a party's client does (docs/ledger.md, "Signing a submission"): a key registered for a user
(``SigningKey``, its private half kept by the test), the record's canonical form fetched from the API, an Ed25519
signature over those bytes, sent with the step."""

import base64
import datetime

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from tracker.ledger import records, signatures
from tracker.models import SigningKey
from tracker.roles import party_of

LONG_AGO = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)


def key_for(user, party=None, private: Ed25519PrivateKey | None = None, valid_from=LONG_AGO) -> Ed25519PrivateKey:
    """Register a new key (or ``private``'s public half) for ``user`` and their party; its private half."""
    private = private or Ed25519PrivateKey.generate()
    public = signatures.public_of(private)
    SigningKey.objects.create(
        fingerprint=signatures.fingerprint(public),
        public_key=public,
        party=party or party_of(user),
        user=user,
        valid_from=valid_from,
    )
    return private


def fingerprint(private: Ed25519PrivateKey) -> str:
    return signatures.fingerprint(signatures.public_of(private))


def signature(private: Ed25519PrivateKey, data: bytes) -> str:
    return base64.b64encode(private.sign(data)).decode()


def private_of(user, party=None) -> Ed25519PrivateKey:
    """``user``'s key (for ``party``, theirs by default), registered on first use, kept on the user object for the
    test's other steps."""
    if not hasattr(user, "test_private_key"):
        user.test_private_key = key_for(user, party)
    return user.test_private_key


def signed(client, canonical_url: str, body: dict | None = None, query: dict | None = None) -> dict:
    """``body`` with the signature of the client's person over the canonical form ``canonical_url`` answers (with ``query``); over
    nothing when it refuses, so the step is refused for its own reason."""
    answer = client.get(canonical_url, query or {})
    data = answer.content if answer.status_code == 200 else b""
    return {**(body or {}), "signature": signature(private_of(client.person), data)}


def submit(client, reference: str, **extra):
    """Submit the notification ``reference`` through the API (a client of ``factories.api``), signed by its person."""
    body = signed(client, f"/api/notifications/{reference}/canonical/")
    return client.post(f"/api/notifications/{reference}/submit/", body, format="json", **extra)


def sign_report(client, reference: str):
    body = signed(client, f"/api/inspections/{reference}/canonical/")
    return client.post(f"/api/inspections/{reference}/sign/", body, format="json")


def countersign(client, reference: str, comments: str = ""):
    url = f"/api/inspections/{reference}/countersign/"
    body = signed(client, f"{url}canonical/", {"comments": comments}, {"comments": comments})
    return client.post(url, body, format="json")


def raise_concern(client, body: dict):
    """Raise the concern ``body`` describes through the API, signed by the client's person."""
    query = {
        name: value for name, value in body.items() if name in {"raised_against", "findings", "question", "answer_due"}
    }
    return client.post("/api/concerns/", signed(client, "/api/concerns/canonical/", body, query), format="json")


def take_step(client, reference: str, kind: str, text: str = "", files=()):
    """Take step ``kind`` of concern ``reference`` through the API, signed by the client's person; an answer's ``files``
    (``SimpleUploadedFile``) go with it and its canonical form, multipart."""
    field = "outcome" if kind == "close" else "text"
    url = f"/api/concerns/{reference}/{kind}/"
    if files:
        preview = client.post(f"{url}canonical/", {field: text, "files": list(files)}, format="multipart")
        for upload in files:
            upload.seek(0)
        body = {
            field: text,
            "files": list(files),
            "signature": signature(private_of(client.person), preview.content if preview.status_code == 200 else b""),
        }
        return client.post(url, body, format="multipart")
    return client.post(url, signed(client, f"{url}canonical/", {field: text}, {field: text}), format="json")


def of_notification(user, notification) -> dict:
    """The admin form's signature of ``user`` submitting ``notification`` as it is stored."""
    notification.refresh_from_db()
    return {"signature": signature(private_of(user), records.of_notification(notification).canonical)}


def key_file(user, directory) -> str:
    """``user``'s key (``private_of``) written to ``directory`` as PKCS#8 PEM, as an officer keeps it: its path."""
    path = directory / f"{user.username}.pem"
    path.write_bytes(
        private_of(user).private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return str(path)


def of_bytes(user, data: bytes) -> dict:
    """An admin form's signature of ``user`` over ``data``."""
    return {"signature": signature(private_of(user), data)}
