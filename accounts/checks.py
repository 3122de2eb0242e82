from django.core.checks import Error, Tags, register
from django.db import connection

from accounts import demo

FIX = (
    "Give each a password of its own (manage.py changepassword USERNAME) and remove its demo device in the admin, "
    "or remove the demo accounts: manage.py remove_demo_users."
)


@register(Tags.security, Tags.database, deploy=True)
def no_demo_accounts(app_configs=None, databases=None, **kwargs) -> list[Error]:
    """A database made by `make run` keeps the demo logins (admin/admin…) and their published TOTP secret."""
    if not databases or "default" not in databases:
        return []
    if "auth_user" not in connection.introspection.table_names():
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
