"""Maps in the admin: Leaflet widgets in forms, and a small map above lists of located objects."""

from django.contrib import admin
from leaflet.admin import LeafletGeoAdminMixin

from tracker.admin.audit import AuditedAdmin


class MappedAdmin(LeafletGeoAdminMixin, AuditedAdmin):
    """Geometry fields drawn on a Leaflet map; with ``list_map_field`` the list shows its page on a map."""

    list_map_field: str | None = None

    class Media:
        js = ["tracker/map_words.js"]

    @property
    def change_list_template(self) -> str | None:
        return "admin/change_list_with_map.html" if self.list_map_field else None


class VersionsInline(admin.TabularInline):
    """A record's dated versions listed under it; each is drawn, and so added, on its own page with the map."""

    fields = ["valid_from", "valid_to", "source"]
    extra = 0
    show_change_link = True

    def has_add_permission(self, request, obj=None) -> bool:
        return False
