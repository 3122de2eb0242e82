"""Inspection requests in the admin: each side writes its own moments (``tracker.roles.request_fields``),
each request shows its time limits as of today, and a month's calendar shows where every team is."""

import calendar
import datetime
from dataclasses import dataclass

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.forms.models import construct_instance
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from django.utils.text import capfirst, format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from tracker import inspection_requests
from tracker.admin.maps import MappedAdmin
from tracker.admin.scoping import SHORT_TEXT_AREAS, ReadScopedAdmin
from tracker.compliance.inspection_timelines import MOMENTS, limits_today
from tracker.models import Answer, Inspection, InspectionRequest, StateParty
from tracker.roles import REQUEST_IDENTITY, may_report_inspection, party_of, request_fields
from zones.geometry import SPECIFIED_AREA_MAX_KM2, SPECIFIED_AREA_MAX_SPAN_KM


class TeamField(forms.CharField):
    """The team's names, one per line."""

    widget = forms.Textarea(attrs={"rows": 5, "cols": 40})

    def prepare_value(self, value):
        return "\n".join(value) if isinstance(value, list) else value

    def to_python(self, value) -> list[str]:
        return [line.strip() for line in (value or "").splitlines() if line.strip()]


class InspectionRequestForm(forms.ModelForm):
    team = TeamField(required=False, label=_("Team"), help_text=_("One inspector per line"))

    class Meta:
        model = InspectionRequest
        fields = [
            "reference",
            "treaty",
            "inspecting_party",
            "inspected_party",
            "kind",
            "notified_at",
            "point_of_entry",
            "estimated_arrival",
            "team",
            "acknowledged_at",
            "arrived_at",
            "designated_at",
            "object_of_verification",
            "area",
            "answer",
            "answered_at",
            "assurance",
            "departed_at",
        ]

    def _post_clean(self):
        # The checks the API makes, by field; the model's own would repeat them in other words.
        self.instance = construct_instance(self, self.instance, self.fields)
        for field, messages in inspection_requests.request_errors(self.instance).items():
            for message in messages:
                self.add_error(
                    field if field in self.fields else None, message if field in self.fields else f"{field}: {message}"
                )


@dataclass(frozen=True)
class Day:
    date: datetime.date
    in_month: bool
    requests: list[tuple[InspectionRequest, str, str]]


# Where a request stands, by the name its calendar style goes by.
STATES = {
    "notified": _("notified"),
    "in country": _("in country"),
    "done": _("done"),
    "refused": _("refused"),
}


def state(request: InspectionRequest) -> str:
    """Where the request stands: refused, done (the team left), in country, or notified."""
    if request.answer == Answer.REFUSED:
        return "refused"
    if request.departed_at:
        return "done"
    return "in country" if request.arrived_at else "notified"


