"""A monitor checks the proofs the API serves with ``tracker.ledger.merkle`` alone (RFC 9162, 2.1.3.2 and
2.1.4.2): a proof of the tree as pymerkle, an independent implementation, builds it leads to pymerkle's root,
and a proof with any hash changed does not."""

import pytest
from pymerkle import InmemoryTree

from tracker.ledger import merkle

SIZES = range(1, 34)


def tree_of(size: int) -> tuple[list[bytes], dict, InmemoryTree]:
    entries = [f"entry {n}".encode() for n in range(size)]
    nodes, frontier, independent = {}, merkle.Frontier(), InmemoryTree(algorithm="sha256")
    for entry in entries:
        nodes.update({(level, index): digest for level, index, digest in frontier.append(merkle.leaf_hash(entry))})
        independent.append_entry(entry)
    return entries, nodes, independent


@pytest.mark.parametrize("size", SIZES)
def test_every_inclusion_proof_leads_to_the_independent_root_and_a_changed_one_does_not(size):
    entries, nodes, independent = tree_of(size)
    root = independent.get_root(size)
    for index, entry in enumerate(entries):
        proof = merkle.path(merkle.inclusion_ranges(index, size), nodes)
        assert merkle.root_from_inclusion(merkle.leaf_hash(entry), index, size, proof) == root
        for changed in range(len(proof)):
            tampered = [b"\x00" * 32 if n == changed else digest for n, digest in enumerate(proof)]
            assert merkle.root_from_inclusion(merkle.leaf_hash(entry), index, size, tampered) != root


def test_an_inclusion_proof_of_the_wrong_length_or_index_is_refused():
    entries, nodes, _ = tree_of(5)
    proof = merkle.path(merkle.inclusion_ranges(2, 5), nodes)
    with pytest.raises(ValueError, match="shorter"):
        merkle.root_from_inclusion(merkle.leaf_hash(entries[2]), 2, 5, proof[:-1])
    with pytest.raises(ValueError, match="longer"):
        merkle.root_from_inclusion(merkle.leaf_hash(entries[2]), 2, 5, [*proof, proof[0]])
    with pytest.raises(ValueError, match="not in a tree"):
        merkle.root_from_inclusion(merkle.leaf_hash(entries[2]), 5, 5, proof)


@pytest.mark.parametrize("second", SIZES)
def test_every_consistency_proof_holds_between_the_independent_roots_and_a_changed_one_does_not(second):
    _, nodes, independent = tree_of(second)
    for first in range(1, second + 1):
        proof = merkle.path(merkle.consistency_ranges(first, second), nodes)
        roots = independent.get_root(first), independent.get_root(second)
        assert merkle.verify_consistency(first, second, *roots, proof)
        for changed in range(len(proof)):
            tampered = [b"\x00" * 32 if n == changed else digest for n, digest in enumerate(proof)]
            assert not merkle.verify_consistency(first, second, *roots, tampered)
        if first < second:
            assert not merkle.verify_consistency(first, second, roots[1], roots[0], proof)
