"""The audit trail in the admin: pghistory's events, recorded by database triggers, read only.

Django's own "History" reads the admin's LogEntry, which misses bulk updates, raw SQL and
commands; every tracked model's "History" opens pghistory's events for the object instead.
"""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from pghistory import config


def events_url(obj, back: str = "") -> str:
    """The admin's list of events that track ``obj``: who changed it, when, and what."""
    events = config.admin_queryset().model._meta
    query = {"method": "tracks", "obj": f"{obj._meta.label}:{obj.pk}"}
    if back:
        query["back"] = back
    return f"{reverse(f'admin:{events.app_label}_{events.model_name}_changelist')}?{urlencode(query)}"


class AuditedAdmin(admin.ModelAdmin):
    def history_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, object_id)
        if obj is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        return redirect(events_url(obj, back=request.path.removesuffix("history/")))
