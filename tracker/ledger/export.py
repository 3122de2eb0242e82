"""The ledger written out for anyone to check offline with ``python -m tracker.verify`` (docs/ledger.md,
"Exporting and verifying").

Each record is serialised again from the live tables, not copied from what was signed: a record changed in
the database after it was accepted no longer hashes to its entry, and the verifier names it. For one party,
the export holds what that party may read; of the other entries it keeps only the index and the leaf hash,
enough to rebuild the tree and check its heads, nothing of the record, its author's signature or its key.

Entries are read a chunk at a time, with each chunk's leaves and the reader's visible entries in one query
each, so memory stays flat however long the ledger.
"""

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth import get_user_model

from tracker.ledger import book, records
from tracker.ledger.canonical import b64, canonical
from tracker.ledger.layout import HEADS, KEYS, LEAVES, LEDGER, README, RECEIPTS, RECORDS, record_path
from tracker.ledger.records import LINE_RELATED, moment
from tracker.models import (
    Accreditation,
    Holding,
    LedgerEntry,
    LedgerNode,
    Receipt,
    RecordType,
    SigningKey,
    StateParty,
    TreeHead,
)
from tracker.models.parties import Role

CHUNK = 500

GUIDE = """# The tracker's ledger, exported {scope}

Check it, with nothing but Python (3.11 or later), `cryptography` and `rfc8785` and the tracker's `tracker/verify.py`
and `tracker/ledger/` (merkle, canonical, signatures, layout):

    python -m tracker.verify {folder} --tracker-key FINGERPRINT

FINGERPRINT is the SHA-256 of the tracker's public key, as the tracker publishes it apart from this
export; without it the verifier trusts the tracker's key found in `keys.jsonl`.

- `ledger.jsonl`: one line per entry, in order: the entry exactly as the Merkle tree's leaf holds it
  (RFC 8785 JSON: index, type, reference, party, sha256 of the record, signature, key, accepted_at,
  previous_root). An entry this export withholds is `{{"index": N, "leaf_hash": "..."}}` only.
- `leaves.txt`: the leaf hash the tracker stores for each entry (SHA-256 of 0x00 and the line), in hex.
- `records/N.json`: the record of entry N in its canonical form, made from the tracker's tables at export.
- `keys.jsonl`: every signing key: fingerprint, public_key (base64), party (none: the tracker's),
  valid_from, revoked_at, demo (its private half is published: its signatures prove nothing).
- `heads.jsonl`: the tree heads the tracker signed; `receipts.jsonl`: the parties' signatures over them.

The verifier checks every record file is canonical and hashes to its entry, every signature against a key of
the entry's party in force when the entry was accepted, every entry's previous root, every tree head's root
and signature and every receipt's signature. It names the first broken entry and exits 1, else prints a
summary and exits 0.
"""


@dataclass
class Exported:
    entries: int = 0
    withheld: int = 0
    keys: int = 0
    heads: int = 0
    receipts: int = 0


def reader_of(party: StateParty):
    """A user of ``party`` holding every role: what any of its users may read, and nothing more."""
    user = get_user_model()(username=f"{party.code} ledger reader", is_active=True)
    user.accreditation = Accreditation(user=user, party=party)
    user._tracker_roles = frozenset(Role.values)  # roles_of's cache: this user is in no group's table
    return user


def _line(item: dict) -> bytes:
    return canonical(item) + b"\n"


RELATED = [
    "party",
    "key",
    "notification__party",
    "notification__supersedes",
    "inspection__inspecting_party",
    "inspection__inspected_party",
    "inspection__site",
    "inspection__request",
    "concern_step__party",
    "concern_step__concern__raised_against",
]


def _lines(entries: list[LedgerEntry]) -> dict[int, list[Holding]]:
    """The lines of the notifications among ``entries``, by notification, in one query."""
    notifications = [e.notification_id for e in entries if e.record_type == RecordType.NOTIFICATION]
    found = defaultdict(list)
    read = Holding.objects.filter(notification__in=notifications).select_related(*LINE_RELATED).defer("site__location")
    for line in read:
        found[line.notification_id].append(line)
    return found


def _chunks(tree_size: int, reader) -> Iterator[list[tuple[LedgerEntry, bytes, records.Record | None]]]:
    """The first ``tree_size`` entries, a chunk at a time, each with its stored leaf hash and its record, or
    None when ``reader`` (None: anyone) may not read it."""
    for start in range(0, tree_size, CHUNK):
        end = min(start + CHUNK, tree_size)
        chunk = LedgerEntry.objects.filter(index__gte=start, index__lt=end)
        leaves = dict(
            LedgerNode.objects.filter(level=0, index__gte=start, index__lt=end).values_list("index", "digest")
        )
        visible = None if reader is None else set(chunk.visible_to(reader).values_list("index", flat=True))
        entries = list(chunk.select_related(*RELATED))
        readable = [e for e in entries if visible is None or e.index in visible]
        lines = _lines(readable)
        made = {e.index: records.of_entry(e, lines[e.notification_id]) for e in readable}
        yield [(e, bytes(leaves[e.index]), made.get(e.index)) for e in entries]


def _write_lines(path: Path, lines: Iterable[dict]) -> int:
    count = 0
    with open(path, "wb") as out:
        for line in lines:
            out.write(_line(line))
            count += 1
    return count


def key_line(key: SigningKey) -> dict:
    return {
        "fingerprint": key.fingerprint,
        "public_key": b64(bytes(key.public_key)),
        "party": key.party.code if key.party_id else None,
        "valid_from": moment(key.valid_from),
        "revoked_at": moment(key.revoked_at),
        "demo": key.demo,
    }


def head_line(head: TreeHead) -> dict:
    return book.head_body(head.size, head.root, head.signed_at) | {
        "signature": b64(bytes(head.signature)),
        "key": head.key.fingerprint,
    }


def receipt_line(receipt: Receipt) -> dict:
    return book.receipt_body(receipt.party.code, receipt.tree_head) | {
        "signature": b64(bytes(receipt.signature)),
        "key": receipt.key.fingerprint,
        "received_at": moment(receipt.received_at),
    }


def export(folder: Path, party: StateParty | None = None) -> Exported:
    """Write the ledger as it stands now into ``folder`` (new or empty); for ``party``, what it may read."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / RECORDS).mkdir()
    reader = reader_of(party) if party else None
    tree_size = book.size()  # entries appended while the export runs belong to the next one
    done = Exported()
    with open(folder / LEDGER, "wb") as ledger, open(folder / LEAVES, "w") as leaves:
        for chunk in _chunks(tree_size, reader):
            for entry, leaf, record in chunk:
                leaves.write(leaf.hex() + "\n")
                done.entries += 1
                if record is None:
                    ledger.write(_line({"index": entry.index, "leaf_hash": leaf.hex()}))
                    done.withheld += 1
                    continue
                ledger.write(_line(book.entry_body(entry)))
                record_path(folder, entry.index).write_bytes(record.canonical)
    heads = TreeHead.objects.filter(size__lte=tree_size).select_related("key")
    receipts = Receipt.objects.filter(tree_head__in=heads).select_related("party", "key", "tree_head")
    done.keys = _write_lines(folder / KEYS, map(key_line, SigningKey.objects.select_related("party").order_by("id")))
    done.heads = _write_lines(folder / HEADS, map(head_line, heads))
    done.receipts = _write_lines(folder / RECEIPTS, map(receipt_line, receipts))
    scope = f"as {party.code} may read it" if party else "whole"
    (folder / README).write_text(GUIDE.format(scope=scope, folder=folder))
    return done
