"""/api/ledger/: the entries a reader may read, one entry with its leaf hash and record, and the Merkle tree's
inclusion and consistency proofs (RFC 9162, Sections 2.1.3 and 2.1.4), each checked against implementations
that share nothing with the tracker's: pymerkle 7's roots, and the RFC's recursive definitions written out
here (MTH, PATH, PROOF)."""

import datetime
import hashlib

import pymerkle
import pytest

from tests import factories as f
from tracker import reports
from tracker.ledger import book
from tracker.ledger.canonical import canonical, sha256_hex
from tracker.models import LedgerEntry
from tracker.roles import Role


def leaf(entry: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + entry).digest()


def node(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def split(n: int) -> int:
    k = 1
    while k * 2 < n:
        k *= 2
    return k


def mth(entries: list[bytes]) -> bytes:
    """RFC 9162, 2.1.1."""
    if not entries:
        return hashlib.sha256(b"").digest()
    if len(entries) == 1:
        return leaf(entries[0])
    k = split(len(entries))
    return node(mth(entries[:k]), mth(entries[k:]))


def audit_path(m: int, entries: list[bytes]) -> list[bytes]:
    """PATH(m, D[n]), RFC 9162, 2.1.3.1."""
    if len(entries) == 1:
        return []
    k = split(len(entries))
    if m < k:
        return audit_path(m, entries[:k]) + [mth(entries[k:])]
    return audit_path(m - k, entries[k:]) + [mth(entries[:k])]


def consistency(m: int, entries: list[bytes], complete: bool = True) -> list[bytes]:
    """PROOF(m, D[n]) = SUBPROOF(m, D[n], true), RFC 9162, 2.1.4.1."""
    n = len(entries)
    if m == n:
        return [] if complete else [mth(entries)]
    k = split(n)
    if m <= k:
        return consistency(m, entries[:k], complete) + [mth(entries[k:])]
    return consistency(m - k, entries[k:], False) + [mth(entries[:k])]


@pytest.fixture
def world():
    """Seven notifications and, fourth in the ledger, UKR's report on RUS signed: read by those two alone."""
    ukr, rus, pol = f.party("UKR"), f.party("RUS"), f.party("POL")
    kharkiv, pskov = f.site(ukr, code="KHA"), f.site(rus, code="PSK", lon=28, lat=57)
    for day in (1, 2, 3):
        f.notification(ukr, datetime.date(2026, 1, day), [(kharkiv, "tanks", day)])
    report = f.inspection(ukr, rus, datetime.date(2026, 1, 4), {"tanks": 3}, site=pskov, status="draft")
    reports.sign(
        report, f.person("leader", Role.INSPECTOR, ukr), datetime.datetime(2026, 1, 4, 12, tzinfo=datetime.UTC)
    )
    for day in (5, 6, 7, 8):
        f.notification(rus, datetime.date(2026, 1, day), [(pskov, "tanks", day)])
    return {
        "report": report,
        "ukr": f.api(f.person("ukr", Role.OFFICER, ukr)),
        "pol": f.api(f.person("pol", Role.MONITOR, pol)),
        "entries": [canonical(book.entry_body(e)) for e in LedgerEntry.objects.select_related("party", "key")],
    }


def test_a_reader_lists_the_entries_whose_records_they_may_read(world):
    response = world["ukr"].get("/api/ledger/entries/")
    assert response.status_code == 200
    page = response.json()
    assert page["count"] == 8 and page["next"] is None
    assert [canonical(entry) for entry in page["results"]] == world["entries"]

    seen = world["pol"].get("/api/ledger/entries/").json()["results"]
    assert [entry["index"] for entry in seen] == [0, 1, 2, 4, 5, 6, 7]


def test_the_entries_filter_by_reference_and_record_type(world):
    reference = world["report"].reference
    found = world["ukr"].get("/api/ledger/entries/", {"reference": reference}).json()["results"]
    assert [(e["index"], e["type"]) for e in found] == [(3, "inspection report")]
    notifications = world["ukr"].get("/api/ledger/entries/", {"type": "notification"}).json()
    assert notifications["count"] == 7
    refused = world["ukr"].get("/api/ledger/entries/", {"type": "memo"})
    assert refused.status_code == 400 and "type" in refused.json()


def test_an_entry_comes_with_its_leaf_hash_and_its_records_canonical_form(world):
    detail = world["ukr"].get("/api/ledger/entries/3/").json()
    assert canonical(detail["entry"]) == world["entries"][3]
    assert detail["leaf_hash"] == leaf(world["entries"][3]).hex()
    assert sha256_hex(detail["record"].encode()) == detail["entry"]["sha256"]
    assert f'"reference":"{world["report"].reference}"' in detail["record"]


def test_a_third_party_gets_404_for_an_entry_and_a_proof_of_a_record_it_may_not_read(world):
    assert world["pol"].get("/api/ledger/entries/3/").status_code == 404
    assert world["pol"].get("/api/ledger/proofs/inclusion/", {"index": 3, "size": 8}).status_code == 404
    assert world["pol"].get("/api/ledger/proofs/inclusion/", {"index": 4, "size": 8}).status_code == 200


def test_inclusion_proofs_follow_rfc_9162_and_lead_to_pymerkles_roots(world):
    entries = world["entries"]
    independent = pymerkle.InmemoryTree(algorithm="sha256")
    for entry in entries:
        independent.append_entry(entry)
    for size in range(1, len(entries) + 1):
        for index in range(size):
            proof = world["ukr"].get("/api/ledger/proofs/inclusion/", {"index": index, "size": size}).json()
            assert proof["leaf_hash"] == leaf(entries[index]).hex()
            assert proof["path"] == [h.hex() for h in audit_path(index, entries[:size])], (index, size)
            assert proof["root"] == mth(entries[:size]).hex() == independent.get_root(size).hex()


def test_an_inclusion_proof_defaults_to_the_whole_ledger(world):
    proof = world["ukr"].get("/api/ledger/proofs/inclusion/", {"index": 5}).json()
    assert proof["size"] == 8 and proof["root"] == mth(world["entries"]).hex()


def test_consistency_proofs_follow_rfc_9162_for_any_reader_with_a_role(world):
    entries = world["entries"]
    independent = pymerkle.InmemoryTree(algorithm="sha256")
    for entry in entries:
        independent.append_entry(entry)
    for second in range(1, len(entries) + 1):
        for first in range(1, second + 1):
            proof = world["pol"].get("/api/ledger/proofs/consistency/", {"first": first, "second": second}).json()
            assert proof["path"] == [h.hex() for h in consistency(first, entries[:second])], (first, second)
            assert proof["first_root"] == independent.get_root(first).hex()
            assert proof["second_root"] == independent.get_root(second).hex()


@pytest.mark.parametrize(
    "query, field, reason",
    [
        ({"index": 0, "size": 9}, "size", "is beyond the ledger, which has 8 entries"),
        ({"index": 8, "size": 8}, "index", "must be below the tree's size, 8"),
        ({"index": 8}, "index", "must be below the tree's size, 8"),
        ({"index": 2, "size": 2}, "index", "must be below the tree's size, 2"),
        ({"size": 2}, "index", "This field is required."),
        ({"index": -1}, "index", "Ensure this value is greater than or equal to 0."),
        ({"index": "x"}, "index", "A valid integer is required."),
        ({"index": 0, "size": 0}, "size", "Ensure this value is greater than or equal to 1."),
    ],
)
def test_a_bad_inclusion_parameter_is_a_400_naming_it(world, query, field, reason):
    response = world["ukr"].get("/api/ledger/proofs/inclusion/", query)
    assert response.status_code == 400
    assert response.json() == {field: [reason]}


@pytest.mark.parametrize(
    "query, field, reason",
    [
        ({"first": 1, "second": 9}, "second", "is beyond the ledger, which has 8 entries"),
        ({"first": 5, "second": 4}, "first", "must not be above second (4)"),
        ({"first": 0, "second": 4}, "first", "Ensure this value is greater than or equal to 1."),
        ({"second": 4}, "first", "This field is required."),
    ],
)
def test_a_bad_consistency_parameter_is_a_400_naming_it(world, query, field, reason):
    response = world["pol"].get("/api/ledger/proofs/consistency/", query)
    assert response.status_code == 400
    assert response.json() == {field: [reason]}


def test_an_account_without_a_role_reads_nothing_of_the_ledger(world):
    nobody = f.api(f.person("nobody"))
    for path in ["/api/ledger/entries/", "/api/ledger/proofs/consistency/?first=1&second=2"]:
        assert nobody.get(path).status_code == 403
