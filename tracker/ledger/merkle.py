"""The Merkle tree hash of RFC 9162 (Certificate Transparency 2.0), Section 2.1, with its inclusion and
consistency proofs.

A leaf's hash is SHA-256(0x00 || entry), an inner node's SHA-256(0x01 || left || right), the empty tree's
SHA-256 of nothing. A tree of n leaves splits at k, the largest power of two below n, so its left part is
always a complete subtree; such a subtree is named by its level (its height) and its index at that level,
and the tracker stores each one once, when its last leaf arrives. Every function here reads complete
subtrees through a ``nodes`` mapping of (level, index) to digest, so the same code serves the database (which
fetches the few nodes a proof needs in one query) and the offline verifier (which has every leaf).
"""

import hashlib
from collections.abc import Callable, Iterable, Mapping, Sequence

Node = tuple[int, int]
EMPTY_ROOT = hashlib.sha256(b"").digest()


def leaf_hash(entry: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + entry).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def split(n: int) -> int:
    """k: the largest power of two smaller than n (n > 1)."""
    return 1 << ((n - 1).bit_length() - 1)


def subtrees(start: int, end: int) -> list[Node]:
    """The complete subtrees whose hashes make MTH(D[start:end]), left to right; ``start`` is a multiple of the
    range's split, as every range in RFC 9162's recursion is."""
    found = []
    while end - start > 0:
        size = end - start
        level = size.bit_length() - 1 if size & (size - 1) == 0 else split(size).bit_length() - 1
        found.append((level, start >> level))
        start += 1 << level
    return found


def range_hash(start: int, end: int, nodes: Mapping[Node, bytes]) -> bytes:
    """MTH(D[start:end]): the right fold of its complete subtrees."""
    parts = [nodes[node] for node in subtrees(start, end)]
    if not parts:
        return EMPTY_ROOT
    digest = parts[-1]
    for part in reversed(parts[:-1]):
        digest = node_hash(part, digest)
    return digest


def inclusion_ranges(index: int, size: int) -> list[tuple[int, int]]:
    """The ranges whose hashes make PATH(index, D[0:size]) (RFC 9162, 2.1.3.1), leaf first."""
    ranges, start, end = [], 0, size
    while end - start > 1:
        k = split(end - start)
        if index < start + k:
            ranges.append((start + k, end))
            end = start + k
        else:
            ranges.append((start, start + k))
            start += k
    return list(reversed(ranges))


def consistency_ranges(first: int, second: int) -> list[tuple[int, int]]:
    """The ranges whose hashes make PROOF(first, D[0:second]) (RFC 9162, 2.1.4.1)."""
    if not 0 < first <= second:
        raise ValueError(f"a consistency proof runs from a size of at least 1 to a larger one, not {first} to {second}")
    ranges, start, end, complete = [], 0, second, True
    while first != end:
        k = split(end - start)
        if first - start <= k:
            ranges.append((start + k, end))
            end = start + k
        else:
            ranges.append((start, start + k))
            start += k
            complete = False
    if not complete:
        ranges.append((start, end))
    return list(reversed(ranges))


def needed(ranges: Iterable[tuple[int, int]]) -> set[Node]:
    return {node for start, end in ranges for node in subtrees(start, end)}


def path(ranges: Sequence[tuple[int, int]], nodes: Mapping[Node, bytes]) -> list[bytes]:
    return [range_hash(start, end, nodes) for start, end in ranges]


def root_from_inclusion(leaf: bytes, index: int, size: int, proof: Sequence[bytes]) -> bytes:
    """The root an inclusion proof leads to (RFC 9162, 2.1.3.2); a wrong proof raises ValueError."""
    if not 0 <= index < size:
        raise ValueError(f"leaf {index} is not in a tree of {size}")
    fn, sn, digest = index, size - 1, leaf
    for sibling in proof:
        if sn == 0:
            raise ValueError("the proof is longer than the tree is deep")
        if fn & 1 or fn == sn:
            digest = node_hash(sibling, digest)
            if not fn & 1:
                while fn and not fn & 1:
                    fn, sn = fn >> 1, sn >> 1
        else:
            digest = node_hash(digest, sibling)
        fn, sn = fn >> 1, sn >> 1
    if sn != 0:
        raise ValueError("the proof is shorter than the tree is deep")
    return digest


def verify_consistency(first: int, second: int, first_root: bytes, second_root: bytes, proof: Sequence[bytes]) -> bool:
    """Whether ``proof`` shows the tree of ``second`` leaves extends the one of ``first`` (RFC 9162, 2.1.4.2)."""
    if first == second:
        return not proof and first_root == second_root
    if not 0 < first < second or not proof:
        return False
    proof = list(proof)
    if first & (first - 1) == 0:
        proof.insert(0, first_root)
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = proof[0]
    for c in proof[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr, sr = node_hash(c, fr), node_hash(c, sr)
            while fn and not fn & 1:
                fn, sn = fn >> 1, sn >> 1
        else:
            sr = node_hash(sr, c)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and fr == first_root and sr == second_root


class Frontier:
    """The complete subtrees covering the first ``size`` leaves: all it takes to append a leaf and know the root."""

    def __init__(self, size: int = 0, nodes: Mapping[Node, bytes] | Callable[[Node], bytes] | None = None):
        self.size = size
        lookup = nodes.__getitem__ if isinstance(nodes, Mapping) else nodes
        self.parts: list[tuple[int, bytes]] = [(level, lookup((level, i))) for level, i in subtrees(0, size)]

    def append(self, leaf: bytes) -> list[tuple[int, int, bytes]]:
        """Add a leaf's hash; the complete subtrees it closes, as (level, index, digest), the leaf's own first."""
        index, digest, level = self.size, leaf, 0
        made = [(0, index, leaf)]
        while self.parts and self.parts[-1][0] == level:
            _, left = self.parts.pop()
            digest, level = node_hash(left, digest), level + 1
            made.append((level, index >> level, digest))
        self.parts.append((level, digest))
        self.size += 1
        return made

    def root(self) -> bytes:
        if not self.parts:
            return EMPTY_ROOT
        digest = self.parts[-1][1]
        for _, part in reversed(self.parts[:-1]):
            digest = node_hash(part, digest)
        return digest


def root_of(leaves: Iterable[bytes]) -> bytes:
    frontier = Frontier()
    for leaf in leaves:
        frontier.append(leaf)
    return frontier.root()
