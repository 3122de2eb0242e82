import pghistory
import pgtrigger
from django.conf import settings
from django.contrib.gis.db import models
from django.core.exceptions import ValidationError
from django.db.models import F, Func, Q, Value
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tracker.dates import validate_plausible
from tracker.models.declarations import Site
from tracker.models.parties import Role, StateParty, party_of, readable, reads_everything, roles_of
from tracker.models.treaties import EquipmentCategory
from zones.geometry import specified_area_errors


class InspectionKind(models.TextChoices):
    DECLARED_SITE = "declared_site", _("declared-site inspection")
    CHALLENGE = "challenge", _("challenge inspection within a specified area")


class ReportStatus(models.TextChoices):
    """A report is drafted by the team, signed by its leader and countersigned by the escort, with the
    escort's comments (Protocol on Inspection, Section XII); countersigned, the database locks it."""

    DRAFT = "draft", _("draft")
    SIGNED = "signed", _("signed by the team leader")
    COUNTERSIGNED = "countersigned", _("countersigned by the escort (locked)")


# A report is evidence between states once its team leader has signed it: the database refuses every
# change but the escort's countersignature and comments, and after those any change at all, raw SQL
# included. SQLSTATE 23001 (restrict_violation) reaches Django as an IntegrityError.
PROTECT_SIGNED_REPORT = """
    IF OLD.status = 'draft' AND (TG_OP = 'DELETE' OR NEW.status IN ('draft', 'signed')) THEN
        RETURN COALESCE(NEW, OLD);
    END IF;
    IF TG_OP = 'UPDATE' AND OLD.status = 'signed' AND NEW.status IN ('signed', 'countersigned')
       AND to_jsonb(NEW) - 'status' - 'countersigned_by_id' - 'countersigned_at' - 'escort_comments'
         = to_jsonb(OLD) - 'status' - 'countersigned_by_id' - 'countersigned_at' - 'escort_comments' THEN
        RETURN NEW;
    END IF;
    IF TG_OP = 'UPDATE' AND to_jsonb(NEW) = to_jsonb(OLD) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'inspection report % is %: it cannot be changed or deleted', OLD.reference, OLD.status
        USING ERRCODE = 'restrict_violation';
"""
PROTECT_SIGNED_REPORT_PARTS = """
    IF EXISTS (
        SELECT FROM tracker_inspection
        WHERE id IN (OLD.inspection_id, NEW.inspection_id) AND status <> 'draft'
    ) THEN
        RAISE EXCEPTION 'inspection report % is signed: its findings and attachments cannot be added, changed or deleted',
            (SELECT reference FROM tracker_inspection WHERE id = COALESCE(NEW.inspection_id, OLD.inspection_id))
            USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN COALESCE(NEW, OLD);
"""


def protect_signed_report_parts() -> pgtrigger.Trigger:
    return pgtrigger.Trigger(
        name="protect_signed_report_parts",
        when=pgtrigger.Before,
        operation=pgtrigger.Insert | pgtrigger.Update | pgtrigger.Delete,
        func=PROTECT_SIGNED_REPORT_PARTS,
    )


def request_errors(report: "Inspection") -> dict[str, str]:
    """A report is one inspection of its request: between the same parties, of its kind, not refused
    (Protocol on Inspection, Sections II.13, VIII.9)."""
    request = report.request
    if (request.inspecting_party_id, request.inspected_party_id) != (
        report.inspecting_party_id,
        report.inspected_party_id,
    ):
        return {
            "request": _("request %(reference)s is not of the report's inspecting and inspected parties")
            % {"reference": request.reference}
        }
    if request.kind != report.kind:
        return {
            "request": _("request %(reference)s asked for a %(kind)s")
            % {"reference": request.reference, "kind": request.get_kind_display()}
        }
    if request.answer == "refused":
        return {
            "request": _("request %(reference)s was refused: no inspection followed it")
            % {"reference": request.reference}
        }
    return {}


def reads_only_own_inspections(user) -> bool:
    """An inspector with no other role reads only the reports of inspections their own party made or received."""
    return not user.is_superuser and roles_of(user) == {Role.INSPECTOR}


