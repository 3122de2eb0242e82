"""Check an export of the ledger (``manage.py export_ledger DIR``) offline, without the tracker's database or
Django: ``python -m tracker.verify DIR [--tracker-key FINGERPRINT]`` (docs/ledger.md, "Exporting and verifying").

Every record file must be canonical (RFC 8785) and hash (SHA-256) to its entry; every signed entry's
signature must verify (Ed25519, RFC 8032) with a key of the entry's party in force when it was accepted;
every entry's line must hash to the leaf the tracker stores and name as its previous root the root of the
leaves before it (RFC 9162, Section 2.1); every tree head's root must be that of its first ``size`` leaves
and carry the tracker's signature (the key pinned by ``--tracker-key``); every receipt must carry its
party's signature over the head it acknowledges. The first thing broken is named, in the ledger's order,
and the exit status is 1; otherwise a summary is printed and the status is 0.

Only the standard library and ``tracker.ledger.merkle``, ``canonical`` and ``signatures`` are used, so a
party can read this file and those three and run them on a machine that never saw the tracker.
"""

import argparse
import datetime
import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from tracker.ledger import merkle
from tracker.ledger.canonical import canonical, is_canonical, sha256_hex, unb64
from tracker.ledger.layout import HEADS, KEYS, LEAVES, LEDGER, RECEIPTS, WITHHELD, record_path
from tracker.ledger.signatures import fingerprint, verifies


class Broken(Exception):
    """The first thing in the export that does not check: what it is, and why."""

    def __init__(self, what: str, reason: str):
        super().__init__(f"{what}: {reason}")
        self.what, self.reason = what, reason


@dataclass(frozen=True)
class Key:
    fingerprint: str
    public: bytes
    party: str | None
    valid_from: datetime.datetime
    revoked_at: datetime.datetime | None
    demo: bool

    def in_force(self, at: datetime.datetime) -> bool:
        return self.valid_from <= at and (self.revoked_at is None or at < self.revoked_at)


@dataclass
class Summary:
    entries: int = 0
    signed: int = 0
    unsigned: int = 0
    demo_signed: int = 0
    withheld: int = 0
    heads: int = 0
    demo_heads: int = 0
    receipts: int = 0

    def __str__(self) -> str:
        return (
            f"{self.entries} entries: {self.signed} signed ({self.demo_signed} with demo keys), "
            f"{self.unsigned} unsigned, {self.withheld} withheld; {self.heads} tree heads "
            f"({self.demo_heads} signed with a demo key); {self.receipts} receipts. Everything verifies."
        )


def moment(text: str | None, what: str, name: str) -> datetime.datetime | None:
    if text is None:
        return None
    try:
        value = datetime.datetime.fromisoformat(text)
    except (TypeError, ValueError):
        raise Broken(what, f"{name} {text!r} is not a moment (ISO 8601)") from None
    if value.tzinfo is None:
        raise Broken(what, f"{name} {text!r} has no time zone")
    return value


def lines(path: Path) -> Iterator[bytes]:
    if not path.is_file():
        raise Broken(str(path.parent), f"has no {path.name}: it is not an export of the ledger")
    with open(path, "rb") as source:
        for line in source:
            yield line.rstrip(b"\n")


def parsed(line: bytes, what: str) -> dict:
    if not is_canonical(line):
        raise Broken(what, "its line is not a JSON object in canonical form (RFC 8785)")
    return json.loads(line)


def signature_of(text: str, what: str) -> bytes:
    try:
        return unb64(text)
    except (ValueError, UnicodeEncodeError, AttributeError):
        raise Broken(what, "its signature is not base64") from None


