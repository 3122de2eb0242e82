from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from accounts.models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens by their first characters: the secret is never stored, and its digest is not shown either.

    New tokens come from /api/auth/login/ or `manage.py create_api_token`; here they are only seen and revoked.
    """

    list_display = ["begins_with", "user", "scope", "created", "expiry"]
    list_filter = ["scope"]
    search_fields = ["user__username"]
    fields = ["begins_with", "user", "scope", "created", "expiry"]
    readonly_fields = fields

    @admin.display(description=_("begins with"))
    def begins_with(self, token: ApiToken) -> str:
        return token.beginning

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
