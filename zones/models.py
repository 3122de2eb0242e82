"""Zones and their versions.

A zone (``IV.2``, ``FLANK``, ``DMZ``) is what ceilings refer to; its shape lives in versions.
A redefinition — the 1996 Flank Document moved oblasts out of the flank — is a new version
from its date, and every as-of question reads the version in force on that date. A version's
geometry is the whole area its zone's ceilings apply to, so the treaty's nesting of zones is
plain spatial containment and a site on a boundary counts as inside (``ST_Intersects``).
"""

import datetime

import pghistory
from django.contrib.gis.db import models
from django.contrib.gis.db.models.functions import AsGeoJSON, GeomOutputGeoFunc
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import RangeOperators
from django.core.exceptions import ValidationError
from django.db.models import Func, Value
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zones.geometry import validity_errors
from zones.in_force import VALID, InForceQuerySet
from zones.names import name_in, names_in_languages


class DateRange(Func):
    """``daterange(valid_from, valid_to, '[]')``: both ends inclusive, NULL open."""

    function = "DATERANGE"
    template = "%(function)s(%(expressions)s, '[]')"
    output_field = models.DateField()


class ZoneKind(models.TextChoices):
    AREA_OF_APPLICATION = "area_of_application", _("area of application")
    NESTED = "nested", _("nested zone")
    FLANK = "flank", _("flank")
    NATIONAL_TERRITORY = "national_territory", _("national territory")
    DEMILITARIZED = "demilitarized", _("demilitarized zone")
    LIMITATION = "limitation", _("limitation zone")


@pghistory.track()
class Zone(models.Model):
    code = models.CharField(max_length=32, unique=True, help_text=_("e.g. IV.1, FLANK, DMZ"), verbose_name=_("code"))
    name = models.CharField(max_length=200, verbose_name=pgettext_lazy("of a record", "name"))
    name_uk, name_ru = names_in_languages()
    kind = models.CharField(max_length=32, choices=ZoneKind.choices, verbose_name=_("kind"))
    description = models.TextField(blank=True, verbose_name=_("description"))

    class Meta:
        verbose_name = _("zone")
        verbose_name_plural = _("zones")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} — {name_in(self)}"


def one_version_in_force(name: str, owner: str, message: str) -> ExclusionConstraint:
    """The database's refusal of two versions of one ``owner`` in force on the same day."""
    return ExclusionConstraint(
        name=name,
        expressions=[(owner, RangeOperators.EQUAL), (DateRange("valid_from", "valid_to"), RangeOperators.OVERLAPS)],
        violation_error_message=message,
    )


def clean_version_geometry(geom) -> None:
    """A version's geometry is stored in EPSG:4326, valid, within the vertex limit."""
    if geom is None:
        return
    if geom.srid not in (None, 4326):
        raise ValidationError({"geom": _("geometry must be in EPSG:4326, not EPSG:%(srid)s") % {"srid": geom.srid}})
    errors = validity_errors(geom)
    if errors:
        raise ValidationError({"geom": errors})


class ZoneVersionQuerySet(InForceQuerySet):
    def covering(self, point, day: datetime.date) -> "ZoneVersionQuerySet":
        """Versions in force on ``day`` whose area holds ``point``, boundary included."""
        return self.in_force(day).filter(geom__intersects=point)

    def with_map_geojson(self, simplify: float | None, precision: int | None) -> "ZoneVersionQuerySet":
        """Each outline as GeoJSON text (``map_geojson``), ``simplify``'d (degrees) and rounded to ``precision``.

        Done by PostGIS in C: for a map, the text is all that is needed of the geometry.
        """
        # A one-part outline comes back from simplifying as a lone Polygon: it stays a MultiPolygon.
        geom = Multi(SimplifyPreserveTopology("geom", Value(simplify))) if simplify else "geom"
        return self.annotate(map_geojson=AsGeoJSON(geom, precision=FULL_PRECISION if precision is None else precision))


# Coordinates keep every digit a double carries unless fewer are asked for.
FULL_PRECISION = 15


class SimplifyPreserveTopology(GeomOutputGeoFunc):
    function = "ST_SimplifyPreserveTopology"


class Multi(GeomOutputGeoFunc):
    function = "ST_Multi"


@pghistory.track()
class ZoneVersion(models.Model):
    zone = models.ForeignKey(Zone, on_delete=models.CASCADE, related_name="versions", verbose_name=_("zone"))
    geom = models.MultiPolygonField(srid=4326, spatial_index=True, verbose_name=_("geom"))
    valid_from = models.DateField(
        null=True, blank=True, help_text=_("First day in force; empty: always"), verbose_name=_("valid from")
    )
    valid_to = models.DateField(
        null=True, blank=True, help_text=_("Last day in force; empty: open"), verbose_name=_("valid to")
    )
    source = models.TextField(blank=True, help_text=_("Where the boundary comes from"), verbose_name=_("source"))

    objects = ZoneVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("zone version")
        verbose_name_plural = _("zone versions")
        ordering = ["zone__code", "valid_from"]
        constraints = [
            VALID.in_order("zone_version_dates_in_order"),
            one_version_in_force(
                "one_zone_version_in_force",
                "zone",
                _("another version of this zone is in force on some of these dates"),
            ),
        ]

    def __str__(self) -> str:
        start = self.valid_from or "…"
        end = self.valid_to or "…"
        return f"{self.zone.code} ({start} – {end})"

    def clean(self) -> None:
        clean_version_geometry(self.geom)


@pghistory.track()
class ContactLine(models.Model):
    """A line that rules measure distances from: a line of contact, a border. Its course lives in versions."""

    code = models.CharField(max_length=32, unique=True, help_text=_("e.g. LOC-2025"), verbose_name=_("code"))
    name = models.CharField(max_length=200, verbose_name=pgettext_lazy("of a record", "name"))
    name_uk, name_ru = names_in_languages()
    description = models.TextField(blank=True, verbose_name=_("description"))

    class Meta:
        verbose_name = _("contact line")
        verbose_name_plural = _("contact lines")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} — {name_in(self)}"


@pghistory.track()
class ContactLineVersion(models.Model):
    line = models.ForeignKey(ContactLine, on_delete=models.CASCADE, related_name="versions", verbose_name=_("line"))
    geom = models.MultiLineStringField(srid=4326, spatial_index=True, verbose_name=_("geom"))
    valid_from = models.DateField(
        null=True, blank=True, help_text=_("First day in force; empty: always"), verbose_name=_("valid from")
    )
    valid_to = models.DateField(
        null=True, blank=True, help_text=_("Last day in force; empty: open"), verbose_name=_("valid to")
    )
    source = models.TextField(
        blank=True, help_text=_("Where the course of the line comes from"), verbose_name=_("source")
    )

    objects = InForceQuerySet.as_manager()

    class Meta:
        verbose_name = _("contact line version")
        verbose_name_plural = _("contact line versions")
        ordering = ["line__code", "valid_from"]
        constraints = [
            VALID.in_order("contact_line_version_dates_in_order"),
            one_version_in_force(
                "one_contact_line_version_in_force",
                "line",
                _("another version of this line is in force on some of these dates"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.line.code} ({self.valid_from or '…'} – {self.valid_to or '…'})"

    def clean(self) -> None:
        clean_version_geometry(self.geom)
