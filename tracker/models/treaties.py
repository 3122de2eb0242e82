import datetime

import pghistory
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tracker.dates import validate_plausible
from tracker.models.parties import PartyGroup, StateParty
from zones.in_force import VALID, InForce, InForceQuerySet
from zones.models import ContactLine, Zone
from zones.names import name_in, names_in_languages


class EquipmentCategory(models.Model):
    """CFE Art. II's treaty-limited equipment, plus personnel (CFE-1A)."""

    code = models.CharField(max_length=16, unique=True, verbose_name=_("code"))
    name = models.CharField(max_length=100, verbose_name=pgettext_lazy("of a record", "name"))
    name_uk, name_ru = names_in_languages(100)
    definition = models.TextField(verbose_name=_("definition"))

    class Meta:
        verbose_name = _("equipment category")
        ordering = ["id"]
        verbose_name_plural = _("equipment categories")

    def __str__(self) -> str:
        return name_in(self)


class Subtype(models.TextChoices):
    """The subtypes the treaty distinguishes within a category: CFE Art. II.1(C)-(F) and the
    Protocol on Existing Types (ACV: APC, AIFV, HACV; artillery: guns, howitzers, mortars, MLRS)."""

    APC = "apc", _("armoured personnel carrier")
    AIFV = "aifv", _("armoured infantry fighting vehicle")
    HACV = "hacv", _("heavy armament combat vehicle")
    GUN = "gun", _("gun")
    HOWITZER = "howitzer", _("howitzer")
    GUN_HOWITZER = "gun_howitzer", _("gun/howitzer")
    MORTAR = "mortar", _("mortar")
    MLRS = "mlrs", _("multiple launch rocket system")


SUBTYPES_OF = {
    "acv": {Subtype.APC, Subtype.AIFV, Subtype.HACV},
    "artillery": {Subtype.GUN, Subtype.HOWITZER, Subtype.GUN_HOWITZER, Subtype.MORTAR, Subtype.MLRS},
}
# CFE Art. II.1(F): artillery is of calibre 100 mm and above.
ARTILLERY_MIN_CALIBRE_MM = 100


def subtype_errors(record) -> dict[str, str]:
    """A record's subtype, when it names one, is a subtype of its category (CFE Art. II.1(C)-(F))."""
    if record.subtype and record.category_id and record.subtype not in SUBTYPES_OF.get(record.category.code, set()):
        return {
            "subtype": _("%(subtype)s is not a subtype of %(category)s")
            % {"subtype": record.get_subtype_display(), "category": record.category.code}
        }
    return {}


@pghistory.track()
class EquipmentType(models.Model):
    """A type, model or version of equipment as the Protocol on Existing Types lists them (e.g. T-72B3):
    declarations may name one instead of a bare category; it rolls up to its category for every ceiling."""

    name = models.CharField(max_length=100, unique=True, verbose_name=pgettext_lazy("of a record", "name"))
    category = models.ForeignKey(
        EquipmentCategory, on_delete=models.PROTECT, related_name="types", verbose_name=_("category")
    )
    subtype = models.CharField(max_length=16, choices=Subtype.choices, blank=True, verbose_name=_("subtype"))
    calibre_mm = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text=_("Main armament calibre, mm"), verbose_name=_("calibre mm")
    )
    range_km = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text=_("Maximum range, km"), verbose_name=_("range km")
    )
    source = models.CharField(
        max_length=300, blank=True, help_text=_("Where the type and its figures come from"), verbose_name=_("source")
    )

    class Meta:
        verbose_name = _("equipment type")
        verbose_name_plural = _("equipment types")
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
            errors["calibre_mm"] = _(
                "artillery is of calibre %(minimum)d mm and above (CFE Art. II.1(F)); "
                "%(calibre)d mm is not treaty-limited artillery"
            ) % {"minimum": ARTILLERY_MIN_CALIBRE_MM, "calibre": self.calibre_mm}
        if errors:
            raise ValidationError(errors)


class Rounding(models.TextChoices):
    """How a share of objects of verification becomes a whole number of inspections; the 1996 Review
    Conference left this open, so each treaty says."""

    DOWN = "down", _("down (the inspected party's reading)")
    NEAREST = "nearest", _("to the nearest whole number, halves up")
    UP = "up", _("up (the inspecting parties' reading)")


class DayCount(models.TextChoices):
    CALENDAR = "calendar", _("calendar days")
    WORKING = "working", _("working days")


TREATY_IN_FORCE = InForce("in_force_from", "in_force_to")


