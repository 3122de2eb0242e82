"""Ed25519 (RFC 8032) signatures over canonical bytes, and the keys that make them.

A public key travels as its 32 raw bytes in base64 or as a PEM SubjectPublicKeyInfo; it is named by its
fingerprint, the SHA-256 of those 32 bytes in hex.
"""

import hashlib

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from tracker.ledger.canonical import unb64

SIGNATURE_BYTES = 64
KEY_BYTES = 32


def gettext_noop(message: str) -> str:
    """Marks a message for the catalogues (``makemessages``) without importing Django: ``tracker.verify`` runs
    without it. Whoever shows the message to a person translates it (``tracker.ledger.keys``)."""
    return message


class UnusableKey(ValueError):
    """Why a public key cannot be used: ``reason``, with ``%(name)s`` placeholders filled from ``params``."""

    def __init__(self, reason: str, **params):
        super().__init__(reason % params)
        self.reason, self.params = reason, params


def fingerprint(public: bytes) -> str:
    return hashlib.sha256(public).hexdigest()


def public_key_bytes(text: str) -> bytes:
    """The 32 raw bytes of an Ed25519 public key given as PEM or as base64 of the raw bytes; ValueError
    naming what is wrong otherwise (``UnusableKey``)."""
    text = text.strip()
    if text.startswith("-----BEGIN"):
        try:
            key = serialization.load_pem_public_key(text.encode("ascii"))
        except (ValueError, TypeError) as error:
            raise UnusableKey(gettext_noop("is not a PEM public key: %(error)s"), error=error) from None
        if not isinstance(key, Ed25519PublicKey):
            raise UnusableKey(gettext_noop("is not an Ed25519 key")) from None
        return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    try:
        raw = unb64(text)
    except ValueError:
        raise UnusableKey(gettext_noop("is neither PEM nor base64")) from None
    if len(raw) != KEY_BYTES:
        raise UnusableKey(
            gettext_noop("is %(count)d bytes; an Ed25519 public key is %(bytes)d"), count=len(raw), bytes=KEY_BYTES
        )
    return raw


def verifies(public: bytes, signature: bytes, message: bytes) -> bool:
    if len(signature) != SIGNATURE_BYTES:
        return False
    try:
        Ed25519PublicKey.from_public_bytes(public).verify(signature, message)
    except InvalidSignature:
        return False
    return True


def private_key(pem: bytes) -> Ed25519PrivateKey:
    key = serialization.load_pem_private_key(pem, password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError("is not an Ed25519 private key")
    return key


def public_of(key: Ed25519PrivateKey) -> bytes:
    return key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