def read_keys(folder: Path) -> dict[str, Key]:
    keys = {}
    for line in lines(folder / KEYS):
        item = parsed(line, f"key line {len(keys) + 1}")
        what = f"key {item.get('fingerprint')}"
        try:
            public = unb64(item["public_key"])
        except (KeyError, ValueError, AttributeError):
            raise Broken(what, "has no public_key in base64") from None
        if fingerprint(public) != item.get("fingerprint"):
            raise Broken(what, "its fingerprint is not the SHA-256 of its public key")
        keys[item["fingerprint"]] = Key(
            item["fingerprint"],
            public,
            item.get("party"),
            moment(item.get("valid_from"), what, "valid_from"),
            moment(item.get("revoked_at"), what, "revoked_at"),
            bool(item.get("demo")),
        )
    return keys


def check_signature(keys: dict[str, Key], party: str | None, body: dict, message: bytes, at, what: str) -> Key:
    """The key that made ``body``'s signature over ``message``, of ``party``'s and in force ``at``; Broken
    naming what fails otherwise."""
    key = keys.get(body.get("key"))
    if key is None:
        raise Broken(what, f"its key {body.get('key')} is not among the exported keys")
    if key.party != party:
        raise Broken(
            what, f"its key {key.fingerprint} is {key.party or 'the tracker'}'s, not {party or 'the tracker'}'s"
        )
    if not key.in_force(at):
        raise Broken(what, f"its key {key.fingerprint} was not in force at {at.isoformat()}")
    if not verifies(key.public, signature_of(body.get("signature"), what), message):
        raise Broken(what, f"its signature does not verify with key {key.fingerprint}")
    return key


class Heads:
    """The tree heads, checked as the ledger is read and the tree reaches each one's size."""

    def __init__(self, folder: Path, keys: dict[str, Key], tracker_key: str | None):
        self.keys = keys
        self.trusted = tracker_key
        if tracker_key is not None and (tracker_key not in keys or keys[tracker_key].party is not None):
            raise Broken(f"tracker key {tracker_key}", "is not among the exported keys as the tracker's")
        found = (parsed(line, f"tree head line {n + 1}") for n, line in enumerate(lines(folder / HEADS)))
        self.pending = sorted(found, key=lambda head: head.get("size", -1))
        self.all = list(self.pending)
        self.matched = 0  # the size of the last head found to match the ledger
        self.count = self.demo = 0

    def check(self, tree: merkle.Frontier) -> None:
        while self.pending and self.pending[0].get("size") == tree.size:
            head = self.pending.pop(0)
            what = f"tree head of size {tree.size} signed at {head.get('signed_at')}"
            if self.trusted is not None and head.get("key") != self.trusted:
                raise Broken(what, f"it is signed by key {head.get('key')}, not the tracker's {self.trusted}")
            body = {name: head.get(name) for name in ("size", "root", "signed_at")} | {"type": "tree head"}
            at = moment(head.get("signed_at"), what, "signed_at")
            key = check_signature(self.keys, None, head, canonical(body), at, what)
            root = tree.root().hex()
            if head.get("root") != root:
                raise Broken(
                    what,
                    f"the tracker signed root {head.get('root')}, but the ledger's first {tree.size} leaves make {root}: "
                    f"an entry from index {self.matched} to {tree.size - 1} is not the one it signed",
                )
            self.matched = tree.size
            self.count += 1
            self.demo += key.demo

    def beyond(self, size: int) -> None:
        if self.pending:
            head = self.pending[0]
            raise Broken(
                f"tree head of size {head.get('size')} signed at {head.get('signed_at')}",
                f"the ledger exported has only {size} entries",
            )


def check_entry(folder: Path, keys: dict[str, Key], entry: dict, what: str, summary: Summary) -> None:
    """The entry's record hashes to it and its signature, if any, is its party's."""
    path = record_path(folder, entry["index"])
    if not path.is_file():
        raise Broken(what, f"its record {path.relative_to(folder)} is missing")
    record = path.read_bytes()
    if not is_canonical(record):
        raise Broken(what, f"its record {path.relative_to(folder)} is not in canonical form (RFC 8785)")
    if sha256_hex(record) != entry.get("sha256"):
        raise Broken(what, f"its record hashes to {sha256_hex(record)}, not the {entry.get('sha256')} the ledger holds")
    if entry.get("signature") is None and entry.get("key") is None:
        summary.unsigned += 1
        return
    at = moment(entry.get("accepted_at"), what, "accepted_at")
    key = check_signature(keys, entry.get("party"), entry, record, at, what)
    summary.signed += 1
    summary.demo_signed += key.demo