class TreatyQuerySet(InForceQuerySet):
    dates = TREATY_IN_FORCE


class Treaty(models.Model):
    name = models.CharField(max_length=200, unique=True, verbose_name=pgettext_lazy("of a record", "name"))
    name_uk, name_ru = names_in_languages()
    in_force_from = models.DateField(
        null=True, blank=True, validators=[validate_plausible], verbose_name=_("in force from")
    )
    in_force_to = models.DateField(
        null=True,
        blank=True,
        validators=[validate_plausible],
        help_text=_("Last day in force; empty: still in force"),
        verbose_name=_("in force to"),
    )
    notification_deadline_days = models.PositiveSmallIntegerField(
        default=5,
        help_text=_("Days after its effective date by which a change must be notified"),
        verbose_name=_("notification deadline days"),
    )
    notification_deadline_unit = models.CharField(
        max_length=8,
        choices=DayCount.choices,
        default=DayCount.CALENDAR,
        help_text=_("CFE as the 1996 Final Document reads it (Annex B §10): working days"),
        verbose_name=_("notification deadline unit"),
    )
    change_threshold_percent = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        default=10,
        help_text=_(
            "A unit's change in a category of this share or more must be notified "
            "(Protocol on Information Exchange, Section VIII.1(B))"
        ),
        verbose_name=_("change threshold percent"),
    )
    object_notice_days = models.PositiveSmallIntegerField(
        default=42,
        help_text=_(
            "Days' notice before an object of verification is created or relocated (Final Document 1996, "
            "Annex B §11); 0: no such rule"
        ),
        verbose_name=_("object notice days"),
    )
    challenge_excludes_declared_sites = models.BooleanField(
        default=True,
        help_text=_(
            "Declared sites inside a specified area are excluded from its inspection (Final Document 1996, "
            "Annex B §7); off: what is found is compared with what is declared there"
        ),
        verbose_name=_("challenge excludes declared sites"),
    )

    # The inspection regime: Protocol on Inspection, Sections II, IV, VI, VII, VIII and XII.
    passive_quota_percent = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        default=15,
        help_text=_(
            "Share of a party's objects of verification it must accept declared-site inspections on in a "
            "year (Protocol on Inspection, Section II.10(D))"
        ),
        verbose_name=_("passive quota percent"),
    )
    quota_rounding = models.CharField(
        max_length=8,
        choices=Rounding.choices,
        default=Rounding.DOWN,
        help_text=_(
            "The Protocol gives no rule; the 1996 Review Conference left it open (Final Document, Annex C item 14)"
        ),
        verbose_name=_("quota rounding"),
    )
    inspecting_party_share_percent = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        default=50,
        help_text=_(
            "Most of a party's passive quota it need accept from one inspecting party in a calendar year "
            "(Protocol on Inspection, Section II.23)"
        ),
        verbose_name=_("inspecting party share percent"),
    )
    same_group_annual_limit = models.PositiveSmallIntegerField(
        default=5,
        help_text=_("Most inspections a year a party may make of another party of its own group (Section II.24)"),
        verbose_name=_("same group annual limit"),
    )
    challenge_share_percent = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        default=23,
        help_text=_("Share of the declared-site quota a party must accept as challenge inspections (Section II.11(B))"),
        verbose_name=_("challenge share percent"),
    )
    inspection_notice_hours = models.PositiveSmallIntegerField(
        default=36,
        help_text=_("Least notice before the estimated arrival at the point of entry (Section IV.2)"),
        verbose_name=_("inspection notice hours"),
    )
    acknowledgement_hours = models.PositiveSmallIntegerField(
        default=3,
        help_text=_("Hours the inspected party has to acknowledge a notification of intent (Section IV.4)"),
        verbose_name=_("acknowledgement hours"),
    )
    designation_min_hours = models.PositiveSmallIntegerField(
        default=1,
        help_text=_("Earliest designation of the first site or area after arrival (Sections VII.7, VIII.2(B))"),
        verbose_name=_("designation min hours"),
    )
    designation_max_hours = models.PositiveSmallIntegerField(
        default=16,
        help_text=_("Latest designation of the first site or area after arrival (Sections VII.7, VIII.2(B))"),
        verbose_name=_("designation max hours"),
    )
    challenge_answer_hours = models.PositiveSmallIntegerField(
        default=2,
        help_text=_("Hours the inspected party has to grant or refuse a challenge inspection (Section VIII.5)"),
        verbose_name=_("challenge answer hours"),
    )
    declared_site_hours = models.PositiveSmallIntegerField(
        default=48,
        help_text=_("Longest stay at a declared site (Section II.18)"),
        verbose_name=_("declared site hours"),
    )
    specified_area_hours = models.PositiveSmallIntegerField(
        default=24,
        help_text=_("Longest stay in a specified area (Section II.18)"),
        verbose_name=_("specified area hours"),
    )
    in_country_first_hours = models.PositiveSmallIntegerField(
        default=48,
        help_text=_("In-country period for the first inspection (Section II.17(A))"),
        verbose_name=_("in country first hours"),
    )
    in_country_sequential_hours = models.PositiveSmallIntegerField(
        default=36,
        help_text=_("In-country period added by each sequential inspection (Section II.17(B))"),
        verbose_name=_("in country sequential hours"),
    )
    in_country_max_days = models.PositiveSmallIntegerField(
        default=10, help_text=_("Longest in-country period (Section II.17)"), verbose_name=_("in country max days")
    )
    max_team_size = models.PositiveSmallIntegerField(
        default=9, help_text=_("Most inspectors in one team (Section VI.2)"), verbose_name=_("max team size")
    )
    countersign_hours = models.PositiveSmallIntegerField(
        default=1,
        help_text=_("Hours the escort has to countersign a report after receiving it (Section XII.1(B))"),
        verbose_name=_("countersign hours"),
    )
    receipt_hours = models.PositiveSmallIntegerField(
        default=24,
        help_text=_(
            "Hours another party has to acknowledge a record of the ledger it may read, by a receipt of a "
            "tree head that includes it. The treaty sets no such time (CFE Art. XIII.3, XVII): the parties agree it"
        ),
        verbose_name=_("receipt hours"),
    )

    observation_confidence_floor = models.DecimalField(
        max_digits=3,
        decimal_places=2,
        default=0,
        help_text=_("Observations of lower confidence give no finding (0 to 1)"),
        verbose_name=_("observation confidence floor"),
    )

    objects = TreatyQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("treaty or agreement")
        verbose_name_plural = _("treaties and agreements")

    def __str__(self) -> str:
        return name_in(self)


