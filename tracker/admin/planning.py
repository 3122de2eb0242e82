"""The planning desk: inspection plans shared within a group, with what they clash with and what they
would take beyond the quotas; the passive quotas parties announced."""

from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from tracker.admin.maps import MappedAdmin
from tracker.admin.scoping import PartyScopedAdmin, ReadScopedAdmin
from tracker.inspection_quotas import plan_warnings
from tracker.models import InspectionRequest, ObjectOfVerification, PassiveQuota, PlannedInspection
from tracker.models.parties import visible_records
from tracker.roles import may_plan_inspection
from zones.geometry import SPECIFIED_AREA_MAX_KM2, SPECIFIED_AREA_MAX_SPAN_KM


@admin.register(PlannedInspection)
class PlannedInspectionAdmin(MappedAdmin, PartyScopedAdmin):
    may_write = staticmethod(may_plan_inspection)
    party_field = "planning_party"
    fieldsets = [
        (None, {"fields": ["treaty", "kind", ("planning_party", "inspected_party"), ("window_from", "window_to")]}),
        (
            _("What"),
            {
                "fields": ["object_of_verification", "area"],
                "description": format_lazy(
                    _(
                        "A declared-site inspection names the object of verification; a challenge inspection draws "
                        "its specified area (at most {area:g} km², no two points more than {span:g} km apart)."
                    ),
                    area=SPECIFIED_AREA_MAX_KM2,
                    span=SPECIFIED_AREA_MAX_SPAN_KM,
                ),
            },
        ),
        (None, {"fields": ["shared", "note"]}),
    ]
    list_display = [
        "__str__",
        "kind",
        "object_of_verification",
        "window_from",
        "window_to",
        "shared",
        "conflicts",
    ]
    list_filter = ["kind", "planning_party", "inspected_party", "shared"]
    search_fields = ["note", "object_of_verification__record_number", "planning_party__code", "inspected_party__code"]
    date_hierarchy = "window_from"
    list_select_related = ["planning_party", "inspected_party", "object_of_verification"]

    class Media:
        js = ["tracker/inspection_kind.js"]
        css = {"all": ["tracker/admin.css"]}

    def get_queryset(self, request):
        return super().get_queryset(request).with_conflicts(visible_records(InspectionRequest, request.user))

    @admin.display(description=_("conflicts with"))
    def conflicts(self, plan: PlannedInspection) -> str:
        """Other plans and requests on the same target in days of its window: for the planners to settle."""
        plans = [
            format_html(
                gettext("<a href='{url}'>plan #{number}</a>"),
                url=reverse("admin:tracker_plannedinspection_change", args=[other]),
                number=other,
            )
            for other in plan.conflicting_plans
        ]
        requests = [format_html(gettext("request {}"), reference) for reference in plan.conflicting_requests]
        return format_html_join(", ", "{}", ([item] for item in plans + requests)) or "—"

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "object_of_verification":
            kwargs["queryset"] = ObjectOfVerification.objects.visible_to(request.user).select_related("party")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change) -> None:
        if not change:
            obj.planned_by = request.user
        super().save_model(request, obj, form, change)
        for warning in plan_warnings(obj):
            messages.warning(request, warning)


@admin.register(PassiveQuota)
class PassiveQuotaAdmin(ReadScopedAdmin):
    """Announced with each annual exchange (Final Document 1996, Annex B §13) and read by every role;
    recorded by the administrators."""

    list_display = ["party", "year", "announced", "treaty", "source"]
    list_filter = ["treaty", "year", "party"]
    search_fields = ["party__code", "source"]
    list_select_related = ["party", "treaty"]

    def get_queryset(self, request):
        return visible_records(PassiveQuota, request.user).select_related("party", "treaty")
