from pathlib import Path

from django.conf import settings
from django.core.checks import Error, Tags, register
from django.db import connection

from accounts import demo

FIX = (
    "Give each a password of its own (manage.py changepassword USERNAME) and remove its demo device in the admin, "
    "or remove the demo accounts: manage.py remove_demo_users."
)
KEY_FIX = (
    "Revoke them (manage.py remove_demo_users revokes every demo key along with the demo accounts); what they signed "
    "stays in the ledger, named as demo-signed."
)
TRACKER_KEY_FIX = (
    "Give the tracker a key of its own: openssl genpkey -algorithm ed25519 -out /etc/tracker/ledger.pem, and set "
    "TRACKER_LEDGER_KEY_FILE to that file."
)


def migrated(table: str) -> bool:
    return table in connection.introspection.table_names()


@register(Tags.security, Tags.database, deploy=True)
def no_demo_accounts(app_configs=None, databases=None, **kwargs) -> list[Error]:
    """A database made by `make run` keeps the demo logins (admin/admin…) and their published TOTP secret."""
    if not databases or "default" not in databases:
        return []
    if not migrated("auth_user"):
        return []  # not migrated yet: no accounts at all
    names = sorted(demo.still_demo().values_list("username", flat=True))
    if not names:
        return []
    return [
        Error(
            f"demo accounts with their published password or second factor: {', '.join(names)}",
            hint=FIX,
            id="accounts.E001",
        )
    ]


@register(Tags.security, Tags.database, deploy=True)
def no_demo_keys(app_configs=None, databases=None, **kwargs) -> list[Error]:
    """The demo's signing keys are published (fixtures/demo_keys): whatever they sign, anyone could have signed."""
    if not databases or "default" not in databases or not migrated("tracker_signingkey"):
        return []
    keys = demo.unrevoked_demo_keys().select_related("party", "user")
    owners = sorted(f"{key.user.get_username() if key.user_id else 'tracker'} ({key.fingerprint[:16]})" for key in keys)
    if not owners:
        return []
    return [Error(f"demo signing keys in force: {', '.join(owners)}", hint=KEY_FIX, id="accounts.E002")]


@register(Tags.security, deploy=True)
def no_demo_tracker_key(app_configs=None, **kwargs) -> list[Error]:
    """The tracker's key signs the tree heads every party relies on; the demo's is published."""
    ours, published = Path(settings.LEDGER_KEY_FILE), Path(settings.DEMO_KEYS_DIR) / "tracker.pem"
    if not ours.is_file() or not published.is_file():
        return []
    try:
        same = ours.resolve() == published.resolve() or demo.public_key_in(ours) == demo.public_key_in(published)
    except ValueError as error:
        return [Error(f"LEDGER_KEY_FILE ({ours}) is not an Ed25519 private key: {error}", id="accounts.E004")]
    if not same:
        return []
    return [
        Error(
            f"LEDGER_KEY_FILE ({ours}) is the demo tracker key, published in {published.parent}",
            hint=TRACKER_KEY_FIX,
            id="accounts.E003",
        )
    ]
