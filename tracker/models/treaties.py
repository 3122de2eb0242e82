import datetime

import pghistory
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from tracker.dates import validate_plausible
from tracker.models.parties import PartyGroup, StateParty
from zones.in_force import InForce, InForceQuerySet
from zones.models import Zone


class EquipmentCategory(models.Model):
    """CFE Art. II's treaty-limited equipment, plus personnel (CFE-1A)."""

    code = models.CharField(max_length=16, unique=True)
    name = models.CharField(max_length=100)
    definition = models.TextField()

    class Meta:
        ordering = ["id"]
        verbose_name_plural = "equipment categories"

    def __str__(self) -> str:
        return self.name


TREATY_IN_FORCE = InForce("in_force_from", "in_force_to")


class TreatyQuerySet(InForceQuerySet):
    dates = TREATY_IN_FORCE


class Treaty(models.Model):
    name = models.CharField(max_length=200, unique=True)
    in_force_from = models.DateField(null=True, blank=True, validators=[validate_plausible])
    in_force_to = models.DateField(
        null=True, blank=True, validators=[validate_plausible], help_text="Last day in force; empty: still in force"
    )
    notification_deadline_days = models.PositiveSmallIntegerField(
        default=5, help_text="Days after its effective date by which a change must be notified"
    )

    objects = TreatyQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = "treaty or agreement"
        verbose_name_plural = "treaties and agreements"

    def __str__(self) -> str:
        return self.name


class AppliesTo(models.TextChoices):
    PARTY = "party", "one state party (national ceiling)"
    GROUP = "group", "a group's holdings together"
    EACH = "each", "each state party on its own"
    ALL = "all", "all parties together (territorial)"


class Counting(models.TextChoices):
    ALL = "all", "all holdings"
    ACTIVE = "active", "active units only"


class CeilingQuerySet(InForceQuerySet):
    def in_force(self, day: datetime.date) -> "CeilingQuerySet":
        """Ceilings in force themselves and under a treaty in force on ``day``."""
        return super().in_force(day).filter(TREATY_IN_FORCE.q(day, through="treaty__"))


@pghistory.track()
class Ceiling(models.Model):
    treaty = models.ForeignKey(Treaty, on_delete=models.CASCADE, related_name="ceilings")
    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, related_name="ceilings")
    category = models.ForeignKey(EquipmentCategory, on_delete=models.PROTECT, related_name="ceilings")
    applies_to = models.CharField(max_length=8, choices=AppliesTo.choices)
    party = models.ForeignKey(StateParty, null=True, blank=True, on_delete=models.PROTECT, related_name="ceilings")
    group = models.ForeignKey(PartyGroup, null=True, blank=True, on_delete=models.PROTECT, related_name="ceilings")
    limit = models.PositiveIntegerField()
    counting = models.CharField(max_length=8, choices=Counting.choices, default=Counting.ALL)
    valid_from = models.DateField(null=True, blank=True, validators=[validate_plausible])
    valid_to = models.DateField(
        null=True, blank=True, validators=[validate_plausible], help_text="Last day in force; empty: open"
    )
    source = models.CharField(max_length=300, blank=True, help_text="Article or document the figure comes from")

    objects = CeilingQuerySet.as_manager()

    class Meta:
        ordering = ["treaty__name", "zone__code", "category_id"]
        constraints = [
            models.CheckConstraint(
                name="ceiling_applies_to_matches_holder",
                condition=(
                    Q(applies_to="party", party__isnull=False, group__isnull=True)
                    | Q(applies_to="group", group__isnull=False, party__isnull=True)
                    | Q(applies_to__in=["each", "all"], party__isnull=True, group__isnull=True)
                ),
                violation_error_message="a party ceiling names a party, a group ceiling a group, and neither otherwise",
            ),
            models.CheckConstraint(
                name="ceiling_dates_in_order",
                condition=Q(valid_from__isnull=True)
                | Q(valid_to__isnull=True)
                | Q(valid_from__lte=models.F("valid_to")),
                violation_error_message="valid_to must not be before valid_from",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.zone.code} {self.category.code} ≤ {self.limit} ({self.holder})"

    @property
    def holder(self) -> str:
        if self.applies_to == AppliesTo.PARTY:
            return self.party.code
        if self.applies_to == AppliesTo.GROUP:
            return self.group.name
        return self.applies_to

    def clean(self) -> None:
        errors = {}
        if self.applies_to == AppliesTo.PARTY and not self.party_id:
            errors["party"] = "a national ceiling names its state party"
        if self.applies_to == AppliesTo.GROUP and not self.group_id:
            errors["group"] = "a group ceiling names its group"
        if self.applies_to in (AppliesTo.EACH, AppliesTo.ALL, AppliesTo.GROUP) and self.party_id:
            errors["party"] = f"a ceiling that applies to {self.applies_to!r} names no single party"
        if self.applies_to in (AppliesTo.EACH, AppliesTo.ALL, AppliesTo.PARTY) and self.group_id:
            errors["group"] = f"a ceiling that applies to {self.applies_to!r} names no group"
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            errors["valid_to"] = "valid_to must not be before valid_from"
        if errors:
            raise ValidationError(errors)