class AppliesTo(models.TextChoices):
    PARTY = "party", _("one state party (national ceiling)")
    GROUP = "group", _("a group's holdings together")
    EACH = "each", _("each state party on its own")
    ALL = "all", _("all parties together (territorial)")


class Counting(models.TextChoices):
    ALL = "all", _("all holdings")
    ACTIVE = "active", _("active units only (storage outside a designated permanent storage site included)")


class CeilingQuerySet(InForceQuerySet):
    def in_force(self, day: datetime.date) -> "CeilingQuerySet":
        """Ceilings in force themselves and under a treaty in force on ``day``."""
        return super().in_force(day).filter(TREATY_IN_FORCE.q(day, through="treaty__"))


@pghistory.track()
class Ceiling(models.Model):
    treaty = models.ForeignKey(Treaty, on_delete=models.CASCADE, related_name="ceilings", verbose_name=_("treaty"))
    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, related_name="ceilings", verbose_name=_("zone"))
    category = models.ForeignKey(
        EquipmentCategory, on_delete=models.PROTECT, related_name="ceilings", verbose_name=_("category")
    )
    applies_to = models.CharField(max_length=8, choices=AppliesTo.choices, verbose_name=_("applies to"))
    party = models.ForeignKey(
        StateParty, null=True, blank=True, on_delete=models.PROTECT, related_name="ceilings", verbose_name=_("party")
    )
    group = models.ForeignKey(
        PartyGroup, null=True, blank=True, on_delete=models.PROTECT, related_name="ceilings", verbose_name=_("group")
    )
    subtype = models.CharField(
        max_length=16,
        choices=Subtype.choices,
        blank=True,
        help_text=_("Only holdings of types of this subtype count"),
        verbose_name=_("subtype"),
    )
    types = models.ManyToManyField(
        EquipmentType,
        blank=True,
        related_name="ceilings",
        help_text=_("Only holdings of these types count"),
        verbose_name=_("types"),
    )
    limit = models.PositiveIntegerField(verbose_name=_("limit"))
    temporary_allowance = models.PositiveIntegerField(
        default=0,
        help_text=_(
            "How far notified temporary deployments may take holdings above the limit "
            "(CFE Art. V.1(B)-(C): 459/723/420 for a group, 153/241/140 for one state's territory)"
        ),
        verbose_name=_("temporary allowance"),
    )
    counting = models.CharField(
        max_length=8, choices=Counting.choices, default=Counting.ALL, verbose_name=_("counting")
    )
    valid_from = models.DateField(null=True, blank=True, validators=[validate_plausible], verbose_name=_("valid from"))
    valid_to = models.DateField(
        null=True,
        blank=True,
        validators=[validate_plausible],
        help_text=_("Last day in force; empty: open"),
        verbose_name=_("valid to"),
    )
    source = models.CharField(
        max_length=300, blank=True, help_text=_("Article or document the figure comes from"), verbose_name=_("source")
    )

    objects = CeilingQuerySet.as_manager()

    class Meta:
        verbose_name = _("ceiling")
        verbose_name_plural = _("ceilings")
        ordering = ["treaty__name", "zone__code", "category_id"]
        constraints = [
            models.CheckConstraint(
                name="ceiling_applies_to_matches_holder",
                condition=(
                    Q(applies_to="party", party__isnull=False, group__isnull=True)
                    | Q(applies_to="group", group__isnull=False, party__isnull=True)
                    | Q(applies_to__in=["each", "all"], party__isnull=True, group__isnull=True)
                ),
                violation_error_message=_(
                    "a party ceiling names a party, a group ceiling a group, and neither otherwise"
                ),
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
            errors["party"] = _("a national ceiling names its state party")
        if self.applies_to == AppliesTo.GROUP and not self.group_id:
            errors["group"] = _("a group ceiling names its group")
        if self.applies_to in (AppliesTo.EACH, AppliesTo.ALL, AppliesTo.GROUP) and self.party_id:
            errors["party"] = _("a ceiling that applies to %(applies_to)r names no single party") % {
                "applies_to": self.applies_to
            }
        if self.applies_to in (AppliesTo.EACH, AppliesTo.ALL, AppliesTo.PARTY) and self.group_id:
            errors["group"] = _("a ceiling that applies to %(applies_to)r names no group") % {
                "applies_to": self.applies_to
            }
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            errors["valid_to"] = _("valid_to must not be before valid_from")
        errors.update(subtype_errors(self))
        if errors:
            raise ValidationError(errors)


@pghistory.track()
class ChangeThreshold(models.Model):
    """A stricter share than the treaty's for notifying a unit's change, for one party in one zone:
    the 1996 Flank Document has Ukraine notify changes of 5 % in Odesa oblast instead of 10 %."""

    treaty = models.ForeignKey(
        Treaty, on_delete=models.CASCADE, related_name="change_thresholds", verbose_name=_("treaty")
    )
    party = models.ForeignKey(StateParty, on_delete=models.PROTECT, related_name="+", verbose_name=_("party"))
    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, related_name="change_thresholds", verbose_name=_("zone"))
    percent = models.DecimalField(max_digits=5, decimal_places=2, verbose_name=_("percent"))
    source = models.CharField(max_length=300, blank=True, verbose_name=_("source"))

    class Meta:
        verbose_name = _("change threshold")
        verbose_name_plural = _("change thresholds")
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

    treaty = models.ForeignKey(
        Treaty, on_delete=models.CASCADE, related_name="distance_rules", verbose_name=_("treaty")
    )
    line = models.ForeignKey(
        ContactLine, on_delete=models.PROTECT, related_name="distance_rules", verbose_name=_("line")
    )
    distance_km = models.DecimalField(
        max_digits=7, decimal_places=3, help_text=_("Measured on the ellipsoid"), verbose_name=_("distance km")
    )
    category = models.ForeignKey(
        EquipmentCategory, on_delete=models.PROTECT, related_name="distance_rules", verbose_name=_("category")
    )
    subtype = models.CharField(max_length=16, choices=Subtype.choices, blank=True, verbose_name=_("subtype"))
    types = models.ManyToManyField(EquipmentType, blank=True, related_name="distance_rules", verbose_name=_("types"))
    min_calibre_mm = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text=_("Only types of this calibre and above"), verbose_name=_("min calibre mm")
    )
    valid_from = models.DateField(null=True, blank=True, validators=[validate_plausible], verbose_name=_("valid from"))
    valid_to = models.DateField(null=True, blank=True, validators=[validate_plausible], verbose_name=_("valid to"))
    source = models.CharField(max_length=300, blank=True, verbose_name=_("source"))

    objects = InForceQuerySet.as_manager()

    class Meta:
        verbose_name = _("distance rule")
        verbose_name_plural = _("distance rules")
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
