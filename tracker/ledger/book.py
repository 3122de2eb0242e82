"""Appending to the ledger, and reading roots and proofs from it (docs/ledger.md).

Appends are serialised by a transaction-level advisory lock taken in the transaction that accepts the record,
so the ledger's order is the order records were committed in and no two appends see the same tree. The tree's
complete subtrees are stored as they close (``LedgerNode``): appending costs O(log n) hashes and one query to
read the frontier; a root or a proof reads the O(log n) subtrees it needs in one query.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tracker.ledger import merkle, signatures
from tracker.ledger.canonical import b64, canonical, unb64
from tracker.ledger.records import Record, moment
from tracker.ledger.signatures import verifies
from tracker.models import LedgerEntry, LedgerNode, SigningKey, TreeHead

LOCK = 0x7472_6163_6B65_72  # "tracker": one ledger per database


def entry_body(entry: LedgerEntry) -> dict:
    """The entry as the tree's leaf holds it."""
    return {
        "index": entry.index,
        "type": entry.record_type,
        "reference": entry.reference,
        "party": entry.party.code,
        "sha256": entry.record_sha256,
        "signature": b64(entry.signature and bytes(entry.signature)),
        "key": entry.key.fingerprint if entry.key_id else None,
        "accepted_at": moment(entry.accepted_at),
        "previous_root": entry.previous_root,
    }


def lock() -> None:
    """Hold the ledger until this transaction ends: no record joins it and no head is signed meanwhile."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK])


def nodes(wanted: Iterable[merkle.Node]) -> dict[merkle.Node, bytes]:
    wanted = set(wanted)
    if not wanted:
        return {}
    match = Q()
    for level, index in wanted:
        match |= Q(level=level, index=index)
    return {(n.level, n.index): bytes(n.digest) for n in LedgerNode.objects.filter(match)}


def size() -> int:
    last = LedgerEntry.objects.order_by("-index").values_list("index", flat=True).first()
    return 0 if last is None else last + 1


def frontier() -> merkle.Frontier:
    n = size()
    return merkle.Frontier(n, nodes(merkle.subtrees(0, n)))


def root(of_size: int | None = None) -> bytes:
    n = size() if of_size is None else of_size
    return merkle.range_hash(0, n, nodes(merkle.subtrees(0, n)))


def inclusion_proof(index: int, of_size: int) -> list[bytes]:
    ranges = merkle.inclusion_ranges(index, of_size)
    return merkle.path(ranges, nodes(merkle.needed(ranges)))


def consistency_proof(first: int, second: int) -> list[bytes]:
    ranges = merkle.consistency_ranges(first, second)
    return merkle.path(ranges, nodes(merkle.needed(ranges)))


@dataclass(frozen=True)
class Signed:
    """What a person sends with a record: their signature over its canonical form, in base64, and the
    fingerprint of the key that made it (optional when they have one key in force)."""

    signature: str = ""
    key: str = ""


# The refusals naming the kind of record signed (by ``Record.type``): a missing signature, one that does not verify.
UNSIGNED = {
    "notification": gettext_lazy(
        "is required: the submitter's Ed25519 signature, in base64, over the notification's canonical form "
        "(docs/ledger.md)"
    ),
    "inspection report": gettext_lazy(
        "is required: the submitter's Ed25519 signature, in base64, over the inspection report's canonical form "
        "(docs/ledger.md)"
    ),
    "countersignature": gettext_lazy(
        "is required: the submitter's Ed25519 signature, in base64, over the countersignature's canonical form "
        "(docs/ledger.md)"
    ),
    "concern step": gettext_lazy(
        "is required: the submitter's Ed25519 signature, in base64, over the concern step's canonical form "
        "(docs/ledger.md)"
    ),
    "receipt": gettext_lazy(
        "is required: the submitter's Ed25519 signature, in base64, over the receipt's canonical form (docs/ledger.md)"
    ),
}
NOT_VERIFIED = {
    "notification": gettext_lazy(
        "does not verify: it is not your key's signature over this notification's canonical form (SHA-256 %(sha256)s)"
    ),
    "inspection report": gettext_lazy(
        "does not verify: it is not your key's signature over this inspection report's canonical form "
        "(SHA-256 %(sha256)s)"
    ),
    "countersignature": gettext_lazy(
        "does not verify: it is not your key's signature over this countersignature's canonical form "
        "(SHA-256 %(sha256)s)"
    ),
    "concern step": gettext_lazy(
        "does not verify: it is not your key's signature over this concern step's canonical form (SHA-256 %(sha256)s)"
    ),
    "receipt": gettext_lazy(
        "does not verify: it is not your key's signature over this receipt's canonical form (SHA-256 %(sha256)s)"
    ),
}


def signing_key(record: Record, user, signed: Signed, at: datetime.datetime) -> tuple[SigningKey, bytes]:
    """The key and signature bytes of ``user``'s signature over ``record``, checked; ValidationError naming
    ``signature`` or ``key`` and the reason otherwise."""
    key, signature = signed.key.strip(), signed.signature.strip()
    if not signature:
        raise ValidationError({"signature": str(UNSIGNED[record.type])})
    try:
        signed = unb64(signature)
    except (ValueError, UnicodeEncodeError):
        raise ValidationError({"signature": _("is not base64")}) from None
    keys = SigningKey.objects.filter(user=user, party=record.party).in_force(at)
    if key:
        keys = keys.filter(fingerprint=key)
    keys = list(keys)
    found = [k for k in keys if verifies(bytes(k.public_key), signed, record.canonical)]
    if found:
        return found[0], signed
    if key and not keys:
        revoked = SigningKey.objects.filter(user=user, fingerprint=key, revoked_at__lte=at).exists()
        raise ValidationError(
            {
                "key": _("was revoked: a signature made with it after its revocation is refused")
                if revoked
                else _("is not a signing key of yours for %(party)s in force now") % {"party": record.party.code}
            }
        )
    if not keys:
        raise ValidationError(
            {
                "signature": _("you have no signing key for %(party)s in force: register one")
                % {"party": record.party.code}
            }
        )
    raise ValidationError({"signature": NOT_VERIFIED[record.type] % {"sha256": record.sha256}})


def accept(records: Iterable[tuple[Record, SigningKey | None, bytes | None]], at: datetime.datetime | None = None):
    """Append ``records`` (each with its key and signature, or none for a record the tracker took unsigned)
    to the ledger, in order, within the caller's transaction."""
    if not connection.in_atomic_block:
        raise RuntimeError("records join the ledger inside the transaction that accepts them")
    lock()
    tree = frontier()
    at = at or timezone.now()
    entries, made = [], []
    for record, key, signature in records:
        entry = LedgerEntry(
            index=tree.size,
            record_type=record.type,
            reference=record.reference,
            party=record.party,
            record_sha256=record.sha256,
            signature=signature,
            key=key,
            accepted_at=at,
            previous_root=tree.root().hex(),
            **{record.row_field: record.row},
        )
        made += [LedgerNode(level=level, index=i, digest=d) for level, i, d in tree.append(leaf(entry))]
        entries.append(entry)
    LedgerEntry.objects.bulk_create(entries, batch_size=5000)
    LedgerNode.objects.bulk_create(made, batch_size=20000)
    return entries


