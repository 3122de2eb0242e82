"""Signing keys and receipts for tests: a fresh Ed25519 key registered for a person, and their signatures."""

import datetime

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from tracker.ledger import keys, receipts
from tracker.ledger.book import Signed, receipt_body
from tracker.ledger.canonical import b64, canonical
from tracker.ledger.signatures import public_of
from tracker.models import SigningKey, TreeHead

EARLY = datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)


class Holder:
    """A person with a private key whose public half is registered for their party."""

    def __init__(self, person, at: datetime.datetime = EARLY):
        self.person = person
        self.private = Ed25519PrivateKey.generate()
        self.key: SigningKey = keys.register(person, b64(public_of(self.private)), at)

    def receipt_signature(self, head: TreeHead) -> str:
        return b64(self.private.sign(canonical(receipt_body(self.key.party.code, head))))

    def signed(self, head: TreeHead) -> Signed:
        return Signed(self.receipt_signature(head), self.key.fingerprint)

    def acknowledge(self, head: TreeHead, at: datetime.datetime):
        return receipts.acknowledge(self.person, head, self.signed(head), at)[0]