def days_of(request: InspectionRequest, today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """From the estimated arrival (or the arrival, if earlier) to the departure; a team in country and not
    yet departed until today, at most the treaty's longest in-country period."""
    start = timezone.localdate(min(m for m in (request.estimated_arrival, request.arrived_at) if m))
    if request.departed_at:
        return start, timezone.localdate(request.departed_at)
    last = max(m for m in (request.estimated_arrival, request.arrived_at, request.designated_at) if m)
    end = timezone.localdate(last)
    if request.arrived_at and request.answer != Answer.REFUSED:
        longest = timezone.localdate(request.arrived_at) + datetime.timedelta(days=request.treaty.in_country_max_days)
        end = max(end, min(today, longest))
    return start, end


def shown(moment: datetime.datetime | None) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M %Z") if moment else "—"


def month_of(text: str | None) -> datetime.date:
    try:
        return datetime.date.fromisoformat(f"{text}-01")
    except (TypeError, ValueError):
        return timezone.localdate().replace(day=1)


@admin.register(InspectionRequest)
class InspectionRequestAdmin(MappedAdmin, ReadScopedAdmin):
    form = InspectionRequestForm
    formfield_overrides = SHORT_TEXT_AREAS
    fieldsets = [
        (
            _("Notification of intent (Protocol on Inspection, Section IV.2)"),
            {
                "fields": [
                    "reference",
                    "treaty",
                    ("inspecting_party", "inspected_party"),
                    "kind",
                    ("notified_at", "estimated_arrival"),
                    "point_of_entry",
                    "team",
                ]
            },
        ),
        (
            _("Escort: acknowledgement (IV.4) and answer (VIII.5, VIII.9)"),
            {"fields": ["acknowledged_at", ("answer", "answered_at"), "assurance"]},
        ),
        (
            _("In country: arrival, designation (VII.7, VIII.2(B)) and departure"),
            {
                "fields": ["arrived_at", "designated_at", "object_of_verification", "area", "departed_at"],
                "description": format_lazy(
                    _(
                        "A declared-site inspection designates an object of verification of the inspected party; a "
                        "challenge inspection draws its specified area (at most {area:g} km², no two points more than "
                        "{span:g} km apart)."
                    ),
                    area=SPECIFIED_AREA_MAX_KM2,
                    span=SPECIFIED_AREA_MAX_SPAN_KM,
                ),
            },
        ),
        (_("Time limits as of today"), {"fields": ["time_limits"]}),
        (_("Reports (Protocol on Inspection, Section XII)"), {"fields": ["reports"]}),
    ]
    list_display = ["reference", "kind", "inspecting_party", "inspected_party", "estimated_arrival", "answer", "state"]
    list_filter = ["kind", "answer", "inspecting_party", "inspected_party"]
    search_fields = ["reference", "point_of_entry"]
    date_hierarchy = "notified_at"
    list_select_related = ["inspecting_party", "inspected_party"]
    autocomplete_fields = ["object_of_verification"]

    class Media:
        css = {"all": ["tracker/admin.css"]}

    def writable(self, request, obj: InspectionRequest | None) -> frozenset[str]:
        if obj is None:
            return request_fields(request.user, party_of(request.user), None, recorded=False)
        return request_fields(request.user, obj.inspecting_party, obj.inspected_party, recorded=True)

    def get_readonly_fields(self, request, obj=None) -> list[str]:
        every = InspectionRequestForm.Meta.fields
        writable = self.writable(request, obj)
        if obj is None:
            writable |= REQUEST_IDENTITY
        return [field for field in every if field not in writable] + ["time_limits", "reports"]

    def has_add_permission(self, request) -> bool:
        return super().has_add_permission(request) and (request.user.is_superuser or bool(self.writable(request, None)))

    def has_change_permission(self, request, obj=None) -> bool:
        return super().has_change_permission(request, obj) and (obj is None or bool(self.writable(request, obj)))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "inspecting_party" and not request.user.is_superuser:
            kwargs["queryset"] = StateParty.objects.filter(accreditations__user=request.user)
            kwargs["initial"] = party_of(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change) -> None:
        values = {field: getattr(obj, field) for field in form.changed_data if field in form.fields}
        inspection_requests.record(request.user, values, obj)

    @admin.display(description=_("state"))
    def state(self, obj: InspectionRequest) -> str:
        return STATES[state(obj)]

    @admin.display(description=_("reports"))
    def reports(self, obj: InspectionRequest | None) -> str:
        """The reports of the request the reader may see, and for its team a link to write the next one: each
        object of verification or area inspected is one report (Sections II.13, XII.1)."""
        if obj is None or obj.pk is None:
            return "—"
        user = obj.reader
        written = format_html_join(
            ", ",
            '<a href="{}">{}</a> ({})',
            (
                (
                    reverse("admin:tracker_inspection_change", args=[report.pk]),
                    report.reference,
                    report.get_status_display(),
                )
                for report in Inspection.objects.visible_to(user).filter(request=obj).order_by("date", "reference")
            ),
        )
        if obj.answer == Answer.REFUSED or not may_report_inspection(user, obj.inspecting_party):
            return written or "—"
        site = obj.object_of_verification.site_id if obj.object_of_verification else ""
        initial = {
            "request": obj.pk,
            "kind": obj.kind,
            "inspecting_party": obj.inspecting_party_id,
            "inspected_party": obj.inspected_party_id,
            "site": site,
        }
        add = f"{reverse('admin:tracker_inspection_add')}?{urlencode({k: v for k, v in initial.items() if v})}"
        return format_html(
            '{}{}<a class="addlink" href="{}">{}</a>', written, " · " if written else "", add, gettext("Write a report")
        )

    def get_object(self, request, object_id, from_field=None):
        found = super().get_object(request, object_id, from_field)
        if found is not None:
            found.reader = request.user  # the reports field shows only the reports this user may see
        return found

    @admin.display(description=_("time limits"))
    def time_limits(self, obj: InspectionRequest | None) -> str:
        if obj is None or obj.pk is None:
            return "—"
        moments = format_html_join(
            "",
            "<tr><th>{}</th><td>{}</td></tr>",
            (
                (capfirst(InspectionRequest._meta.get_field(name).verbose_name), shown(getattr(obj, name)))
                for name in MOMENTS
            ),
        )
        limits = format_html_join(
            "",
            '<tr class="{}"><td>{}</td><td>{}</td><td class="number">{}</td><td>{}</td></tr>',
            (
                (
                    limit.state,
                    limit.measured,
                    limit.limit,
                    "—" if limit.hours is None else f"{limit.hours:g} h",
                    limit.state,
                )
                for limit in limits_today([obj]).get(obj.reference, [])
            ),
        )
        return format_html(
            '<table class="timeline"><tbody>{}</tbody></table>'
            '<table class="time-limits"><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead>'
            "<tbody>{}</tbody></table>",
            moments,
            gettext("measured"),
            gettext("limit"),
            gettext("hours"),
            gettext("state"),
            limits,
        )

    def get_urls(self):
        calendar_view = self.admin_site.admin_view(self.calendar_view)
        return [path("calendar/", calendar_view, name="tracker_inspectionrequest_calendar"), *super().get_urls()]

    def calendar_view(self, request) -> TemplateResponse:
        """The month's requests the user may see, each on its days from estimated arrival to departure."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        first = month_of(request.GET.get("month"))
        weeks = calendar.Calendar().monthdatescalendar(first.year, first.month)
        start, end = weeks[0][0], weeks[-1][-1]
        margin = datetime.timedelta(days=1)  # local dates of UTC moments
        today = timezone.localdate()
        requests = [
            (r, *days_of(r, today))
            for r in self.get_queryset(request)
            .filter(estimated_arrival__date__lte=end + margin)
            .exclude(departed_at__date__lt=start - margin)
            .select_related("treaty", "inspecting_party", "inspected_party")
            .order_by("estimated_arrival", "reference")
        ]
        for r, *_days in requests:
            r.state_label = STATES[state(r)]  # where it stands, in the reader's words: the days' tooltips say it
        change = "admin:tracker_inspectionrequest_change"
        grid = [
            [
                Day(
                    day,
                    day.month == first.month,
                    [
                        (r, state(r).replace(" ", "-"), reverse(change, args=[r.pk]))
                        for r, begins, ends in requests
                        if begins <= day <= ends
                    ],
                )
                for day in week
            ]
            for week in weeks
        ]
        previous = (first - datetime.timedelta(days=1)).replace(day=1)
        following = (first + datetime.timedelta(days=32)).replace(day=1)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("Inspection calendar: %(month)s") % {"month": date_format(first, "F Y")},
            "month": first,
            "weeks": grid,
            "weekdays": [date_format(weeks[0][n], "D") for n in range(7)],
            "previous": previous.strftime("%Y-%m"),
            "following": following.strftime("%Y-%m"),
            "states": STATES.items(),
            "today": today,
        }
        return TemplateResponse(request, "admin/tracker/inspectionrequest/calendar.html", context)