def check_ledger(folder: Path, keys: dict[str, Key], heads: Heads, summary: Summary) -> None:
    tree = merkle.Frontier()
    heads.check(tree)
    leaves = lines(folder / LEAVES)
    for index, line in enumerate(lines(folder / LEDGER)):
        what = f"entry {index}"
        stored = next(leaves, None)
        if stored is None:
            raise Broken(what, f"{LEAVES} ends before {LEDGER}")
        entry = parsed(line, what)
        if entry.get("index") != index:
            raise Broken(what, f"its line has index {entry.get('index')}")
        withheld = set(entry) == WITHHELD
        if not withheld:
            what = f"entry {index} ({entry.get('type')} {entry.get('reference')})"
        leaf = entry["leaf_hash"] if withheld else merkle.leaf_hash(line).hex()
        if leaf != stored.decode("ascii", "replace"):
            raise Broken(
                what, f"its line hashes to leaf {leaf}, the tracker's tree holds {stored.decode('ascii', 'replace')}"
            )
        if withheld:
            summary.withheld += 1
        else:
            if entry.get("previous_root") != tree.root().hex():
                raise Broken(
                    what,
                    f"its previous_root is {entry.get('previous_root')}, the {index} leaves before it make "
                    f"{tree.root().hex()}",
                )
            check_entry(folder, keys, entry, what, summary)
        try:
            leaf = bytes.fromhex(leaf)
        except (TypeError, ValueError):
            raise Broken(what, f"its leaf hash {leaf!r} is not hex") from None
        tree.append(leaf)
        summary.entries += 1
        heads.check(tree)
    if next(leaves, None) is not None:
        raise Broken(f"entry {tree.size}", f"{LEAVES} has more leaves than {LEDGER} has entries")
    heads.beyond(tree.size)


def check_receipts(folder: Path, keys: dict[str, Key], heads: Heads, summary: Summary) -> None:
    signed = {(h["size"], h.get("root")) for h in heads.all}
    for n, line in enumerate(lines(folder / RECEIPTS)):
        receipt = parsed(line, f"receipt line {n + 1}")
        what = f"receipt of {receipt.get('party')} for the tree head of size {receipt.get('size')}"
        if (receipt.get("size"), receipt.get("root")) not in signed:
            raise Broken(what, f"no tree head exported has size {receipt.get('size')} and root {receipt.get('root')}")
        body = {name: receipt.get(name) for name in ("party", "size", "root")} | {"type": "receipt"}
        at = moment(receipt.get("received_at"), what, "received_at")
        check_signature(keys, receipt.get("party"), receipt, canonical(body), at, what)
        summary.receipts += 1


def verify(folder: Path, tracker_key: str | None = None) -> Summary:
    """Check the export in ``folder``; its summary, or Broken naming the first thing that does not check."""
    if not folder.is_dir():
        raise Broken(str(folder), "is not a directory")
    summary = Summary()
    keys = read_keys(folder)
    heads = Heads(folder, keys, tracker_key)
    check_ledger(folder, keys, heads, summary)
    summary.heads, summary.demo_heads = heads.count, heads.demo
    check_receipts(folder, keys, heads, summary)
    return summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tracker.verify", description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path, metavar="DIR", help="the directory manage.py export_ledger wrote")
    parser.add_argument(
        "--tracker-key", metavar="FINGERPRINT", help="the tracker's key, as it publishes it: tree heads must be its"
    )
    args = parser.parse_args(argv)
    try:
        summary = verify(args.folder, args.tracker_key)
    except Broken as broken:
        print(f"BROKEN {broken}", file=sys.stderr)
        return 1
    print(summary)
    return 0


if __name__ == "__main__":
    sys.exit(main())