def tracker_key() -> tuple[Ed25519PrivateKey, SigningKey]:
    """The tracker's private key (``settings.LEDGER_KEY_FILE``) and its registration, made on first use."""
    path = Path(settings.LEDGER_KEY_FILE)
    private = signatures.private_key(path.read_bytes())
    public = signatures.public_of(private)
    demo = path.resolve().parent == Path(settings.DEMO_KEYS_DIR).resolve()
    key, _ = SigningKey.objects.get_or_create(
        fingerprint=signatures.fingerprint(public), defaults={"public_key": public, "demo": demo}
    )
    return private, key


def head_body(tree_size: int, tree_root: str, signed_at: datetime.datetime) -> dict:
    """A tree head as the tracker signs it."""
    return {"type": "tree head", "size": tree_size, "root": tree_root, "signed_at": moment(signed_at)}


def receipt_body(party_code: str, head: TreeHead) -> dict:
    """What a party signs to acknowledge every record in ``head``: its code, the head's size and root."""
    return {"type": "receipt", "party": party_code, "size": head.size, "root": head.root}


@transaction.atomic
def sign_tree_head(at: datetime.datetime | None = None) -> TreeHead:
    """Sign the tree as it stands now with the tracker's key."""
    lock()
    private, key = tracker_key()
    at = at or timezone.now()
    n = size()
    tree_root = root(n).hex()
    signature = private.sign(canonical(head_body(n, tree_root, at)))
    return TreeHead.objects.create(size=n, root=tree_root, signed_at=at, signature=signature, key=key)


def leaf(entry: LedgerEntry) -> bytes:
    return merkle.leaf_hash(canonical(entry_body(entry)))


def take(record: Record, user, signed: Signed | None, at: datetime.datetime | None = None) -> LedgerEntry:
    """Accept ``record`` from ``user`` into the ledger, within the caller's transaction.

    Whatever a person submits through the API or the admin comes with ``signed``, which must verify against a
    key of theirs in force (``signing_key``). Records the tracker itself loads (a bundle, a test's setting)
    come without, and their entries say so: the verifier counts them apart.
    """
    at = at or timezone.now()
    key, signature = signing_key(record, user, signed, at) if signed is not None else (None, None)
    return accept([(record, key, signature)], at)[0]
