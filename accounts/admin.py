from django.contrib import admin

from accounts.models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens by their first characters: the secret is never stored, and its digest is not shown either.

    New tokens come from /api/auth/login/ or `manage.py create_api_token`; here they are only seen and revoked.
    """

    list_display = ["token_key", "user", "scope", "created", "expiry"]
    list_filter = ["scope"]
    search_fields = ["user__username", "token_key"]
    fields = ["token_key", "user", "scope", "created", "expiry"]
    readonly_fields = fields

    @admin.display(description="begins with")
    def token_key(self, token: ApiToken) -> str:
        return f"{token.token_key[:8]}…"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
