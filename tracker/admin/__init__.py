"""The inspectors' admin: maps in forms, the notification workflow, per-party writing, the audit trail."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from tracker.admin import (
    alerts,
    concerns,
    findings,
    inspection_requests,
    inspections,
    ledger,
    lines,
    notifications,
    planning,
    reference,
    sites,
    zones,
)

__all__ = [
    "findings",
    "concerns",
    "alerts",
    "inspection_requests",
    "inspections",
    "ledger",
    "lines",
    "notifications",
    "planning",
    "reference",
    "sites",
    "zones",
]

admin.site.site_header = _("Treaty-compliance tracker")
admin.site.site_title = _("Treaty-compliance tracker")
admin.site.index_title = _("Zones, ceilings, notifications and inspections")
