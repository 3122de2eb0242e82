from django.contrib import admin
from leaflet.admin import LeafletGeoAdmin

from tracker.models import (
    Accreditation,
    Ceiling,
    EquipmentCategory,
    Holding,
    Inspection,
    InspectionFinding,
    Notification,
    Observation,
    PartyGroup,
    Site,
    StateParty,
    Treaty,
)


@admin.register(StateParty)
class StatePartyAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(PartyGroup)
class PartyGroupAdmin(admin.ModelAdmin):
    list_display = ["name"]
    search_fields = ["name", "members__code"]
    filter_horizontal = ["members"]


@admin.register(Accreditation)
class AccreditationAdmin(admin.ModelAdmin):
    list_display = ["user", "party"]
    list_filter = ["party"]
    search_fields = ["user__username", "party__code"]


@admin.register(EquipmentCategory)
class EquipmentCategoryAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]


class CeilingInline(admin.TabularInline):
    model = Ceiling
    fields = ["zone", "category", "applies_to", "party", "group", "limit", "counting", "valid_from", "valid_to"]
    extra = 0


@admin.register(Treaty)
class TreatyAdmin(admin.ModelAdmin):
    list_display = ["name", "in_force_from", "in_force_to", "notification_deadline_days"]
    search_fields = ["name"]
    inlines = [CeilingInline]


@admin.register(Ceiling)
class CeilingAdmin(admin.ModelAdmin):
    list_display = [
        "zone",
        "category",
        "applies_to",
        "party",
        "group",
        "limit",
        "counting",
        "treaty",
        "valid_from",
        "valid_to",
    ]
    list_filter = ["treaty", "zone", "category", "applies_to", "counting"]
    search_fields = ["zone__code", "party__code", "group__name", "source"]
    list_select_related = ["zone", "category", "party", "group", "treaty"]


@admin.register(Site)
class SiteAdmin(LeafletGeoAdmin):
    list_display = ["code", "name", "party", "unit"]
    list_filter = ["party"]
    search_fields = ["code", "name", "unit"]
    list_select_related = ["party"]


class HoldingInline(admin.TabularInline):
    model = Holding
    fields = ["site", "category", "quantity", "status"]
    autocomplete_fields = ["site"]
    extra = 0


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["reference", "party", "kind", "effective_date", "status", "submitted_at"]
    list_filter = ["status", "kind", "party"]
    search_fields = ["reference", "party__code"]
    date_hierarchy = "effective_date"
    list_select_related = ["party"]
    inlines = [HoldingInline]


@admin.register(Holding)
class HoldingAdmin(admin.ModelAdmin):
    list_display = ["site", "category", "quantity", "status", "notification", "effective_from", "effective_to"]
    list_filter = ["category", "status", "site__party"]
    search_fields = ["site__code", "notification__reference"]
    list_select_related = ["site", "category", "notification"]


class InspectionFindingInline(admin.TabularInline):
    model = InspectionFinding
    extra = 0


@admin.register(Inspection)
class InspectionAdmin(LeafletGeoAdmin):
    list_display = ["reference", "kind", "inspecting_party", "inspected_party", "date", "site"]
    list_filter = ["kind", "inspecting_party", "inspected_party"]
    search_fields = ["reference", "site__code", "ambiguities"]
    date_hierarchy = "date"
    list_select_related = ["inspecting_party", "inspected_party", "site"]
    inlines = [InspectionFindingInline]


@admin.register(Observation)
class ObservationAdmin(LeafletGeoAdmin):
    list_display = ["reference", "observed_on", "category", "count", "party", "confidence", "source"]
    list_filter = ["category", "party", "source"]
    search_fields = ["reference", "source"]
    date_hierarchy = "observed_on"
    list_select_related = ["category", "party"]


admin.site.site_header = "Treaty-compliance tracker"
admin.site.site_title = "Treaty-compliance tracker"
admin.site.index_title = "Zones, ceilings, notifications and inspections"
