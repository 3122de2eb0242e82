"""Officers submitting notifications through the API while monitors read (bench/load.py ``--writers``).

Each writer is an officer of its own, accredited to one of the dataset's parties, with an API token and
an Ed25519 signing key registered for it. Once a second it drafts a notification of ``LINES`` lines on
its party's sites, signs it when the server offers the canonical bytes to sign, and submits it, as a
client does. The data version each submission's answer names is published (``Published``): a reader
that starts a request afterwards must get an answer of that version or a later one.
"""

import base64
import http.client
import itertools
import json
import random
import secrets
import threading
import time
from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

LINES = 10
CATEGORIES = ["tanks", "acv", "artillery"]


class Published:
    """The highest data version a write is known to have committed."""

    def __init__(self):
        self.version, self.lock = 0, threading.Lock()

    def raise_to(self, version: int) -> None:
        with self.lock:
            self.version = max(self.version, version)


@dataclass(frozen=True)
class Officer:
    party: str
    token: str
    sites: list[str]
    key: Ed25519PrivateKey


def enrol(count: int) -> list[Officer]:
    """``count`` officers, one party each in turn, with a token and a registered signing key (Django set up)."""
    from django.contrib.auth.models import User

    from accounts import tokens
    from accounts.models import Scope
    from tracker.ledger.signatures import fingerprint
    from tracker.models import Accreditation, SigningKey, Site, StateParty
    from tracker.roles import Role, create_groups

    officers_group = next(group for group in create_groups() if group.name == Role.OFFICER)
    parties = list(StateParty.objects.order_by("code"))
    officers = []
    for n in range(count):
        party = parties[n % len(parties)]
        user, _ = User.objects.get_or_create(username=f"bench-officer-{n}")
        user.groups.add(officers_group)
        Accreditation.objects.get_or_create(user=user, party=party)
        key = Ed25519PrivateKey.generate()
        public = key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        SigningKey.objects.create(public_key=public, fingerprint=fingerprint(public), party=party, user=user)
        sites = list(Site.objects.filter(party=party).order_by("code").values_list("code", flat=True)[:LINES])
        officers.append(Officer(party.code, tokens.issue(user, Scope.READ_WRITE)[1], sites, key))
    return officers


def signature(
    connection: http.client.HTTPConnection, headers: dict, reference: str, key: Ed25519PrivateKey
) -> str:
    """The Ed25519 signature, base64, over the draft's canonical bytes as the server answers them."""
    connection.request("GET", f"/api/notifications/{reference}/canonical/", headers=headers)
    response = connection.getresponse()
    body = response.read()
    if response.status != 200:
        raise http.client.HTTPException(f"canonical bytes: {response.status}")
    return base64.b64encode(key.sign(body)).decode()


def submit(
    connection: http.client.HTTPConnection, officer: Officer, reference: str, day: str, rng: random.Random
) -> tuple[object, int]:
    """Draft, sign, submit: the outcome (200 or what went wrong) and the data version committed."""
    headers = {"Authorization": f"Token {officer.token}", "Accept": "application/json"}
    draft = {
        "reference": reference,
        "party": officer.party,
        "kind": "change",
        "effective_date": day,
        # Distinct (site, category) pairs: two lines of the same would be refused as one declared twice.
        "lines": [
            {"site": site, "category": category, "quantity": rng.randint(0, 40)}
            for site, category in rng.sample(list(itertools.product(officer.sites, CATEGORIES)), LINES)
        ],
    }
    connection.request(
        "POST", "/api/notifications/", body=json.dumps(draft), headers={**headers, "Content-Type": "application/json"}
    )
    response = connection.getresponse()
    response.read()
    if response.status != 201:
        return response.status, 0
    signed = signature(connection, headers, reference, officer.key)
    body = json.dumps({"signature": signed})
    connection.request(
        "POST",
        f"/api/notifications/{reference}/submit/",
        body=body,
        headers={**headers, "Content-Type": "application/json"},
    )
    response = connection.getresponse()
    response.read()
    return response.status, int(response.getheader("X-Data-Version") or 0)


def write(port: int, officer: Officer, day: str, published: Published, results: list, stop: threading.Event, seed: int):
    """Submit a notification every second until ``stop``; (ms, outcome) per submission into ``results``."""
    rng, run = random.Random(seed), secrets.token_hex(3)
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    due, n = time.monotonic(), 0
    while not stop.is_set():
        n += 1
        start = time.perf_counter()
        try:
            outcome, version = submit(connection, officer, f"{officer.party}-LOAD-{run}-{n}", day, rng)
        except (OSError, http.client.HTTPException) as error:
            outcome, version = type(error).__name__, 0
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        if outcome == 200:
            published.raise_to(version)
        results.append(((time.perf_counter() - start) * 1000, outcome))
        due = max(due + 1, time.monotonic())
        stop.wait(due - time.monotonic())
    connection.close()
