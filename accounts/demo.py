"""The demo accounts `make run` creates for local use, and telling them apart from real ones.

They share one published TOTP secret, so the demo logs in through the same second-factor step as
production. Each officer and inspector signs with a published Ed25519 key (fixtures/demo_keys/<account>.pem,
registered as a demo key). Their passwords, that secret and those keys are public: the deploy check refuses
to serve a database that still has any of them in force (accounts/checks.py).
"""

import base64
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import F, Q, QuerySet
from django.db.models.functions import Greatest
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tracker.ledger import signatures
from tracker.models import SigningKey, StateParty
from tracker.roles import Role

ADMIN = ("admin", "admin")
DEMO_PASSWORD = "demo"
DEMO_USERS = [
    ("officer-ukr", Role.OFFICER, "UKR"),
    ("officer-rus", Role.OFFICER, "RUS"),
    ("inspector-ukr", Role.INSPECTOR, "UKR"),
    ("inspector-rus", Role.INSPECTOR, "RUS"),
    ("analyst", Role.ANALYST, None),
    ("monitor", Role.MONITOR, None),
]
PASSWORDS = {ADMIN[0]: ADMIN[1]} | {username: DEMO_PASSWORD for username, _, _ in DEMO_USERS}
TOTP_KEY = b"treaty-demo-only-key".hex()
TOTP_SECRET = base64.b32encode(bytes.fromhex(TOTP_KEY)).decode()


def current_code() -> str:
    return f"{TOTP(bytes.fromhex(TOTP_KEY)).token():06d}"


def give_demo_device(user: AbstractBaseUser) -> None:
    TOTPDevice.objects.get_or_create(user=user, key=TOTP_KEY, defaults={"name": "demo", "confirmed": True})


def with_demo_password() -> list[AbstractBaseUser]:
    candidates = get_user_model().objects.filter(username__in=PASSWORDS)
    return [user for user in candidates if user.check_password(PASSWORDS[user.username])]


def still_demo() -> QuerySet:
    """Accounts whose demo password still works, or that log in with a device holding the demo secret."""
    users = get_user_model().objects
    return users.filter(pk__in=[user.pk for user in with_demo_password()]) | users.filter(
        pk__in=TOTPDevice.objects.filter(key=TOTP_KEY).values("user")
    )


def public_key_in(path: Path) -> bytes:
    """The public half of the Ed25519 private key in the PEM file at ``path``; ValueError if it holds none."""
    return signatures.public_of(signatures.private_key(path.read_bytes()))


def register_demo_keys() -> list[SigningKey]:
    """Register each demo account's published key (``DEMO_KEYS_DIR/<account>.pem``) for its party, as a demo
    key; accounts without a party, or whose party is not loaded yet, get none."""
    registered = []
    for username, _, party_code in DEMO_USERS:
        path = Path(settings.DEMO_KEYS_DIR) / f"{username}.pem"
        party = StateParty.objects.filter(code=party_code).first() if party_code else None
        if party is None or not path.is_file():
            continue
        public = public_key_in(path)
        key, _ = SigningKey.objects.get_or_create(
            fingerprint=signatures.fingerprint(public),
            defaults={
                "public_key": public,
                "party": party,
                "user": get_user_model().objects.get(username=username),
                "demo": True,
            },
        )
        registered.append(key)
    return registered


def unrevoked_demo_keys() -> QuerySet:
    """Demo keys in force, or to come into force: anyone can sign with them."""
    return SigningKey.objects.filter(Q(revoked_at__isnull=True) | Q(revoked_at__gt=timezone.now()), demo=True)


def revoke_demo_keys() -> int:
    """Revoke every demo key still in force: what it signed before stays (named demo-signed), nothing after is
    accepted; one to come into force is revoked from its first moment."""
    keys = SigningKey.objects.filter(demo=True, revoked_at__isnull=True)
    return keys.update(revoked_at=Greatest(F("valid_from"), timezone.now()))
