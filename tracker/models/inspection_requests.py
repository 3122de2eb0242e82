"""An inspection from the notification of intent to the team's departure, the inspection plans a group's
parties share, and the passive quotas parties announce (Protocol on Inspection, Sections II-VII;
Final Document 1996, Annex B §13)."""

import pghistory
import pgtrigger
from django.conf import settings
from django.contrib.gis.db import models
from django.contrib.postgres.expressions import ArraySubquery
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.db.models import F, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tracker.dates import validate_plausible
from tracker.models.declarations import ObjectOfVerification
from tracker.models.inspections import InspectionKind
from tracker.models.parties import GroupMembership, StateParty, party_of, readable
from tracker.models.treaties import Treaty
from zones.geometry import specified_area_errors
from zones.in_force import VALID


class Answer(models.TextChoices):
    ACCEPTED = "accepted", _("accepted")
    REFUSED = "refused", _("refused")


# The team list is checked against its treaty's largest team by the database itself, so neither a form
# nor the application's own role can send ten inspectors where the treaty allows nine.
TEAM_WITHIN_TREATY_LIMIT = """
    IF cardinality(NEW.team) > (SELECT max_team_size FROM tracker_treaty WHERE id = NEW.treaty_id) THEN
        RAISE EXCEPTION 'inspection request %: a team of % inspectors is larger than the treaty allows',
            NEW.reference, cardinality(NEW.team) USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
"""


class InspectionRequestQuerySet(models.QuerySet):
    def visible_to(self, user) -> "InspectionRequestQuerySet":
        """A request is the inspecting and the inspected party's business: the notification of intent goes to
        the inspected party (Protocol on Inspection, Section IV.1); the copies it sends the others (IV.5)
        are theirs to send, not the tracker's."""
        party = party_of(user)
        return readable(self, user, Q(inspecting_party=party) | Q(inspected_party=party) if party else Q(pk__in=[]))


