"""The register of findings with their grade and state, and the concerns parties raise about them.

A finding the engine computes is a *breach* (a limit exceeded, a deadline missed) or an *indicator* (a
difference between what was seen and what was declared, an ambiguity, storage outside a designated site)
to be clarified (CFE Art. XIII.3; Protocol on Inspection, Sections VI.38 and VII.11). The register keeps
each finding under its identity from the day it was first seen until it was resolved, and its state:
open, explained (an explanation was accepted), resolved (no longer found, or closed so), disputed.

A concern is a party's question to another about one or more findings, answered, then accepted, disputed
or referred to the consultative body (the Joint Consultative Group, CFE Art. XVI), and closed with an
outcome. Its steps are evidence between states: the database refuses to change or delete one.
"""

import pghistory
import pgtrigger
from django.conf import settings
from django.contrib.gis.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tracker.models.inspections import sha256_hex
from tracker.models.parties import StateParty, party_of, readable


class Grade(models.TextChoices):
    BREACH = "breach", _("breach: a limit exceeded or a deadline missed")
    INDICATOR = "indicator", _("indicator: a discrepancy to be clarified")


class FindingState(models.TextChoices):
    OPEN = "open", _("open")
    EXPLAINED = "explained", _("explained (an explanation was accepted)")
    RESOLVED = "resolved", _("resolved")
    DISPUTED = "disputed", _("disputed")


@pghistory.track()
class Finding(models.Model):
    """One finding as the register keeps it: what stays the same while it lasts (``key``, the engine's
    ``Breach.identity``), its latest figures and evidence, the days it was first and last seen, the day it
    was resolved, and its state."""

    key = models.CharField(max_length=500, unique=True, verbose_name=_("key"))
    kind = models.CharField(max_length=40, verbose_name=_("kind"))
    grade = models.CharField(max_length=16, choices=Grade.choices, verbose_name=_("grade"))
    zone = models.CharField(max_length=32, blank=True, verbose_name=_("zone"))
    party = models.CharField(max_length=200, blank=True, verbose_name=_("party"))
    category = models.CharField(max_length=16, blank=True, verbose_name=_("category"))
    treaty = models.CharField(max_length=200, blank=True, verbose_name=_("treaty"))
    limit = models.IntegerField(null=True, blank=True, verbose_name=_("limit"))
    counted = models.IntegerField(null=True, blank=True, verbose_name=_("counted"))
    excess = models.IntegerField(null=True, blank=True, verbose_name=_("excess"))
    evidence = models.JSONField(default=dict, verbose_name=_("evidence"))
    geometry = models.GeometryField(srid=4326, null=True, blank=True, verbose_name=_("geometry"))
    first_seen = models.DateField(verbose_name=_("first seen"))
    last_seen = models.DateField(verbose_name=_("last seen"))
    resolved_on = models.DateField(
        null=True, blank=True, help_text=_("The first day it was no longer found"), verbose_name=_("resolved on")
    )
    state = models.CharField(
        max_length=16, choices=FindingState.choices, default=FindingState.OPEN, verbose_name=_("state")
    )

    class Meta:
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        ordering = ["-last_seen", "kind", "key"]
        indexes = [models.Index(fields=["state", "grade"], name="finding_state_grade")]
        constraints = [
            models.CheckConstraint(
                name="finding_seen_in_order",
                condition=Q(last_seen__gte=F("first_seen"))
                & (Q(resolved_on__isnull=True) | Q(resolved_on__gt=F("last_seen"))),
                violation_error_message=_("a finding is last seen after it is first seen, and resolved after that"),
            )
        ]

    def __str__(self) -> str:
        return self.key


class ConcernState(models.TextChoices):
    RAISED = "raised", _("raised, awaiting the answer")
    ANSWERED = "answered", _("answered")
    ACCEPTED = "accepted", _("explanation accepted")
    DISPUTED = "disputed", _("disputed")
    REFERRED = "referred", _("referred to the consultative body")
    CLOSED = "closed", _("closed")


class StepKind(models.TextChoices):
    RAISE = "raise", _("raised")
    ANSWER = "answer", _("answered")
    ACCEPT = "accept", _("explanation accepted")
    DISPUTE = "dispute", _("disputed")
    REFER = "refer", _("referred to the consultative body")
    CLOSE = "close", _("closed")


def concern_rule(user, prefix: str = "") -> Q:
    """A concern is the business of the party that raised it and the party it was raised against; once referred
    to the consultative body (the Joint Consultative Group, of every State Party: CFE Art. XVI.1) it is every
    party's. ``prefix`` reaches the concern from a step or an attachment."""
    party = party_of(user)
    if party is None:
        return Q(pk__in=[])
    referred = ConcernStep.objects.filter(concern=OuterRef(f"{prefix}pk"), kind=StepKind.REFER)
    return Q(**{f"{prefix}raised_by": party}) | Q(**{f"{prefix}raised_against": party}) | Q(Exists(referred))


class ConcernQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ConcernQuerySet":
        return readable(self, user, concern_rule(user))


class ConcernStepQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ConcernStepQuerySet":
        return readable(self, user, concern_rule(user, "concern__"))


class StepAttachmentQuerySet(models.QuerySet):
    def visible_to(self, user) -> "StepAttachmentQuerySet":
        return readable(self, user, concern_rule(user, "step__concern__"))


