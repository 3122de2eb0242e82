"""The demo accounts `make run` creates for local use, and telling them apart from real ones.

They share one published TOTP secret, so the demo logs in through the same second-factor step as
production. Both their passwords and that secret are public: the deploy check refuses to serve
a database that still has either (accounts/checks.py).
"""

import base64

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

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
