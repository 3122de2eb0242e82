"""Maps in the admin: Leaflet widgets in forms, and a small map above lists of located objects."""

from leaflet.admin import LeafletGeoAdminMixin

from tracker.admin.audit import AuditedAdmin


class MappedAdmin(LeafletGeoAdminMixin, AuditedAdmin):
    """Geometry fields drawn on a Leaflet map; with ``list_map_field`` the list shows its page on a map."""

    list_map_field: str | None = None

    @property
    def change_list_template(self) -> str | None:
        return "admin/change_list_with_map.html" if self.list_map_field else None
