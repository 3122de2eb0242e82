from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts and API tokens")

    def ready(self) -> None:
        from accounts import checks, schema, tokens  # noqa: F401  (the deploy check, the schema's token, the signals)


class AdminConfig(admin_apps.AdminConfig):
    """Django's admin on the site that asks for the second factor (accounts.admin_site)."""

    default = False
    default_site = "accounts.admin_site.AdminSite"
