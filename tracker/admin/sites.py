from django import forms
from django.contrib import admin
from django.contrib.gis.geos import Point
from django.utils import timezone
from django.utils.html import format_html_join

from tracker.admin.compliance import change_url
from tracker.admin.maps import MappedAdmin
from tracker.admin.scoping import PartyScopedAdmin
from tracker.models import Site
from tracker.roles import may_notify
from zones.models import Zone, ZoneVersion


class SiteForm(forms.ModelForm):
    """The site's point on the map, or typed as longitude/latitude; typed figures win when changed."""

    longitude = forms.FloatField(
        required=False, min_value=-180, max_value=180, help_text="Decimal degrees east of Greenwich (WGS 84)"
    )
    latitude = forms.FloatField(required=False, min_value=-90, max_value=90, help_text="Decimal degrees north (WGS 84)")

    class Meta:
        model = Site
        fields = ["party", "code", "name", "unit", "location"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "location" in self.fields:
            self.fields["location"].required = False
        if self.instance.location is not None:
            self.initial["longitude"] = self.instance.location.x
            self.initial["latitude"] = self.instance.location.y

    def clean(self) -> dict:
        cleaned = super().clean()
        if self.has_error("longitude") or self.has_error("latitude"):
            return cleaned
        if {"longitude", "latitude"} & set(self.changed_data):
            longitude, latitude = cleaned.get("longitude"), cleaned.get("latitude")
            if longitude is None or latitude is None:
                self.add_error("longitude" if longitude is None else "latitude", "give both longitude and latitude")
                return cleaned
            cleaned["location"] = Point(longitude, latitude, srid=4326)
        if cleaned.get("location") is None and not self.has_error("location"):
            self.add_error("location", "place the site on the map or type its longitude and latitude")
        return cleaned


@admin.register(Site)
class SiteAdmin(MappedAdmin, PartyScopedAdmin):
    may_write = staticmethod(may_notify)
    form = SiteForm
    fieldsets = [
        (None, {"fields": ["party", "code", "name", "unit"]}),
        ("Location", {"fields": ["location", ("longitude", "latitude"), "zones_today"]}),
    ]
    readonly_fields = ["zones_today"]
    list_display = ["code", "name", "party", "unit"]
    list_filter = ["party"]
    search_fields = ["code", "name", "unit"]
    list_select_related = ["party"]
    list_map_field = "location"

    class Media:
        js = ["tracker/site_coordinates.js"]

    @admin.display(description="inside zones today")
    def zones_today(self, site: Site) -> str:
        if site.location is None:
            return "—"
        versions = ZoneVersion.objects.covering(site.location, timezone.localdate()).select_related("zone")
        links = [(change_url(Zone, version.zone_id), version.zone.code) for version in versions.order_by("zone__code")]
        return format_html_join(", ", '<a href="{}">{}</a>', links) or "none"

    # Shown in place of the typed fields when the form is read only.
    @admin.display(description="longitude")
    def longitude(self, site: Site) -> str:
        return f"{site.location.x:.6f}"

    @admin.display(description="latitude")
    def latitude(self, site: Site) -> str:
        return f"{site.location.y:.6f}"
