"""Reference data: parties, groups, accreditations, holidays, categories and types, treaties and their ceilings.
Written by superusers only: the roles' groups carry no permission to change any of it."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext

from tracker.admin import names
from tracker.admin.audit import AuditedAdmin
from tracker.models import (
    Accreditation,
    Ceiling,
    ChangeThreshold,
    EquipmentCategory,
    EquipmentType,
    GroupMembership,
    Holiday,
    PartyGroup,
    StateParty,
    Treaty,
)


@admin.register(StateParty)
class StatePartyAdmin(admin.ModelAdmin):
    list_display = ["code", names.name]
    search_fields = ["code", *names.NAMES]


class GroupMembershipInline(admin.TabularInline):
    model = GroupMembership
    fields = ["stateparty", "valid_from", "valid_to"]
    autocomplete_fields = ["stateparty"]
    extra = 0


@admin.register(PartyGroup)
class PartyGroupAdmin(admin.ModelAdmin):
    list_display = [names.name]
    search_fields = [*names.NAMES, "members__code"]
    inlines = [GroupMembershipInline]


@admin.register(Accreditation)
class AccreditationAdmin(admin.ModelAdmin):
    list_display = ["user", "party"]

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)

    list_filter = ["party"]
    search_fields = ["user__username", "party__code"]


@admin.register(Holiday)
class HolidayAdmin(admin.ModelAdmin):
    list_display = ["date", "party", "name"]
    list_filter = ["party"]
    search_fields = ["name", "party__code"]
    date_hierarchy = "date"
    list_select_related = ["party"]


@admin.register(EquipmentCategory)
class EquipmentCategoryAdmin(admin.ModelAdmin):
    list_display = ["code", names.name]


@admin.register(EquipmentType)
class EquipmentTypeAdmin(AuditedAdmin):
    list_display = ["name", "category", "subtype", "calibre_mm", "range_km"]
    list_filter = ["category", "subtype"]
    search_fields = ["name", "source"]
    list_select_related = ["category"]


class CeilingInline(admin.TabularInline):
    model = Ceiling
    fields = [
        "zone",
        "category",
        "subtype",
        "applies_to",
        "party",
        "group",
        "limit",
        "temporary_allowance",
        "counting",
        "valid_from",
        "valid_to",
    ]
    extra = 0


class ChangeThresholdInline(admin.TabularInline):
    model = ChangeThreshold
    fields = ["party", "zone", "percent", "source"]
    extra = 0


@admin.register(Treaty)
class TreatyAdmin(admin.ModelAdmin):
    list_display = [
        names.name,
        "in_force_from",
        "in_force_to",
        "notification_deadline_days",
        "notification_deadline_unit",
        "change_threshold_percent",
        "object_notice_days",
        "challenge_excludes_declared_sites",
    ]
    search_fields = names.NAMES
    inlines = [CeilingInline, ChangeThresholdInline]


@admin.register(ChangeThreshold)
class ChangeThresholdAdmin(AuditedAdmin):
    list_display = ["party", "zone", "percent", "treaty", "source"]
    list_filter = ["treaty", "party"]
    search_fields = ["party__code", "zone__code", "source"]
    list_select_related = ["party", "zone", "treaty"]


class TypesOfCategoryForm(forms.ModelForm):
    """The types a ceiling or a distance rule names are of its category; the model's ``clean`` checks the subtype."""

    def clean(self) -> dict:
        cleaned = super().clean()
        category, types = cleaned.get("category"), cleaned.get("types")
        if category and types:
            others = sorted(kind.name for kind in types if kind.category_id != category.pk)
            if others:
                self.add_error(
                    "types",
                    gettext("%(types)s: not of category %(category)s")
                    % {"types": ", ".join(others), "category": category.code},
                )
        return cleaned


@admin.register(Ceiling)
class CeilingAdmin(AuditedAdmin):
    form = TypesOfCategoryForm
    filter_horizontal = ["types"]
    list_display = [
        "zone",
        "category",
        "subtype",
        "applies_to",
        "party",
        "group",
        "limit",
        "temporary_allowance",
        "counting",
        "treaty",
        "valid_from",
        "valid_to",
    ]
    list_filter = ["treaty", "zone", "category", "subtype", "applies_to", "counting"]
    search_fields = ["zone__code", "party__code", "group__name", "source"]
    list_select_related = ["zone", "category", "party", "group", "treaty"]