def report_rule(user, through: str = "") -> Q:
    """Which reports ``user`` reads, by the report's state (Protocol on Inspection, Section XII): a draft is
    its inspecting party's alone; a signed report is in the hands of the two parties, the escort's to
    countersign (XII.1(B), XII.2); a countersigned one is the parties' to forward (XII.7), so every role
    reads it, but an inspector with no other role only those their party made or received.
    ``through``: the path to the report from the records read (``"inspection__"``)."""
    party = party_of(user)
    inspecting = Q(**{f"{through}inspecting_party": party})
    either = inspecting | Q(**{f"{through}inspected_party": party})
    locked = Q(**{f"{through}status": ReportStatus.COUNTERSIGNED})
    return (
        Q(**{f"{through}status": ReportStatus.DRAFT}) & inspecting
        | Q(**{f"{through}status": ReportStatus.SIGNED}) & either
        | (locked & either if reads_only_own_inspections(user) else locked)
    )


def reports_read_as(user) -> tuple:
    """What decides which reports ``user`` reads (``report_rule``): users alike in it read the same reports."""
    if reads_everything(user):
        return ("all",)
    party = party_of(user)
    return (party.pk if party else None, reads_only_own_inspections(user))


class InspectionQuerySet(models.QuerySet):
    def visible_to(self, user) -> "InspectionQuerySet":
        return readable(self, user, report_rule(user))


class InspectionFindingQuerySet(models.QuerySet):
    def visible_to(self, user) -> "InspectionFindingQuerySet":
        return readable(self, user, report_rule(user, "inspection__"))


class ReportAttachmentQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ReportAttachmentQuerySet":
        return readable(self, user, report_rule(user, "inspection__"))


@pghistory.track()
class Inspection(models.Model):
    """An inspection report: what a team of the inspecting party saw, and where."""

    reference = models.CharField(max_length=64, unique=True, verbose_name=_("reference"))
    inspecting_party = models.ForeignKey(
        StateParty, on_delete=models.PROTECT, related_name="inspections_made", verbose_name=_("inspecting party")
    )
    inspected_party = models.ForeignKey(
        StateParty, on_delete=models.PROTECT, related_name="inspections_received", verbose_name=_("inspected party")
    )
    kind = models.CharField(max_length=16, choices=InspectionKind.choices, verbose_name=_("kind"))
    date = models.DateField(
        validators=[validate_plausible], help_text=_("The day the inspection took place"), verbose_name=_("date")
    )
    arrived_at = models.DateTimeField(
        null=True, blank=True, validators=[validate_plausible], verbose_name=_("arrived at")
    )
    departed_at = models.DateTimeField(
        null=True, blank=True, validators=[validate_plausible], verbose_name=_("departed at")
    )
    team = models.TextField(blank=True, help_text=_("Inspectors, one per line (at most 9)"), verbose_name=_("team"))
    site = models.ForeignKey(
        Site, null=True, blank=True, on_delete=models.PROTECT, related_name="inspections", verbose_name=_("site")
    )
    area = models.PolygonField(
        srid=4326,
        null=True,
        blank=True,
        spatial_index=True,
        help_text=_("The specified area of a challenge inspection"),
        verbose_name=_("area"),
    )
    ambiguities = models.TextField(
        blank=True, help_text=_("Unresolved ambiguities and their clarifications"), verbose_name=_("ambiguities")
    )
    request = models.ForeignKey(
        "tracker.InspectionRequest",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reports",
        verbose_name=_("request"),
    )
    status = models.CharField(
        max_length=16, choices=ReportStatus.choices, default=ReportStatus.DRAFT, verbose_name=_("status")
    )
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("signed by"),
    )
    signed_at = models.DateTimeField(null=True, blank=True, verbose_name=_("signed at"))
    countersigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("countersigned by"),
    )
    countersigned_at = models.DateTimeField(null=True, blank=True, verbose_name=_("countersigned at"))
    escort_comments = models.TextField(
        blank=True,
        help_text=_("The escort's comments, made with the countersignature"),
        verbose_name=_("escort comments"),
    )

    objects = InspectionQuerySet.as_manager()

    class Meta:
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        ordering = ["-date", "reference"]
        constraints = [
            models.CheckConstraint(
                name="inspection_has_site_or_area",
                condition=Q(kind="declared_site", site__isnull=False, area__isnull=True)
                | Q(kind="challenge", area__isnull=False, site__isnull=True),
                violation_error_message=_(
                    "a declared-site inspection names a site; a challenge inspection a specified area"
                ),
            ),
            models.CheckConstraint(
                name="inspection_not_of_oneself",
                condition=~Q(inspecting_party=models.F("inspected_party")),
                violation_error_message=_("a party does not inspect itself"),
            ),
            models.CheckConstraint(
                name="report_signatures_match_status",
                condition=Q(status="draft", signed_at__isnull=True, countersigned_at__isnull=True)
                | Q(status="signed", signed_at__isnull=False, countersigned_at__isnull=True)
                | Q(status="countersigned", signed_at__isnull=False, countersigned_at__gte=F("signed_at")),
                violation_error_message=_(
                    "a signed report has its signature's time; a countersigned one both, in order"
                ),
            ),
        ]
        triggers = [
            pgtrigger.Trigger(
                name="protect_signed_report",
                when=pgtrigger.Before,
                operation=pgtrigger.Update | pgtrigger.Delete,
                func=PROTECT_SIGNED_REPORT,
            )
        ]

    def __str__(self) -> str:
        return self.reference

    def clean(self) -> None:
        errors = {}
        if self.inspecting_party_id and self.inspecting_party_id == self.inspected_party_id:
            errors["inspected_party"] = _("a party does not inspect itself")
        if self.kind == InspectionKind.DECLARED_SITE:
            if not self.site_id:
                errors["site"] = _("a declared-site inspection names the site inspected")
            elif self.inspected_party_id and self.site.party_id != self.inspected_party_id:
                errors["site"] = _("site %(site)s is not a site of the inspected party") % {"site": self.site.code}
            if self.area is not None:
                errors["area"] = _("a declared-site inspection has no specified area")
        elif self.kind == InspectionKind.CHALLENGE:
            if self.area is None:
                errors["area"] = _("a challenge inspection needs its specified area")
            else:
                area_errors = specified_area_errors(self.area)
                if area_errors:
                    errors["area"] = area_errors
            if self.site_id:
                errors["site"] = _("a challenge inspection covers a specified area, not one site")
        if self.arrived_at and self.departed_at and self.departed_at < self.arrived_at:
            errors["departed_at"] = _("departure is before arrival")
        if self.request_id:
            errors.update(request_errors(self))
        if errors:
            raise ValidationError(errors)


