import datetime

import pghistory
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from tracker.dates import validate_plausible
from tracker.models.parties import PartyGroup, StateParty
from zones.in_force import VALID, InForce, InForceQuerySet
from zones.models import ContactLine, Zone
from zones.names import names_in_languages


class EquipmentCategory(models.Model):
    """CFE Art. II's treaty-limited equipment, plus personnel (CFE-1A)."""

    code = models.CharField(max_length=16, unique=True)
    name = models.CharField(max_length=100)
    name_uk, name_ru = names_in_languages(100)
    definition = models.TextField()

    class Meta:
        ordering = ["id"]
        verbose_name_plural = "equipment categories"

    def __str__(self) -> str:
        return self.name


class Subtype(models.TextChoices):
    """The subtypes the treaty distinguishes within a category: CFE Art. II.1(C)-(F) and the
    Protocol on Existing Types (ACV: APC, AIFV, HACV; artillery: guns, howitzers, mortars, MLRS)."""

    APC = "apc", "armoured personnel carrier"
    AIFV = "aifv", "armoured infantry fighting vehicle"
    HACV = "hacv", "heavy armament combat vehicle"
    GUN = "gun", "gun"
    HOWITZER = "howitzer", "howitzer"
    GUN_HOWITZER = "gun_howitzer", "gun/howitzer"
    MORTAR = "mortar", "mortar"
    MLRS = "mlrs", "multiple launch rocket system"


SUBTYPES_OF = {
    "acv": {Subtype.APC, Subtype.AIFV, Subtype.HACV},
    "artillery": {Subtype.GUN, Subtype.HOWITZER, Subtype.GUN_HOWITZER, Subtype.MORTAR, Subtype.MLRS},
}
# CFE Art. II.1(F): artillery is of calibre 100 mm and above.
ARTILLERY_MIN_CALIBRE_MM = 100


def subtype_errors(record) -> dict[str, str]:
    """A record's subtype, when it names one, is a subtype of its category (CFE Art. II.1(C)-(F))."""
    if record.subtype and record.category_id and record.subtype not in SUBTYPES_OF.get(record.category.code, set()):
        return {"subtype": f"{record.get_subtype_display()} is not a subtype of {record.category.code}"}
    return {}


