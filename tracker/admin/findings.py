"""The findings register in the admin: read only, each finding's period, grade and state, filtered; a finding
whose evidence names a report or request the reader may not see is left out, as in the API."""

from django.contrib import admin

from tracker import findings_register
from tracker.admin.audit import AuditedAdmin
from tracker.admin.scoping import ReadOnlyAdmin
from tracker.models import Finding


@admin.register(Finding)
class FindingAdmin(ReadOnlyAdmin, AuditedAdmin):
    list_display = [
        "kind",
        "grade",
        "state",
        "zone",
        "party",
        "category",
        "counted",
        "limit",
        "first_seen",
        "last_seen",
        "resolved_on",
    ]
    list_filter = ["grade", "state", "kind", "zone", ("resolved_on", admin.EmptyFieldListFilter)]
    search_fields = ["key", "party", "zone"]
    date_hierarchy = "first_seen"
    readonly_fields = [field.name for field in Finding._meta.fields]
    exclude = ["geometry"]

    def get_queryset(self, request):
        return findings_register.readable(super().get_queryset(request), request.user)