@pghistory.track()
class InspectionRequest(models.Model):
    """One inspection as the inspecting party asks for it and the inspected party answers, with each
    moment the Protocol on Inspection sets a time limit on."""

    reference = models.CharField(max_length=64, unique=True, verbose_name=_("reference"))
    treaty = models.ForeignKey(
        Treaty, on_delete=models.PROTECT, related_name="inspection_requests", verbose_name=_("treaty")
    )
    inspecting_party = models.ForeignKey(
        StateParty, on_delete=models.PROTECT, related_name="requests_made", verbose_name=_("inspecting party")
    )
    inspected_party = models.ForeignKey(
        StateParty, on_delete=models.PROTECT, related_name="requests_received", verbose_name=_("inspected party")
    )
    kind = models.CharField(max_length=16, choices=InspectionKind.choices, verbose_name=_("kind"))
    notified_at = models.DateTimeField(
        validators=[validate_plausible],
        help_text=_("When the notification of intent was sent"),
        verbose_name=_("notified at"),
    )
    point_of_entry = models.CharField(max_length=200, verbose_name=_("point of entry"))
    estimated_arrival = models.DateTimeField(validators=[validate_plausible], verbose_name=_("estimated arrival"))
    team = ArrayField(
        models.CharField(max_length=200),
        default=list,
        blank=True,
        help_text=_("Inspectors, one per line"),
        verbose_name=_("team"),
    )
    acknowledged_at = models.DateTimeField(
        null=True, blank=True, validators=[validate_plausible], verbose_name=_("acknowledged at")
    )
    arrived_at = models.DateTimeField(
        null=True,
        blank=True,
        validators=[validate_plausible],
        help_text=_("Arrival at the point of entry"),
        verbose_name=_("arrived at"),
    )
    designated_at = models.DateTimeField(
        null=True, blank=True, validators=[validate_plausible], verbose_name=_("designated at")
    )
    object_of_verification = models.ForeignKey(
        ObjectOfVerification,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inspection_requests",
        verbose_name=_("object of verification"),
    )
    area = models.PolygonField(
        srid=4326, null=True, blank=True, help_text=_("The specified area of a challenge"), verbose_name=_("area")
    )
    answer = models.CharField(max_length=8, choices=Answer.choices, blank=True, verbose_name=_("answer"))
    answered_at = models.DateTimeField(
        null=True, blank=True, validators=[validate_plausible], verbose_name=_("answered at")
    )
    assurance = models.TextField(
        blank=True, help_text=_("The reasonable assurance given with a refusal"), verbose_name=_("assurance")
    )
    departed_at = models.DateTimeField(
        null=True,
        blank=True,
        validators=[validate_plausible],
        help_text=_("Departure from the point of exit"),
        verbose_name=_("departed at"),
    )

    objects = InspectionRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("inspection request")
        verbose_name_plural = _("inspection requests")
        ordering = ["-estimated_arrival", "reference"]
        constraints = [
            models.CheckConstraint(
                name="request_not_of_oneself",
                condition=~Q(inspecting_party=F("inspected_party")),
                violation_error_message=_("a party does not inspect itself"),
            ),
            models.CheckConstraint(
                name="request_designates_site_or_area",
                condition=Q(kind="declared_site", area__isnull=True)
                | Q(kind="challenge", object_of_verification__isnull=True),
                violation_error_message=_(
                    "a declared-site inspection designates an object of verification; "
                    "a challenge inspection a specified area"
                ),
            ),
            models.CheckConstraint(
                name="refusal_gives_assurance",
                condition=~Q(answer="refused") | ~Q(assurance=""),
                violation_error_message=_("a refused challenge inspection gives its reasonable assurance"),
            ),
            models.CheckConstraint(
                name="request_moments_in_order",
                condition=(Q(acknowledged_at__isnull=True) | Q(acknowledged_at__gte=F("notified_at")))
                & (Q(arrived_at__isnull=True) | Q(arrived_at__gte=F("notified_at")))
                & (Q(designated_at__isnull=True) | Q(arrived_at__isnull=True) | Q(designated_at__gte=F("arrived_at")))
                & (Q(departed_at__isnull=True) | Q(arrived_at__isnull=False) & Q(departed_at__gte=F("arrived_at"))),
                violation_error_message=_(
                    "the moments of an inspection are in order: notified, arrived, designated, departed"
                ),
            ),
        ]
        triggers = [
            pgtrigger.Trigger(
                name="team_within_treaty_limit",
                when=pgtrigger.Before,
                operation=pgtrigger.Insert | pgtrigger.Update,
                func=TEAM_WITHIN_TREATY_LIMIT,
            )
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def counts_against_quota(self) -> bool:
        """A refused challenge inspection does not count against any quota (Protocol on Inspection, Section VIII.9(B))."""
        return self.answer != Answer.REFUSED


def same_target() -> Q:
    """The same object of verification, or specified areas that meet (boundaries included), as the outer row's."""
    return Q(object_of_verification=OuterRef("object_of_verification")) | Q(area__intersects=OuterRef("area"))


class PlannedInspectionQuerySet(models.QuerySet):
    def visible_to(self, user) -> "PlannedInspectionQuerySet":
        """A party's own plans, shared or not, and the shared plans of the parties it is in a group with
        today; never another group's, and never a partner's plan to inspect the party itself (the CFE groups
        hold adversaries: Russia and Ukraine were both of the Budapest/Tashkent group). Plans are a group's
        own business: no treaty text has them notified."""
        party, today = party_of(user), timezone.localdate()
        groups = GroupMembership.objects.filter(VALID.q(today), stateparty=party).values("partygroup")
        partners = GroupMembership.objects.filter(VALID.q(today), partygroup__in=groups).values("stateparty")
        shared = Q(shared=True, planning_party__in=partners) & ~Q(inspected_party=party)
        return readable(self, user, Q(planning_party=party) | shared)

    def with_conflicts(self, requests: QuerySet) -> "PlannedInspectionQuerySet":
        """Each plan with ``conflicting_plans`` (ids of the others among these plans) and
        ``conflicting_requests`` (references among ``requests``) on the same object of verification or
        a meeting area, in days that overlap its window (first and last days inclusive)."""
        plans = (
            self.order_by()
            .filter(same_target(), window_from__lte=OuterRef("window_to"), window_to__gte=OuterRef("window_from"))
            .exclude(pk=OuterRef("pk"))
        )
        first_day = TruncDate(Coalesce("arrived_at", "estimated_arrival"))
        last_day = TruncDate(Coalesce("departed_at", "arrived_at", "estimated_arrival"))
        requests = (
            requests.order_by()
            .annotate(first_day=first_day, last_day=last_day)
            .filter(same_target(), first_day__lte=OuterRef("window_to"), last_day__gte=OuterRef("window_from"))
        )
        return self.annotate(
            conflicting_plans=ArraySubquery(plans.values("pk")),
            conflicting_requests=ArraySubquery(requests.values("reference")),
        )

    def conflicts(self, requests: QuerySet) -> list[tuple["PlannedInspection", models.Model]]:
        """Every pair of these plans that meet (each pair once), and every plan with each request of
        ``requests`` it meets: flagged for the planners to settle between them, never refused."""
        plans = {plan.pk: plan for plan in self.with_conflicts(requests).select_related("planning_party")}
        met = {reference for plan in plans.values() for reference in plan.conflicting_requests}
        named = requests.in_bulk(met, field_name="reference")
        pairs = []
        for plan in plans.values():
            pairs += [(plan, plans[other]) for other in plan.conflicting_plans if other > plan.pk and other in plans]
            pairs += [(plan, named[reference]) for reference in plan.conflicting_requests]
        return pairs


@pghistory.track()
class PlannedInspection(models.Model):
    """An inspection a party means to make: shared with its group's parties, so two of them do not spend
    their quotas on the same object of verification in the same days."""

    planning_party = models.ForeignKey(
        StateParty, on_delete=models.PROTECT, related_name="inspections_planned", verbose_name=_("planning party")
    )
    inspected_party = models.ForeignKey(
        StateParty, on_delete=models.PROTECT, related_name="+", verbose_name=_("inspected party")
    )
    treaty = models.ForeignKey(
        Treaty, on_delete=models.PROTECT, related_name="planned_inspections", verbose_name=_("treaty")
    )
    kind = models.CharField(max_length=16, choices=InspectionKind.choices, verbose_name=_("kind"))
    object_of_verification = models.ForeignKey(
        ObjectOfVerification,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="planned_inspections",
        verbose_name=_("object of verification"),
    )
    area = models.PolygonField(srid=4326, null=True, blank=True, verbose_name=_("area"))
    window_from = models.DateField(validators=[validate_plausible], verbose_name=_("window from"))
    window_to = models.DateField(validators=[validate_plausible], verbose_name=_("window to"))
    shared = models.BooleanField(
        default=True, help_text=_("Shown to the other parties of the planning party's groups"), verbose_name=_("shared")
    )
    note = models.TextField(blank=True, verbose_name=_("note"))
    planned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("planned by"),
    )

    objects = PlannedInspectionQuerySet.as_manager()

    class Meta:
        verbose_name = _("planned inspection")
        verbose_name_plural = _("planned inspections")
        ordering = ["window_from", "planning_party__code"]
        constraints = [
            models.CheckConstraint(
                name="plan_not_of_oneself",
                condition=~Q(planning_party=F("inspected_party")),
                violation_error_message=_("a party does not inspect itself"),
            ),
            models.CheckConstraint(
                name="plan_window_in_order",
                condition=Q(window_to__gte=F("window_from")),
                violation_error_message=_("the window ends on or after its first day"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.planning_party.code} → {self.inspected_party.code} {self.window_from}…{self.window_to}"

    def clean(self) -> None:
        errors = {}
        if self.planning_party_id and self.planning_party_id == self.inspected_party_id:
            errors["inspected_party"] = _("a party does not inspect itself")
        if self.kind == InspectionKind.DECLARED_SITE:
            if not self.object_of_verification_id:
                errors["object_of_verification"] = _("a declared-site inspection names the object of verification")
            elif self.inspected_party_id and self.object_of_verification.party_id != self.inspected_party_id:
                errors["object_of_verification"] = _(
                    "%(record_number)s is not an object of verification of the inspected party"
                ) % {"record_number": self.object_of_verification.record_number}
            if self.area is not None:
                errors["area"] = _("a declared-site inspection has no specified area")
        elif self.kind == InspectionKind.CHALLENGE:
            if self.area is None:
                errors["area"] = _("a challenge inspection needs its specified area")
            elif area_errors := specified_area_errors(self.area):
                errors["area"] = area_errors
            if self.object_of_verification_id:
                errors["object_of_verification"] = _("a challenge inspection covers a specified area, not one object")
        if self.window_from and self.window_to and self.window_to < self.window_from:
            errors["window_to"] = _("the window ends on or after its first day")
        if errors:
            raise ValidationError(errors)


# The years a quota, a ledger or a plan may be of: the treaty's (1990) to a far but finite future.
FIRST_YEAR, LAST_YEAR = 1990, 2200


@pghistory.track()
class PassiveQuota(models.Model):
    """The passive declared-site inspection quota a party announced with its annual exchange
    (Final Document 1996, Annex B §13), beside which the tracker computes its own from the objects
    of verification that exchange declared."""

    treaty = models.ForeignKey(
        Treaty, on_delete=models.CASCADE, related_name="passive_quotas", verbose_name=_("treaty")
    )
    party = models.ForeignKey(
        StateParty, on_delete=models.PROTECT, related_name="passive_quotas", verbose_name=_("party")
    )
    year = models.PositiveSmallIntegerField(verbose_name=_("year"))
    announced = models.PositiveIntegerField(verbose_name=_("announced"))
    source = models.CharField(max_length=300, blank=True, verbose_name=_("source"))

    class Meta:
        verbose_name = _("passive quota")
        verbose_name_plural = _("passive quotas")
        ordering = ["treaty__name", "-year", "party__code"]
        constraints = [
            models.UniqueConstraint(fields=["treaty", "party", "year"], name="one_passive_quota_per_year"),
            models.CheckConstraint(
                name="passive_quota_year_plausible", condition=Q(year__gte=FIRST_YEAR, year__lte=LAST_YEAR)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.party.code} {self.year}: {self.announced}"
