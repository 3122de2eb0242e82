"""Lines of contact with their dated courses, and the distance rules measured from them (Minsk II, 2015,
Package of Measures §2: heavy weapons withdrawn by equal distances on either side of the line).

Reference data like the zones: written by superusers only, read by every role."""

from decimal import Decimal

from django import forms
from django.contrib import admin
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from tracker.admin import names
from tracker.admin.audit import AuditedAdmin
from tracker.admin.maps import MappedAdmin, VersionsInline
from tracker.admin.reference import TypesOfCategoryForm
from tracker.admin.scoping import SHORT_TEXT_AREAS
from tracker.models import DistanceRule
from zones.models import ContactLine, ContactLineVersion


class ContactLineVersionInline(VersionsInline):
    model = ContactLineVersion
    formfield_overrides = SHORT_TEXT_AREAS


class DistanceRuleForm(TypesOfCategoryForm):
    def clean_distance_km(self) -> Decimal:
        distance = self.cleaned_data["distance_km"]
        if distance <= 0:
            raise forms.ValidationError(gettext("a distance from the line must be above 0 km"))
        return distance


class DistanceRuleInline(admin.TabularInline):
    model = DistanceRule
    form = DistanceRuleForm
    fields = ["treaty", "distance_km", "category", "subtype", "min_calibre_mm", "valid_from", "valid_to"]
    extra = 0
    show_change_link = True


@admin.register(ContactLine)
class ContactLineAdmin(AuditedAdmin):
    list_display = ["code", names.name]
    search_fields = ["code", *names.NAMES]
    fields = ["code", *names.NAMES, "description"]
    formfield_overrides = SHORT_TEXT_AREAS
    inlines = [ContactLineVersionInline, DistanceRuleInline]


@admin.register(ContactLineVersion)
class ContactLineVersionAdmin(MappedAdmin):
    list_display = ["line", "valid_from", "valid_to"]
    list_filter = ["line"]
    search_fields = ["line__code", "line__name", "source"]
    list_select_related = ["line"]
    formfield_overrides = SHORT_TEXT_AREAS


@admin.register(DistanceRule)
class DistanceRuleAdmin(AuditedAdmin):
    form = DistanceRuleForm
    filter_horizontal = ["types"]
    list_display = [
        "treaty",
        "line",
        "distance_km",
        "category",
        "subtype",
        "type_names",
        "min_calibre_mm",
        "valid_from",
        "valid_to",
    ]
    list_filter = ["treaty", "line", "category", "subtype"]
    search_fields = ["line__code", "types__name", "source"]
    list_select_related = ["treaty", "line", "category"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("types")

    @admin.display(description=_("types"))
    def type_names(self, rule: DistanceRule) -> str:
        return ", ".join(kind.name for kind in rule.types.all()) or "—"
