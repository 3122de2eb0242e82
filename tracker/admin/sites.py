"""Declared sites on a map, with their objects of verification (Protocol on Inspection, Section I.1(J), (N))."""

from collections import Counter

from django import forms
from django.contrib import admin
from django.contrib.gis.geos import Point
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from tracker.admin import names
from tracker.admin.compliance import change_url
from tracker.admin.maps import MappedAdmin
from tracker.admin.scoping import LinesInline, PartyScopedAdmin
from tracker.declarations import record_number_errors
from tracker.models import ObjectOfVerification, Site
from tracker.roles import may_notify, party_of
from zones.models import Zone, ZoneVersion


class SiteForm(forms.ModelForm):
    """The site's point on the map, or typed as longitude/latitude; typed figures win when changed."""

    longitude = forms.FloatField(
        required=False,
        min_value=-180,
        max_value=180,
        label=_("Longitude"),
        help_text=_("Decimal degrees east of Greenwich (WGS 84)"),
    )
    latitude = forms.FloatField(
        required=False, min_value=-90, max_value=90, label=_("Latitude"), help_text=_("Decimal degrees north (WGS 84)")
    )

    class Meta:
        model = Site
        fields = ["party", "code", *names.NAMES, "unit", "storage_from", "storage_to", "location"]

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
                self.add_error(
                    "longitude" if longitude is None else "latitude", gettext("give both longitude and latitude")
                )
                return cleaned
            cleaned["location"] = Point(longitude, latitude, srid=4326)
        if cleaned.get("location") is None and not self.has_error("location"):
            self.add_error("location", gettext("place the site on the map or type its longitude and latitude"))
        return cleaned


def site_writable(request, site: Site | None) -> bool:
    return site is None or may_notify(request.user, site.party)


class ObjectsFormSet(forms.BaseInlineFormSet):
    """A site's objects of verification are its party's, each record number used once among the party's."""

    def clean(self) -> None:
        super().clean()
        if not self.instance.party_id:
            return  # the site's own form says what is missing
        written = [
            form for form in self.forms if form.is_valid() and form.cleaned_data and not self._should_delete_form(form)
        ]
        numbers = Counter(form.cleaned_data["record_number"] for form in written)
        for form in written:
            number = form.cleaned_data["record_number"]
            for refusal in record_number_errors(self.instance.party, number, form.instance.pk):
                form.add_error("record_number", refusal)
            if numbers[number] > 1:
                form.add_error("record_number", gettext("record number %(number)s is given twice") % {"number": number})

    def save_new(self, form, commit=True):
        form.instance.party = self.instance.party
        return super().save_new(form, commit)


class ObjectOfVerificationInline(LinesInline):
    model = ObjectOfVerification
    formset = ObjectsFormSet
    fields = ["record_number", "designation"]
    verbose_name_plural = _("objects of verification at this site")
    parent_writable = staticmethod(site_writable)

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)


class ObjectOfVerificationForm(forms.ModelForm):
    """Record numbers refused in the API's words."""

    def clean(self) -> dict:
        cleaned = super().clean()
        party, number = cleaned.get("party"), cleaned.get("record_number")
        if party and number:
            for refusal in record_number_errors(party, number, self.instance.pk):
                self.add_error("record_number", refusal)
        return cleaned


@admin.register(ObjectOfVerification)
class ObjectOfVerificationAdmin(PartyScopedAdmin):
    may_write = staticmethod(may_notify)
    form = ObjectOfVerificationForm
    fields = ["party", "record_number", "designation", "site"]
    list_display = ["record_number", "designation", "party", "site"]
    list_filter = ["party"]
    search_fields = ["record_number", "designation", "site__code"]
    list_select_related = ["party", "site"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "site":
            sites = Site.objects.select_related("party")
            kwargs["queryset"] = sites if request.user.is_superuser else sites.filter(party=party_of(request.user))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Site)
class SiteAdmin(MappedAdmin, PartyScopedAdmin):
    may_write = staticmethod(may_notify)
    form = SiteForm
    fieldsets = [
        (None, {"fields": ["party", "code", *names.NAMES, "unit"]}),
        (_("Location"), {"fields": ["location", ("longitude", "latitude"), "zones_today"]}),
        (_("Designated permanent storage site (CFE Art. II.1(H))"), {"fields": [("storage_from", "storage_to")]}),
    ]
    inlines = [ObjectOfVerificationInline]
    readonly_fields = ["zones_today"]
    list_display = ["code", names.name, "party", "unit", "storage_from", "storage_to"]
    list_filter = ["party"]
    search_fields = ["code", *names.NAMES, "unit"]
    list_select_related = ["party"]
    list_map_field = "location"

    class Media:
        js = ["tracker/site_coordinates.js"]

    @admin.display(description=_("inside zones today"))
    def zones_today(self, site: Site) -> str:
        if site.location is None:
            return "—"
        versions = ZoneVersion.objects.covering(site.location, timezone.localdate()).select_related("zone")
        links = [(change_url(Zone, version.zone_id), version.zone.code) for version in versions.order_by("zone__code")]
        return format_html_join(", ", '<a href="{}">{}</a>', links) or gettext("none")

    # Shown in place of the typed fields when the form is read only.
    @admin.display(description=_("longitude"))
    def longitude(self, site: Site) -> str:
        return f"{site.location.x:.6f}"

    @admin.display(description=_("latitude"))
    def latitude(self, site: Site) -> str:
        return f"{site.location.y:.6f}"
