"""Zones and their dated versions in the admin, each zone with its ceilings' status today."""

from django.contrib import admin
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from tracker.admin import names
from tracker.admin.audit import AuditedAdmin
from tracker.admin.compliance import change_url
from tracker.admin.maps import MappedAdmin, VersionsInline
from tracker.admin.scoping import SHORT_TEXT_AREAS
from tracker.compliance import zone_status
from tracker.models import Ceiling
from zones.models import Zone, ZoneVersion


class ZoneVersionInline(VersionsInline):
    model = ZoneVersion
    formfield_overrides = SHORT_TEXT_AREAS


@admin.register(Zone)
class ZoneAdmin(AuditedAdmin):
    list_display = ["code", names.name, "kind"]
    list_filter = ["kind"]
    search_fields = ["code", *names.NAMES]
    fields = ["code", *names.NAMES, "kind", "description", "ceilings_today"]
    readonly_fields = ["ceilings_today"]
    formfield_overrides = SHORT_TEXT_AREAS
    inlines = [ZoneVersionInline]

    @admin.display(description=_("ceilings in force today"))
    def ceilings_today(self, zone: Zone) -> str:
        if zone.pk is None:
            return "—"
        statuses = zone_status(zone, timezone.localdate())
        if not statuses:
            return gettext("No ceiling in force today.")
        rows = format_html_join(
            "",
            '<tr><td><a href="{}">{}</a></td><td>{}</td><td>{}</td><td>{}</td>'
            '<td class="number">{}</td><td class="number">{}</td><td class="number{}">{}</td></tr>',
            (
                (
                    change_url(Ceiling, status.ceiling),
                    status.category,
                    status.party or status.applies_to,
                    status.counting,
                    status.treaty,
                    status.counted,
                    status.limit,
                    " over-limit" if status.headroom < 0 else "",
                    status.headroom,
                )
                for status in statuses
            ),
        )
        return format_html(
            '<table class="ceiling-status"><thead><tr><th>{}</th><th>{}</th><th>{}</th>'
            '<th>{}</th><th class="number">{}</th><th class="number">{}</th>'
            '<th class="number">{}</th></tr></thead><tbody>{}</tbody></table>',
            gettext("Category"),
            gettext("Holder"),
            gettext("Counts"),
            gettext("Treaty"),
            gettext("Counted"),
            gettext("Limit"),
            gettext("Headroom"),
            rows,
        )

    class Media:
        css = {"all": ["tracker/admin.css"]}


@admin.register(ZoneVersion)
class ZoneVersionAdmin(MappedAdmin):
    list_display = ["zone", "valid_from", "valid_to"]
    list_filter = ["zone__kind", "zone"]
    search_fields = ["zone__code", "zone__name", "zone__name_uk", "zone__name_ru", "source"]
    list_select_related = ["zone"]