@pghistory.track()
class EquipmentType(models.Model):
    """A type, model or version of equipment as the Protocol on Existing Types lists them (e.g. T-72B3):
    declarations may name one instead of a bare category; it rolls up to its category for every ceiling."""

    name = models.CharField(max_length=100, unique=True)
    category = models.ForeignKey(EquipmentCategory, on_delete=models.PROTECT, related_name="types")
    subtype = models.CharField(max_length=16, choices=Subtype.choices, blank=True)
    calibre_mm = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Main armament calibre, mm")
    range_km = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Maximum range, km")
    source = models.CharField(max_length=300, blank=True, help_text="Where the type and its figures come from")

    class Meta:
        ordering = ["category_id", "name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors = subtype_errors(self)
        if (
            self.category_id
            and self.category.code == "artillery"
            and self.calibre_mm is not None
            and self.calibre_mm < ARTILLERY_MIN_CALIBRE_MM
        ):
            errors["calibre_mm"] = (
                f"artillery is of calibre {ARTILLERY_MIN_CALIBRE_MM} mm and above (CFE Art. II.1(F)); "
                f"{self.calibre_mm} mm is not treaty-limited artillery"
            )
        if errors:
            raise ValidationError(errors)


class Rounding(models.TextChoices):
    """How a share of objects of verification becomes a whole number of inspections; the 1996 Review
    Conference left this open, so each treaty says."""

    DOWN = "down", "down (the inspected party's reading)"
    NEAREST = "nearest", "to the nearest whole number, halves up"
    UP = "up", "up (the inspecting parties' reading)"


class DayCount(models.TextChoices):
    CALENDAR = "calendar", "calendar days"
    WORKING = "working", "working days"


TREATY_IN_FORCE = InForce("in_force_from", "in_force_to")


class TreatyQuerySet(InForceQuerySet):
    dates = TREATY_IN_FORCE


class Treaty(models.Model):
    name = models.CharField(max_length=200, unique=True)
    name_uk, name_ru = names_in_languages()
    in_force_from = models.DateField(null=True, blank=True, validators=[validate_plausible])
    in_force_to = models.DateField(
        null=True, blank=True, validators=[validate_plausible], help_text="Last day in force; empty: still in force"
    )
    notification_deadline_days = models.PositiveSmallIntegerField(
        default=5, help_text="Days after its effective date by which a change must be notified"
    )
    notification_deadline_unit = models.CharField(
        max_length=8,
        choices=DayCount.choices,
        default=DayCount.CALENDAR,
        help_text="CFE as the 1996 Final Document reads it (Annex B §10): working days",
    )
    change_threshold_percent = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        default=10,
        help_text="A unit's change in a category of this share or more must be notified "
        "(Protocol on Information Exchange, Section VIII.1(B))",
    )
    object_notice_days = models.PositiveSmallIntegerField(
        default=42,
        help_text="Days' notice before an object of verification is created or relocated (Final Document 1996, "
        "Annex B §11); 0: no such rule",
    )
    challenge_excludes_declared_sites = models.BooleanField(
        default=True,
        help_text="Declared sites inside a specified area are excluded from its inspection (Final Document 1996, "
        "Annex B §7); off: what is found is compared with what is declared there",
    )

    # The inspection regime: Protocol on Inspection, Sections II, IV, VI, VII, VIII and XII.
    passive_quota_percent = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        default=15,
        help_text="Share of a party's objects of verification it must accept declared-site inspections on in a "
        "year (Protocol on Inspection, Section II.10(D))",
    )
    quota_rounding = models.CharField(
        max_length=8,
        choices=Rounding.choices,
        default=Rounding.DOWN,
        help_text="The Protocol gives no rule; the 1996 Review Conference left it open (Final Document, Annex C item 14)",
    )
    inspecting_party_share_percent = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        default=50,
        help_text="Most of a party's passive quota it need accept from one inspecting party in a calendar year "
        "(Protocol on Inspection, Section II.23)",
    )
    same_group_annual_limit = models.PositiveSmallIntegerField(
        default=5,
        help_text="Most inspections a year a party may make of another party of its own group (Section II.24)",
    )
    challenge_share_percent = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        default=23,
        help_text="Share of the declared-site quota a party must accept as challenge inspections (Section II.11(B))",
    )
    inspection_notice_hours = models.PositiveSmallIntegerField(
        default=36, help_text="Least notice before the estimated arrival at the point of entry (Section IV.2)"
    )
    acknowledgement_hours = models.PositiveSmallIntegerField(
        default=3, help_text="Hours the inspected party has to acknowledge a notification of intent (Section IV.4)"
    )
    designation_min_hours = models.PositiveSmallIntegerField(
        default=1, help_text="Earliest designation of the first site or area after arrival (Sections VII.7, VIII.2(B))"
    )
    designation_max_hours = models.PositiveSmallIntegerField(
        default=16, help_text="Latest designation of the first site or area after arrival (Sections VII.7, VIII.2(B))"
    )
    challenge_answer_hours = models.PositiveSmallIntegerField(
        default=2, help_text="Hours the inspected party has to grant or refuse a challenge inspection (Section VIII.5)"
    )
    declared_site_hours = models.PositiveSmallIntegerField(
        default=48, help_text="Longest stay at a declared site (Section II.18)"
    )
    specified_area_hours = models.PositiveSmallIntegerField(
        default=24, help_text="Longest stay in a specified area (Section II.18)"
    )
    in_country_first_hours = models.PositiveSmallIntegerField(
        default=48, help_text="In-country period for the first inspection (Section II.17(A))"
    )
    in_country_sequential_hours = models.PositiveSmallIntegerField(
        default=36, help_text="In-country period added by each sequential inspection (Section II.17(B))"
    )
    in_country_max_days = models.PositiveSmallIntegerField(
        default=10, help_text="Longest in-country period (Section II.17)"
    )
    max_team_size = models.PositiveSmallIntegerField(default=9, help_text="Most inspectors in one team (Section VI.2)")
    countersign_hours = models.PositiveSmallIntegerField(
        default=1, help_text="Hours the escort has to countersign a report after receiving it (Section XII.1(B))"
    )
    receipt_hours = models.PositiveSmallIntegerField(
        default=24,
        help_text="Hours another party has to acknowledge a record of the ledger it may read, by a receipt of a "
        "tree head that includes it. The treaty sets no such time (CFE Art. XIII.3, XVII): the parties agree it",
    )

    observation_confidence_floor = models.DecimalField(
        max_digits=3,
        decimal_places=2,
        default=0,
        help_text="Observations of lower confidence give no finding (0 to 1)",
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
    ACTIVE = "active", "active units only (storage outside a designated permanent storage site included)"


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
    subtype = models.CharField(
        max_length=16, choices=Subtype.choices, blank=True, help_text="Only holdings of types of this subtype count"
    )
    types = models.ManyToManyField(
        EquipmentType, blank=True, related_name="ceilings", help_text="Only holdings of these types count"
    )
    limit = models.PositiveIntegerField()
    temporary_allowance = models.PositiveIntegerField(
        default=0,
        help_text="How far notified temporary deployments may take holdings above the limit "
        "(CFE Art. V.1(B)-(C): 459/723/420 for a group, 153/241/140 for one state's territory)",
    )
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
            VALID.in_order("ceiling_dates_in_order"),
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
        errors.update(subtype_errors(self))
        if errors:
            raise ValidationError(errors)


@pghistory.track()
class ChangeThreshold(models.Model):
    """A stricter share than the treaty's for notifying a unit's change, for one party in one zone:
    the 1996 Flank Document has Ukraine notify changes of 5 % in Odesa oblast instead of 10 %."""

    treaty = models.ForeignKey(Treaty, on_delete=models.CASCADE, related_name="change_thresholds")
    party = models.ForeignKey(StateParty, on_delete=models.PROTECT, related_name="+")
    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, related_name="change_thresholds")
    percent = models.DecimalField(max_digits=5, decimal_places=2)
    source = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["treaty__name", "party__code", "zone__code"]
        constraints = [
            models.UniqueConstraint(fields=["treaty", "party", "zone"], name="one_change_threshold_per_zone"),
            models.CheckConstraint(name="change_threshold_in_0_100", condition=Q(percent__gt=0, percent__lte=100)),
        ]

    def __str__(self) -> str:
        return f"{self.party.code} in {self.zone.code}: {self.percent} %"


