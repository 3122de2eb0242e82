from django.contrib import admin

from tracker.admin.audit import AuditedAdmin
from tracker.admin.maps import MappedAdmin
from zones.models import Zone, ZoneVersion


class ZoneVersionInline(admin.TabularInline):
    model = ZoneVersion
    fields = ["valid_from", "valid_to", "source"]
    extra = 0
    show_change_link = True


@admin.register(Zone)
class ZoneAdmin(AuditedAdmin):
    list_display = ["code", "name", "kind"]
    list_filter = ["kind"]
    search_fields = ["code", "name"]
    inlines = [ZoneVersionInline]


@admin.register(ZoneVersion)
class ZoneVersionAdmin(MappedAdmin):
    list_display = ["zone", "valid_from", "valid_to"]
    list_filter = ["zone__kind", "zone"]
    search_fields = ["zone__code", "zone__name", "source"]
    list_select_related = ["zone"]
