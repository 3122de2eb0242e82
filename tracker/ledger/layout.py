"""The files of an exported ledger (docs/ledger.md, "Export and verification"): what ``export`` writes and
``tracker.verify`` reads."""

from pathlib import Path

LEDGER = "ledger.jsonl"
LEAVES = "leaves.txt"
RECORDS = "records"
KEYS = "keys.jsonl"
HEADS = "heads.jsonl"
RECEIPTS = "receipts.jsonl"
README = "README.md"
WITHHELD = {"index", "leaf_hash"}


def record_path(folder: Path, index: int) -> Path:
    return folder / RECORDS / f"{index}.json"
