"""The ledger: every accepted record, hashed, signed by its author and appended to a Merkle tree whose heads
the tracker signs and the other parties acknowledge (docs/ledger.md). ``merkle``, ``canonical``,
``signatures`` and ``layout`` need nothing but the standard library, ``rfc8785`` and ``cryptography``, so the offline verifier
(``python -m tracker.verify``) reads them without Django."""
