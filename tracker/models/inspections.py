import pghistory
from django.contrib.gis.db import models
from django.core.exceptions import ValidationError
from django.db.models import Q

from tracker.dates import validate_plausible
from tracker.models.declarations import Site
from tracker.models.parties import Role, StateParty, party_of, readable, roles_of
from tracker.models.treaties import EquipmentCategory
from zones.geometry import specified_area_errors


class InspectionKind(models.TextChoices):
    DECLARED_SITE = "declared_site", "declared-site inspection"
    CHALLENGE = "challenge", "challenge inspection within a specified area"


def reads_only_own_inspections(user) -> bool:
    """An inspector with no other role reads only the reports their own party made."""
    return not user.is_superuser and roles_of(user) == {Role.INSPECTOR}


class InspectionQuerySet(models.QuerySet):
    def visible_to(self, user) -> "InspectionQuerySet":
        own = Q(inspecting_party=party_of(user)) if reads_only_own_inspections(user) else None
        return readable(self, user, own)


class InspectionFindingQuerySet(models.QuerySet):
    def visible_to(self, user) -> "InspectionFindingQuerySet":
        own = Q(inspection__inspecting_party=party_of(user)) if reads_only_own_inspections(user) else None
        return readable(self, user, own)


@pghistory.track()
class Inspection(models.Model):
    """An inspection report: what a team of the inspecting party saw, and where."""

    reference = models.CharField(max_length=64, unique=True)
    inspecting_party = models.ForeignKey(StateParty, on_delete=models.PROTECT, related_name="inspections_made")
    inspected_party = models.ForeignKey(StateParty, on_delete=models.PROTECT, related_name="inspections_received")
    kind = models.CharField(max_length=16, choices=InspectionKind.choices)
    date = models.DateField(validators=[validate_plausible], help_text="The day the inspection took place")
    arrived_at = models.DateTimeField(null=True, blank=True, validators=[validate_plausible])
    departed_at = models.DateTimeField(null=True, blank=True, validators=[validate_plausible])
    team = models.TextField(blank=True, help_text="Inspectors, one per line (at most 9)")
    site = models.ForeignKey(Site, null=True, blank=True, on_delete=models.PROTECT, related_name="inspections")
    area = models.PolygonField(
        srid=4326, null=True, blank=True, spatial_index=True, help_text="The specified area of a challenge inspection"
    )
    ambiguities = models.TextField(blank=True, help_text="Unresolved ambiguities and their clarifications")

    objects = InspectionQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "reference"]
        constraints = [
            models.CheckConstraint(
                name="inspection_has_site_or_area",
                condition=Q(kind="declared_site", site__isnull=False, area__isnull=True)
                | Q(kind="challenge", area__isnull=False, site__isnull=True),
                violation_error_message="a declared-site inspection names a site; a challenge inspection a specified area",
            ),
            models.CheckConstraint(
                name="inspection_not_of_oneself",
                condition=~Q(inspecting_party=models.F("inspected_party")),
                violation_error_message="a party does not inspect itself",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    def clean(self) -> None:
        errors = {}
        if self.inspecting_party_id and self.inspecting_party_id == self.inspected_party_id:
            errors["inspected_party"] = "a party does not inspect itself"
        if self.kind == InspectionKind.DECLARED_SITE:
            if not self.site_id:
                errors["site"] = "a declared-site inspection names the site inspected"
            elif self.inspected_party_id and self.site.party_id != self.inspected_party_id:
                errors["site"] = f"site {self.site.code} is not a site of the inspected party"
            if self.area is not None:
                errors["area"] = "a declared-site inspection has no specified area"
        elif self.kind == InspectionKind.CHALLENGE:
            if self.area is None:
                errors["area"] = "a challenge inspection needs its specified area"
            else:
                area_errors = specified_area_errors(self.area)
                if area_errors:
                    errors["area"] = area_errors
            if self.site_id:
                errors["site"] = "a challenge inspection covers a specified area, not one site"
        if self.arrived_at and self.departed_at and self.departed_at < self.arrived_at:
            errors["departed_at"] = "departure is before arrival"
        if errors:
            raise ValidationError(errors)


@pghistory.track()
class InspectionFinding(models.Model):
    """The number of items of one category the team observed."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="findings")
    category = models.ForeignKey(EquipmentCategory, on_delete=models.PROTECT, related_name="+")
    observed = models.PositiveIntegerField()

    objects = InspectionFindingQuerySet.as_manager()

    class Meta:
        ordering = ["category_id"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "category"], name="one_finding_per_category"),
            models.CheckConstraint(name="finding_observed_not_negative", condition=Q(observed__gte=0)),
        ]

    def __str__(self) -> str:
        return f"{self.category.code}: {self.observed}"
