"""The audit trail in the admin: pghistory's events, recorded by database triggers, read only.

Django's own "History" reads the admin's LogEntry, which misses bulk updates, raw SQL and
commands; every tracked model's "History" opens pghistory's events for the object instead.
"""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from pghistory import config
from pghistory.admin import EventsAdmin

from tracker.models.audit import audited_record, visible_events


def events_url(obj, back: str = "", method: str = "tracks") -> str:
    """The admin's list of events that track ``obj`` (or, ``method="references"``, also those of the records
    naming it, such as a report's findings and attachments): who changed it, when, and what."""
    events = config.admin_queryset().model._meta
    query = {"method": method, "obj": f"{obj._meta.label}:{obj.pk}"}
    if back:
        query["back"] = back
    return f"{reverse(f'admin:{events.app_label}_{events.model_name}_changelist')}?{urlencode(query)}"


class AuditedAdmin(admin.ModelAdmin):
    history_method = "tracks"

    def history_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, object_id)
        if obj is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        return redirect(events_url(obj, back=request.path.removesuffix("history/"), method=self.history_method))


class AuditTrailAdmin(EventsAdmin):
    """pghistory's read-only events admin, in words a monitor reads without a glossary.

    Each event is read under the rule of the record it shows (``visible_events``); asking for the
    events of a record one may not read is answered as if it did not exist.
    """

    def get_queryset(self, request):
        return visible_events(super().get_queryset(request), request.user)

    def get_object(self, request, object_id, from_field=None):
        event = super().get_object(request, object_id, from_field)
        if event is None:
            raise Http404(gettext("no audit event %(id)s among those you may see") % {"id": object_id})
        return event

    def changelist_view(self, request, extra_context=None):
        if "obj" in request.GET:
            label, _, pk = request.GET["obj"].partition(":")
            if audited_record(label, pk, request.user) is None:
                raise Http404(gettext("no record %(record)s among those you may see") % {"record": request.GET["obj"]})
        return super().changelist_view(request, extra_context)

    def get_list_display(self, request) -> list[str]:
        return ["when", "user", "change", "record", "what_changed", "url"]

    @admin.display(description=_("when"), ordering="pgh_created_at")
    def when(self, event):
        return event.pgh_created_at

    @admin.display(description=_("change"))
    def change(self, event) -> str:
        return event.pgh_label

    @admin.display(description=_("record"))
    def record(self, event) -> str:
        return f"{event.pgh_obj_model} {event.pgh_obj_id}"

    @admin.display(description=_("what changed"))
    def what_changed(self, event) -> str:
        if event.pgh_obj_model == "tracker.ReportAttachment":
            data = event.pgh_data
            return format_html(
                gettext("{name} ({size} bytes), SHA-256 {sha256}"),
                name=data["name"],
                size=data["size"],
                sha256=data["sha256"],
            )
        if not event.pgh_diff:
            return "—"
        return format_html_join(
            mark_safe("<br>"), "{}: {} → {}", ((field, old, new) for field, (old, new) in event.pgh_diff.items())
        )
