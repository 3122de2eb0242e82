"""A record's one serialisation: JSON Canonicalization Scheme (RFC 8785), in UTF-8, and its SHA-256.

Any party holding the same record makes the same bytes, so a signature over them, and the hash in the ledger,
can be checked without trusting whoever kept the record (docs/ledger.md, "Canonical records").
"""

import base64
import hashlib
import json

import rfc8785


def canonical(record: dict) -> bytes:
    return rfc8785.dumps(record)


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def is_canonical(data: bytes) -> bool:
    """Whether ``data`` is a JSON object in its canonical form, byte for byte."""
    try:
        parsed = json.loads(data)
    except ValueError:
        return False
    return isinstance(parsed, dict) and canonical(parsed) == data


def b64(data: bytes | None) -> str | None:
    return None if data is None else base64.b64encode(data).decode("ascii")


def unb64(text: str) -> bytes:
    """Standard base64 (RFC 4648, Section 4), padding required; ValueError otherwise."""
    return base64.b64decode(text.encode("ascii"), validate=True)