@pghistory.track()
class DistanceRule(models.Model):
    """No equipment of the listed kinds within ``distance_km`` of a line (of contact), on either side:
    Minsk II's pull-back of heavy weapons by equal distances, by type of system."""

    treaty = models.ForeignKey(Treaty, on_delete=models.CASCADE, related_name="distance_rules")
    line = models.ForeignKey(ContactLine, on_delete=models.PROTECT, related_name="distance_rules")
    distance_km = models.DecimalField(max_digits=7, decimal_places=3, help_text="Measured on the ellipsoid")
    category = models.ForeignKey(EquipmentCategory, on_delete=models.PROTECT, related_name="distance_rules")
    subtype = models.CharField(max_length=16, choices=Subtype.choices, blank=True)
    types = models.ManyToManyField(EquipmentType, blank=True, related_name="distance_rules")
    min_calibre_mm = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Only types of this calibre and above"
    )
    valid_from = models.DateField(null=True, blank=True, validators=[validate_plausible])
    valid_to = models.DateField(null=True, blank=True, validators=[validate_plausible])
    source = models.CharField(max_length=300, blank=True)

    objects = InForceQuerySet.as_manager()

    class Meta:
        ordering = ["treaty__name", "line__code", "distance_km"]
        constraints = [
            models.CheckConstraint(name="distance_rule_distance_positive", condition=Q(distance_km__gt=0)),
            VALID.in_order("distance_rule_dates_in_order"),
        ]

    def __str__(self) -> str:
        return f"no {self.subtype or self.category.code} within {self.distance_km} km of {self.line.code}"

    def clean(self) -> None:
        errors = subtype_errors(self)
        if errors:
            raise ValidationError(errors)