@pghistory.track()
class InspectionFinding(models.Model):
    """The number of items of one category the team observed."""

    inspection = models.ForeignKey(
        Inspection, on_delete=models.CASCADE, related_name="findings", verbose_name=_("inspection")
    )
    category = models.ForeignKey(
        EquipmentCategory, on_delete=models.PROTECT, related_name="+", verbose_name=_("category")
    )
    observed = models.PositiveIntegerField(verbose_name=_("observed"))

    objects = InspectionFindingQuerySet.as_manager()

    class Meta:
        verbose_name = _("inspection finding")
        verbose_name_plural = _("inspection findings")
        ordering = ["category_id"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "category"], name="one_finding_per_category"),
            models.CheckConstraint(name="finding_observed_not_negative", condition=Q(observed__gte=0)),
        ]
        triggers = [protect_signed_report_parts()]

    def __str__(self) -> str:
        return f"{self.category.code}: {self.observed}"


def sha256_hex(field: str) -> Func:
    return Func(Func(F(field), function="sha256"), Value("hex"), function="encode")


@pghistory.track(exclude=["content"])
class ReportAttachment(models.Model):
    """A photograph or document attached to a report, kept in the database beside its SHA-256, which the
    database itself checks, so the hash in the audit trail is the hash of the bytes."""

    inspection = models.ForeignKey(
        Inspection, on_delete=models.PROTECT, related_name="attachments", verbose_name=_("inspection")
    )
    name = models.CharField(max_length=255, verbose_name=pgettext_lazy("of a record", "name"))
    media_type = models.CharField(max_length=100, verbose_name=_("media type"))
    content = models.BinaryField(verbose_name=_("content"))
    sha256 = models.CharField(max_length=64, verbose_name=_("sha256"))
    size = models.PositiveBigIntegerField(verbose_name=_("size"))
    caption = models.CharField(max_length=500, blank=True, verbose_name=_("caption"))
    attached_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("attached by"),
    )
    attached_at = models.DateTimeField(auto_now_add=True, verbose_name=_("attached at"))

    objects = ReportAttachmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("report attachment")
        verbose_name_plural = _("report attachments")
        ordering = ["inspection_id", "attached_at", "id"]
        constraints = [
            models.CheckConstraint(name="attachment_sha256_is_its_content", condition=Q(sha256=sha256_hex("content"))),
            models.CheckConstraint(
                name="attachment_size_is_its_content", condition=Q(size=Func(F("content"), function="octet_length"))
            ),
        ]
        triggers = [protect_signed_report_parts()]

    def __str__(self) -> str:
        return f"{self.name} ({self.sha256[:12]}…)"
