"""Reference data: parties, groups, accreditations, categories, treaties and their ceilings."""

from django.contrib import admin

from tracker.admin.audit import AuditedAdmin
from tracker.models import Accreditation, Ceiling, EquipmentCategory, GroupMembership, PartyGroup, StateParty, Treaty


@admin.register(StateParty)
class StatePartyAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


class GroupMembershipInline(admin.TabularInline):
    model = GroupMembership
    fields = ["stateparty", "valid_from", "valid_to"]
    autocomplete_fields = ["stateparty"]
    extra = 0


@admin.register(PartyGroup)
class PartyGroupAdmin(admin.ModelAdmin):
    list_display = ["name"]
    search_fields = ["name", "members__code"]
    inlines = [GroupMembershipInline]


@admin.register(Accreditation)
class AccreditationAdmin(admin.ModelAdmin):
    list_display = ["user", "party"]

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)

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
class CeilingAdmin(AuditedAdmin):
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