# What a concern asks is fixed once raised: only its state and, when closed, its outcome follow its steps.
PROTECT_CONCERN = """
    IF TG_OP = 'UPDATE' AND to_jsonb(NEW) - 'state' - 'outcome' = to_jsonb(OLD) - 'state' - 'outcome' THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'concern % is raised: what it asks cannot be changed, nor the concern deleted', OLD.reference
        USING ERRCODE = 'restrict_violation';
"""


@pghistory.track()
class Concern(models.Model):
    """A compliance question one party raises with another about one or more findings, with a deadline for
    the answer. Its state follows its steps; what it asks does not change once raised."""

    reference = models.CharField(max_length=64, unique=True, verbose_name=_("reference"))
    raised_by = models.ForeignKey(
        StateParty, on_delete=models.PROTECT, related_name="concerns_raised", verbose_name=_("raised by")
    )
    raised_against = models.ForeignKey(
        StateParty, on_delete=models.PROTECT, related_name="concerns_received", verbose_name=_("raised against")
    )
    findings = models.ManyToManyField(Finding, related_name="concerns", verbose_name=_("findings"))
    question = models.TextField(verbose_name=_("question"))
    answer_due = models.DateField(verbose_name=_("answer due"))
    state = models.CharField(
        max_length=16, choices=ConcernState.choices, default=ConcernState.RAISED, verbose_name=_("state")
    )
    outcome = models.TextField(blank=True, help_text=_("How it was closed"), verbose_name=_("outcome"))

    objects = ConcernQuerySet.as_manager()

    class Meta:
        verbose_name = _("concern")
        verbose_name_plural = _("concerns")
        ordering = ["-answer_due", "reference"]
        constraints = [
            models.CheckConstraint(
                name="concern_not_against_oneself",
                condition=~Q(raised_by=F("raised_against")),
                violation_error_message=_("a party raises a concern with another party"),
            )
        ]
        triggers = [
            pgtrigger.Trigger(
                name="protect_concern",
                when=pgtrigger.Before,
                operation=pgtrigger.Update | pgtrigger.Delete,
                func=PROTECT_CONCERN,
            )
        ]

    def __str__(self) -> str:
        return self.reference


# A step is evidence between states: the database refuses to change or delete one, whoever asks.
# SQLSTATE 23001 (restrict_violation) reaches Django as an IntegrityError.
PROTECT_CONCERN_STEP = """
    RAISE EXCEPTION 'a step of a concern is kept as it was made: it cannot be changed or deleted'
        USING ERRCODE = 'restrict_violation';
"""


@pghistory.track()
class ConcernStep(models.Model):
    """One step of a concern, dated and attributed: raised, answered, accepted, disputed, referred, closed."""

    concern = models.ForeignKey(Concern, on_delete=models.PROTECT, related_name="steps", verbose_name=_("concern"))
    kind = models.CharField(max_length=16, choices=StepKind.choices, verbose_name=_("kind"))
    party = models.ForeignKey(StateParty, on_delete=models.PROTECT, related_name="+", verbose_name=_("party"))
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("made by"),
    )
    made_at = models.DateTimeField(verbose_name=_("made at"))
    text = models.TextField(blank=True, verbose_name=_("text"))

    objects = ConcernStepQuerySet.as_manager()

    class Meta:
        verbose_name = _("concern step")
        verbose_name_plural = _("concern steps")
        ordering = ["concern_id", "made_at", "id"]
        triggers = [
            pgtrigger.Trigger(
                name="protect_concern_step",
                when=pgtrigger.Before,
                operation=pgtrigger.Update | pgtrigger.Delete,
                func=PROTECT_CONCERN_STEP,
            )
        ]

    def __str__(self) -> str:
        return f"{self.concern.reference}: {self.get_kind_display()}"


@pghistory.track(exclude=["content"])
class StepAttachment(models.Model):
    """A document given with a step (an answer's evidence), kept beside its SHA-256, which the database checks."""

    step = models.ForeignKey(ConcernStep, on_delete=models.PROTECT, related_name="attachments", verbose_name=_("step"))
    name = models.CharField(max_length=255, verbose_name=pgettext_lazy("of a record", "name"))
    media_type = models.CharField(max_length=100, verbose_name=_("media type"))
    content = models.BinaryField(verbose_name=_("content"))
    sha256 = models.CharField(max_length=64, verbose_name=_("sha256"))
    size = models.PositiveBigIntegerField(verbose_name=_("size"))

    objects = StepAttachmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("step attachment")
        verbose_name_plural = _("step attachments")
        ordering = ["step_id", "id"]
        constraints = [
            models.CheckConstraint(
                name="step_attachment_sha256_is_its_content", condition=Q(sha256=sha256_hex("content"))
            ),
            models.CheckConstraint(
                name="step_attachment_size_is_its_content",
                condition=Q(size=models.Func(F("content"), function="octet_length")),
            ),
        ]
        triggers = [
            pgtrigger.Trigger(
                name="protect_step_attachment",
                when=pgtrigger.Before,
                operation=pgtrigger.Update | pgtrigger.Delete,
                func=PROTECT_CONCERN_STEP,
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.sha256[:12]}…)"
