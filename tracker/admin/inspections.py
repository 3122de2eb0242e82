"""Inspection reports with what the team observed beside what had been declared; observations."""

from django.contrib import admin

from tracker.admin.maps import MappedAdmin
from tracker.admin.scoping import LinesInline, PartyScopedAdmin, ReadScopedAdmin
from tracker.compliance import declared_where_inspected
from tracker.models import Inspection, InspectionFinding, Observation
from tracker.roles import may_change_observation, may_report_inspection
from zones.geometry import SPECIFIED_AREA_MAX_KM2, SPECIFIED_AREA_MAX_SPAN_KM


def reporting(request, inspection: Inspection | None) -> bool:
    """A report is written by inspectors of the inspecting party."""
    return inspection is None or may_report_inspection(request.user, inspection.inspecting_party)


def declared_there(inspection: Inspection) -> dict[int, int]:
    """Per category id; kept on the report the table's rows share, so the table asks the database once."""
    if not hasattr(inspection, "declared_there"):
        inspection.declared_there, _, _ = declared_where_inspected(inspection)
    return inspection.declared_there


class InspectionFindingInline(LinesInline):
    model = InspectionFinding
    parent_writable = staticmethod(reporting)
    verbose_name = "observed quantity"
    verbose_name_plural = "observed quantities, beside what the inspected party had declared there"
    fields = ["category", "observed", "declared", "difference"]
    readonly_fields = ["declared", "difference"]

    @admin.display(description="declared on the inspection date")
    def declared(self, finding: InspectionFinding) -> int | str:
        if finding.pk is None:
            return "—"
        return declared_there(finding.inspection).get(finding.category_id, 0)

    @admin.display(description="observed − declared")
    def difference(self, finding: InspectionFinding) -> str:
        if finding.pk is None:
            return "—"
        difference = finding.observed - declared_there(finding.inspection).get(finding.category_id, 0)
        return f"{difference:+d}" if difference else "0"


@admin.register(Inspection)
class InspectionAdmin(MappedAdmin, PartyScopedAdmin):
    may_write = staticmethod(may_report_inspection)
    party_field = "inspecting_party"
    fieldsets = [
        (None, {"fields": ["reference", "kind", ("inspecting_party", "inspected_party"), "date"]}),
        (
            "Where",
            {
                "fields": ["site", "area"],
                "description": "A declared-site inspection names the site; a challenge inspection draws its "
                f"specified area (at most {SPECIFIED_AREA_MAX_KM2:g} km², no two points more than "
                f"{SPECIFIED_AREA_MAX_SPAN_KM:g} km apart).",
            },
        ),
        ("Report", {"fields": [("arrived_at", "departed_at"), "team", "ambiguities"]}),
    ]
    list_display = ["reference", "kind", "inspecting_party", "inspected_party", "date", "site"]
    list_filter = ["kind", "inspecting_party", "inspected_party"]
    search_fields = ["reference", "site__code", "ambiguities"]
    date_hierarchy = "date"
    list_select_related = ["inspecting_party", "inspected_party", "site"]
    autocomplete_fields = ["site"]
    inlines = [InspectionFindingInline]

    class Media:
        js = ["tracker/inspection_kind.js"]
        css = {"all": ["tracker/admin.css"]}


@admin.register(Observation)
class ObservationAdmin(MappedAdmin, ReadScopedAdmin):
    list_display = ["reference", "observed_on", "category", "count", "party", "confidence", "source"]
    list_filter = ["category", "party", "source"]
    search_fields = ["reference", "source"]
    date_hierarchy = "observed_on"
    list_select_related = ["category", "party"]
    list_map_field = "location"

    def has_change_permission(self, request, obj=None) -> bool:
        return super().has_change_permission(request, obj) and (
            obj is None or may_change_observation(request.user, obj)
        )

    def has_delete_permission(self, request, obj=None) -> bool:
        return super().has_delete_permission(request, obj) and (
            obj is None or may_change_observation(request.user, obj)
        )

    def save_model(self, request, obj, form, change) -> None:
        if not change:
            obj.recorded_by = request.user
        super().save_model(request, obj, form, change)
