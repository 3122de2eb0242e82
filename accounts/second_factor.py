"""Who must give a second factor, and checking the code they give.

Every user who writes (notifying officers, inspectors, analysts) and every superuser confirms a TOTP
device (an authenticator app) and gives its six-digit code at each login; monitors, who only read,
sign in with their password alone. An eight-character recovery code (a static device, each code
good once) stands in for the app when the phone is lost.
"""

from django.contrib.auth.models import AbstractBaseUser
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tracker.roles import WRITES

WRITING_ROLES = [role for role, writes in WRITES.items() if writes]
RECOVERY_CODES = 10


def required(user: AbstractBaseUser) -> bool:
    """A superuser, or a user in any role that writes."""
    if not user.is_authenticated:
        return False
    return user.is_superuser or user.groups.filter(name__in=WRITING_ROLES).exists()


def enrolled(user: AbstractBaseUser) -> bool:
    return user_has_device(user, confirmed=True)


def passed(user: AbstractBaseUser) -> bool:
    """True for a user who needs no second factor, or whose session was verified by one."""
    return not required(user) or bool(getattr(user, "is_verified", lambda: False)())


def verify(user: AbstractBaseUser, code: str) -> Device | None:
    """The confirmed device that accepts ``code``: six digits ask the app, anything else a recovery code.

    Only one device is asked, so a mistyped code counts against that device's throttle alone.
    """
    code = (code or "").strip().replace(" ", "")
    model = TOTPDevice if len(code) == 6 and code.isdigit() else StaticDevice
    for device in model.objects.devices_for_user(user, confirmed=True):
        allowed, _ = device.verify_is_allowed()
        if allowed and device.verify_token(code):
            return device
    return None


def pending_device(user: AbstractBaseUser) -> TOTPDevice:
    """The unconfirmed authenticator being enrolled (made on the first visit, the same on a reload)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)


def confirm(request: HttpRequest, device: TOTPDevice, code: str) -> list[str] | None:
    """Confirm ``device`` when ``code`` is its current code; returns the new recovery codes, shown once."""
    if not device.verify_token((code or "").strip()):
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    recovery, _ = StaticDevice.objects.get_or_create(user=device.user, name="recovery codes")
    recovery.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=recovery, token=code) for code in codes)
    otp_login(request, device)
    return codes


def verify_at_login(request: HttpRequest, user: AbstractBaseUser, code: str) -> Device | None:
    """``verify``, where a wrong code also counts as a failed login towards the lock-out."""
    device = verify(user, code)
    if device is None:
        user_login_failed.send(sender=__name__, credentials={"username": user.get_username()}, request=request)
    return device
