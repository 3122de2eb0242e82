"""Inspection reports with what the team observed beside what had been declared, their attachments and
signatures (Protocol on Inspection, Section XII); observations."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from tracker import attachments, reports
from tracker.admin import signing
from tracker.admin.attachments import ReportAttachmentInline
from tracker.admin.maps import MappedAdmin
from tracker.admin.scoping import LinesInline, PartyScopedAdmin, ReadScopedAdmin
from tracker.api.signing import canonical_response
from tracker.compliance import declared_where_inspected
from tracker.ledger import records
from tracker.models import (
    Answer,
    Inspection,
    InspectionFinding,
    InspectionRequest,
    Observation,
    ReportAttachment,
    ReportStatus,
)
from tracker.roles import may_change_observation, may_escort, may_report_inspection, party_of
from zones.geometry import SPECIFIED_AREA_MAX_KM2, SPECIFIED_AREA_MAX_SPAN_KM


def reporting(request, inspection: Inspection | None) -> bool:
    """A report is written by inspectors of the inspecting party, while it is a draft."""
    return inspection is None or (
        inspection.status == ReportStatus.DRAFT and may_report_inspection(request.user, inspection.inspecting_party)
    )


def declared_there(inspection: Inspection) -> dict[int, int]:
    """Per category id; kept on the report the table's rows share, so the table asks the database once."""
    if not hasattr(inspection, "declared_there"):
        inspection.declared_there, _, _ = declared_where_inspected(inspection)
    return inspection.declared_there


class InspectionFindingInline(LinesInline):
    model = InspectionFinding
    parent_writable = staticmethod(reporting)
    verbose_name = _("observed quantity")
    verbose_name_plural = _("observed quantities, beside what the inspected party had declared there")
    fields = ["category", "observed", "declared", "difference"]
    readonly_fields = ["declared", "difference"]

    @admin.display(description=_("declared on the inspection date"))
    def declared(self, finding: InspectionFinding) -> int | str:
        if finding.pk is None:
            return "—"
        return declared_there(finding.inspection).get(finding.category_id, 0)

    @admin.display(description=_("observed − declared"))
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
        (None, {"fields": ["reference", "request", "kind", ("inspecting_party", "inspected_party"), "date"]}),
        (
            _("Where"),
            {
                "fields": ["site", "area"],
                "description": format_lazy(
                    _(
                        "A declared-site inspection names the site; a challenge inspection draws its specified area "
                        "(at most {area:g} km², no two points more than {span:g} km apart)."
                    ),
                    area=SPECIFIED_AREA_MAX_KM2,
                    span=SPECIFIED_AREA_MAX_SPAN_KM,
                ),
            },
        ),
        (_("Report"), {"fields": [("arrived_at", "departed_at"), "team", "ambiguities"]}),
        (
            _("Signatures"),
            {
                "fields": [
                    "status",
                    ("signed_by", "signed_at"),
                    ("countersigned_by", "countersigned_at"),
                    "escort_comments",
                ],
                "description": _(
                    "The team leader signs the report and so hands it to the escort, who countersigns it "
                    "with its comments within the hour (Protocol on Inspection, Section XII.1-2); signed, it is no "
                    "longer changed, and countersigned, the database locks it."
                ),
            },
        ),
    ]
    readonly_fields = ["status", "signed_by", "signed_at", "countersigned_by", "countersigned_at", "escort_comments"]
    list_display = ["reference", "kind", "inspecting_party", "inspected_party", "date", "site", "status"]
    list_filter = ["status", "kind", "inspecting_party", "inspected_party"]
    search_fields = ["reference", "site__code", "ambiguities"]
    date_hierarchy = "date"
    list_select_related = ["inspecting_party", "inspected_party", "site"]
    autocomplete_fields = ["site"]
    inlines = [InspectionFindingInline, ReportAttachmentInline]
    history_method = "references"

    def writes_for(self, request, obj) -> bool:
        return reporting(request, obj)

    def get_urls(self):
        def posted(view):
            return self.admin_site.admin_view(require_POST(view))

        return [
            path("<path:object_id>/sign/", posted(self.sign_view), name="tracker_inspection_sign"),
            path("<path:object_id>/countersign/", posted(self.countersign_view), name="tracker_inspection_countersign"),
            path(
                "<path:object_id>/countersign/canonical/",
                posted(self.countersignature_view),
                name="tracker_inspection_countersignature",
            ),
            path(
                "<path:object_id>/attachments/<int:attachment_id>/",
                self.admin_site.admin_view(self.attachment_view),
                name="tracker_inspection_attachment",
            ),
            *super().get_urls(),
        ]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "request":
            # A report answers its own party's request: of the requests the user may see, those it made.
            requests = InspectionRequest.objects.visible_to(request.user).exclude(answer=Answer.REFUSED)
            if not request.user.is_superuser:
                requests = requests.filter(inspecting_party=party_of(request.user))
            kwargs["queryset"] = requests.select_related("inspected_party")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["may_sign"] = obj is not None and reporting(request, obj)
        context["may_countersign"] = (
            obj is not None and obj.status == ReportStatus.SIGNED and may_escort(request.user, obj.inspected_party)
        )
        if context["may_sign"]:
            context["signing"] = signing.block(records.of_report(obj).canonical, prefix="sign-")
        if context["may_countersign"]:
            url = reverse("admin:tracker_inspection_countersignature", args=[obj.pk])
            context["countersigning"] = signing.block(preview_url=url, prefix="countersign-")
        return super().render_change_form(request, context, add, change, form_url, obj)

    def _report(self, request, object_id) -> Inspection:
        return get_object_or_404(self.get_queryset(request), pk=object_id)

    def _step(self, request, report: Inspection, step, *args) -> HttpResponseRedirect:
        try:
            step(report, request.user, *args, signed=signing.posted(request))
        except PermissionDenied as error:
            messages.error(request, str(error))
        except ValidationError as error:
            messages.error(request, signing.said(error))
        else:
            report.refresh_from_db()
            messages.success(
                request,
                gettext("Report %(reference)s is now %(status)s.")
                % {"reference": report.reference, "status": report.get_status_display()},
            )
        return HttpResponseRedirect(reverse("admin:tracker_inspection_change", args=[report.pk]))

    def sign_view(self, request, object_id):
        return self._step(request, self._report(request, object_id), reports.sign)

    def countersign_view(self, request, object_id):
        comments = request.POST.get("escort_comments", "")
        return self._step(request, self._report(request, object_id), reports.countersign, comments)

    def countersignature_view(self, request, object_id):
        """The countersignature's canonical form with the comments as written so far: what the escort signs."""
        report = self._report(request, object_id)
        return canonical_response(reports.countersignature_canonical(report, request.POST.get("escort_comments", "")))

    def attachment_view(self, request, object_id, attachment_id):
        report = self._report(request, object_id)
        visible = ReportAttachment.objects.visible_to(request.user).filter(inspection=report)
        return attachments.download(get_object_or_404(visible, pk=attachment_id))

    def save_formset(self, request, form, formset, change) -> None:
        if formset.model is ReportAttachment:
            for attachment_form in formset.extra_forms:
                if attachment_form.has_changed():
                    attachment_form.instance.attached_by = request.user
        super().save_formset(request, form, formset, change)

    class Media:
        js = ["tracker/inspection_kind.js", signing.SCRIPT]
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
