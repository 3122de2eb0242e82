import datetime

import pghistory
from django.conf import settings
from django.contrib.gis.db import models
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tracker.dates import validate_plausible
from tracker.models.parties import StateParty, readable
from tracker.models.treaties import EquipmentCategory
from zones.geometry import coordinate_errors, validity_errors


class ObservationQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ObservationQuerySet":
        return readable(self, user)


@pghistory.track()
class Observation(models.Model):
    """Equipment seen by satellite or other national technical means, as an analyst read it."""

    reference = models.CharField(max_length=64, unique=True, verbose_name=_("reference"))
    source = models.CharField(
        max_length=200, help_text=_("e.g. satellite imagery, with provider and scene"), verbose_name=_("source")
    )
    observed_on = models.DateField(validators=[validate_plausible], verbose_name=_("observed on"))
    location = models.PointField(srid=4326, spatial_index=True, verbose_name=_("location"))
    category = models.ForeignKey(
        EquipmentCategory, on_delete=models.PROTECT, related_name="+", verbose_name=_("category")
    )
    count = models.PositiveIntegerField(verbose_name=_("count"))
    confidence = models.FloatField(
        validators=[MinValueValidator(0.0), MaxValueValidator(1.0)], verbose_name=_("confidence")
    )
    footprint = models.PolygonField(
        srid=4326,
        null=True,
        blank=True,
        help_text=_("The ground the count covers, when the sensor gives one"),
        verbose_name=_("footprint"),
    )
    accuracy_m = models.FloatField(
        null=True,
        blank=True,
        validators=[MinValueValidator(0.0)],
        help_text=_("Position accuracy, metres (1σ)"),
        verbose_name=_("accuracy m"),
    )
    sensor = models.CharField(
        max_length=200,
        blank=True,
        help_text=_("Platform and instrument, e.g. Sentinel-2B MSI"),
        verbose_name=_("sensor"),
    )
    acquired_at = models.DateTimeField(
        null=True, blank=True, help_text=_("When the scene or image was taken"), verbose_name=_("acquired at")
    )
    party = models.ForeignKey(
        StateParty,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="observations",
        help_text=_("The party the analyst attributes the equipment to; empty when unknown"),
        verbose_name=_("party"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The analyst who recorded it; only they (or an analyst of their party) change or delete it"),
        verbose_name=_("recorded by"),
    )

    objects = ObservationQuerySet.as_manager()

    class Meta:
        verbose_name = _("observation")
        verbose_name_plural = _("observations")
        ordering = ["-observed_on", "reference"]
        constraints = [
            models.CheckConstraint(
                name="observation_confidence_in_0_1", condition=Q(confidence__gte=0, confidence__lte=1)
            ),
            models.CheckConstraint(name="observation_count_not_negative", condition=Q(count__gte=0)),
        ]

    def __str__(self) -> str:
        return f"{self.reference} ({self.observed_on})"

    def clean(self) -> None:
        errors = {}
        if self.location is not None and (located := coordinate_errors(self.location)):
            errors["location"] = located
        if self.footprint is not None:
            footprint = validity_errors(self.footprint) or footprint_errors(self.footprint, self.location)
            if footprint:
                errors["footprint"] = footprint
        if self.acquired_at is not None and self.observed_on is not None:
            taken = self.acquired_at.astimezone(datetime.UTC).date()
            if taken != self.observed_on:
                errors["acquired_at"] = _("taken on %(taken)s (UTC), not on the day observed, %(observed)s") % {
                    "taken": taken.isoformat(),
                    "observed": self.observed_on.isoformat(),
                }
        if errors:
            raise ValidationError(errors)


def footprint_errors(footprint, location) -> list[str]:
    """A usable footprint holds the observation's point, boundary included."""
    if location is not None and not footprint.covers(location):
        return [_("does not hold the observation's point (%(x).6f, %(y).6f)") % {"x": location.x, "y": location.y}]
    return []
