"""Declared sites, objects of verification, notifications and the holdings they state.

A declared site may hold several objects of verification (Protocol on Inspection, Section
I.1(N)): units and depots, each with the party's stable record number. A notification's lines
(holdings) each state, from the notification's effective date on, the quantity of one category
(of one type, when named) held by one object of verification, at the site it is at then, in
active units, in storage or in temporary deployment. The holding in force on a day is, per
object of verification, category, type and status, the latest submitted line effective on or before it.
That interval is kept on each line (``effective_from`` ≤ day < ``effective_to``) and
recomputed when a notification is submitted or superseded, so an as-of question is a range
filter rather than a search for the latest line at every read.
"""

import datetime
from collections.abc import Iterable

import pghistory
import pgtrigger
from django.conf import settings
from django.contrib.gis.db import models
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tracker.dates import validate_plausible
from tracker.models.parties import StateParty, party_of, readable
from tracker.models.treaties import EquipmentCategory, EquipmentType
from zones.geometry import coordinate_errors
from zones.names import name_in, names_in_languages

# Quantities and counts are PostgreSQL integers: larger ones are refused at input, not by the database.
MAX_QUANTITY = 2**31 - 1


class SiteQuerySet(models.QuerySet):
    def visible_to(self, user) -> "SiteQuerySet":
        """A site is notified to the other parties by the first submitted notification that declares it."""
        notified = Holding.objects.filter(site=OuterRef("pk")).exclude(notification__status=NotificationStatus.DRAFT)
        return readable(self, user, Q(party=party_of(user)) | Q(Exists(notified)))


@pghistory.track()
class Site(models.Model):
    """A declared site: a unit's peacetime location, an object of verification."""

    party = models.ForeignKey(StateParty, on_delete=models.PROTECT, related_name="sites", verbose_name=_("party"))
    code = models.CharField(
        max_length=64, help_text=_("The party's stable record number for the site"), verbose_name=_("code")
    )
    name = models.CharField(max_length=200, verbose_name=pgettext_lazy("of a record", "name"))
    name_uk, name_ru = names_in_languages()
    location = models.PointField(srid=4326, spatial_index=True, verbose_name=_("location"))
    unit = models.CharField(max_length=200, blank=True, help_text=_("The unit stationed there"), verbose_name=_("unit"))
    storage_from = models.DateField(
        null=True,
        blank=True,
        validators=[validate_plausible],
        help_text=_("First day as a designated permanent storage site (CFE Art. II.1(H)); empty: not one"),
        verbose_name=_("storage from"),
    )
    storage_to = models.DateField(
        null=True,
        blank=True,
        validators=[validate_plausible],
        help_text=_("Last day as one; empty: still one"),
        verbose_name=_("storage to"),
    )

    objects = SiteQuerySet.as_manager()

    class Meta:
        verbose_name = _("site")
        verbose_name_plural = _("sites")
        ordering = ["party__code", "code"]
        constraints = [
            models.UniqueConstraint(fields=["party", "code"], name="site_code_unique_per_party"),
            models.CheckConstraint(
                name="site_storage_dates_in_order",
                condition=Q(storage_to__isnull=True)
                | Q(storage_from__isnull=False, storage_from__lte=models.F("storage_to")),
                violation_error_message=_("a designation as storage site ends after it begins"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {name_in(self)}"

    def clean(self) -> None:
        if self.location is not None:
            errors = coordinate_errors(self.location)
            if errors:
                raise ValidationError({"location": errors})
        if self.storage_to and not self.storage_from:
            raise ValidationError({"storage_to": _("a designation as storage site that ends also begins")})
        if self.storage_to and self.storage_from and self.storage_to < self.storage_from:
            raise ValidationError({"storage_to": _("a designation as storage site ends after it begins")})

    def is_storage_site(self, day: datetime.date) -> bool:
        """A designated permanent storage site on ``day``: only there does storage count as storage (Art. X.4)."""
        return (
            self.storage_from is not None
            and self.storage_from <= day
            and (self.storage_to is None or day <= self.storage_to)
        )


class ObjectOfVerificationQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ObjectOfVerificationQuerySet":
        """Notified to the other parties by the first submitted notification that declares it, as sites are."""
        notified = Holding.objects.filter(object_of_verification=OuterRef("pk")).exclude(
            notification__status=NotificationStatus.DRAFT
        )
        return readable(self, user, Q(party=party_of(user)) | Q(Exists(notified)))

    def of_site(self, site: Site) -> "ObjectOfVerification":
        """The site's own object of verification (record number = the site's code), made when first asked:
        what a declaration naming only a site declares for."""
        return self.of_sites([site])[site.pk]

    def of_sites(self, sites: Iterable[Site]) -> dict[int, "ObjectOfVerification"]:
        """``of_site`` for each of ``sites``, by site id, in at most three queries however many: those
        found, those made (a concurrent writer making the same one first is no error), those read back."""
        sites = {site.pk: site for site in sites}
        held = self._held_by(sites.values())
        missing = [s for s in sites.values() if (s.party_id, s.code) not in held]
        if missing:
            made = [
                ObjectOfVerification(party_id=s.party_id, record_number=s.code, site=s, designation=s.unit or s.name)
                for s in missing
            ]
            self.bulk_create(made, ignore_conflicts=True)
            held |= self._held_by(missing)
        return {pk: held[s.party_id, s.code] for pk, s in sites.items()}

    def _held_by(self, sites: Iterable[Site]) -> dict[tuple[int, str], "ObjectOfVerification"]:
        """The sites' own objects of verification that exist, by party and record number."""
        sites = list(sites)
        if not sites:
            return {}
        wanted = {(s.party_id, s.code) for s in sites}
        candidates = self.filter(party_id__in={p for p, _ in wanted}, record_number__in={c for _, c in wanted})
        return {(o.party_id, o.record_number): o for o in candidates if (o.party_id, o.record_number) in wanted}


@pghistory.track()
class ObjectOfVerification(models.Model):
    """A formation or unit holding treaty-limited equipment, or a storage site or depot, with its own record
    number (Protocol on Inspection, Section I.1(N)). Quotas and change rules count these, not sites."""

    party = models.ForeignKey(
        StateParty, on_delete=models.PROTECT, related_name="objects_of_verification", verbose_name=_("party")
    )
    record_number = models.CharField(
        max_length=64, help_text=_("The party's stable record number for it"), verbose_name=_("record number")
    )
    designation = models.CharField(
        max_length=200, help_text=_("e.g. 92nd Mechanised Brigade"), verbose_name=_("designation")
    )
    site = models.ForeignKey(
        Site,
        on_delete=models.PROTECT,
        related_name="objects_of_verification",
        help_text=_("The declared site it is at"),
        verbose_name=_("site"),
    )

    objects = ObjectOfVerificationQuerySet.as_manager()

    class Meta:
        ordering = ["party__code", "record_number"]
        verbose_name = _("object of verification")
        verbose_name_plural = _("objects of verification")
        constraints = [
            models.UniqueConstraint(fields=["party", "record_number"], name="object_record_number_unique_per_party")
        ]

    def __str__(self) -> str:
        return f"{self.record_number} {self.designation}"

    def clean(self) -> None:
        if self.site_id and self.party_id and self.site.party_id != self.party_id:
            raise ValidationError(
                {"site": _("site %(site)s is not a site of this object's party") % {"site": self.site.code}}
            )


class NotificationKind(models.TextChoices):
    ANNUAL = "annual", _("annual exchange of information")
    CHANGE = "change", _("change notification")
    TEMPORARY_DEPLOYMENT = "temporary_deployment", _("temporary deployment")
    CORRECTION = "correction", _("correction")


class NotificationStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted")
    SUPERSEDED = "superseded", _("superseded by a correction")


# A submitted notification is evidence between states: the database itself refuses to change it,
# whoever asks, raw SQL included. Its one permitted change is submitted -> superseded, which
# services.submit makes when the correction is submitted; only the lines' derived periods move.
# SQLSTATE 23001 (restrict_violation) reaches Django as an IntegrityError.
PROTECT_SUBMITTED_NOTIFICATION = """
    IF OLD.status = 'draft' THEN
        RETURN COALESCE(NEW, OLD);
    END IF;
    IF TG_OP = 'UPDATE' AND to_jsonb(NEW) - 'status' = to_jsonb(OLD) - 'status'
       AND (NEW.status = OLD.status OR (OLD.status = 'submitted' AND NEW.status = 'superseded')) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'notification % is %: it cannot be changed or deleted, only superseded by a correction',
        OLD.reference, OLD.status USING ERRCODE = 'restrict_violation';
"""
PROTECT_SUBMITTED_LINES = """
    IF TG_OP = 'UPDATE'
       AND to_jsonb(NEW) - 'effective_from' - 'effective_to' = to_jsonb(OLD) - 'effective_from' - 'effective_to' THEN
        RETURN NEW;
    END IF;
    IF EXISTS (
        SELECT FROM tracker_notification
        WHERE id IN (OLD.notification_id, NEW.notification_id) AND status <> 'draft'
    ) THEN
        RAISE EXCEPTION 'the lines of a submitted notification cannot be added, changed or deleted; submit a correction'
            USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN COALESCE(NEW, OLD);
"""


class NotificationQuerySet(models.QuerySet):
    def visible_to(self, user) -> "NotificationQuerySet":
        """Submitted notifications are notified to every party; a draft is its own party's work in progress."""
        return readable(self, user, ~Q(status=NotificationStatus.DRAFT) | Q(party=party_of(user)))

    def with_lines(self) -> "NotificationQuerySet":
        """With their lines and what each line names read along, in one query more however many."""
        lines = Holding.objects.select_related("site", "object_of_verification", "category", "equipment_type")
        return self.prefetch_related(Prefetch("holdings", queryset=lines))


@pghistory.track()
class Notification(models.Model):
    party = models.ForeignKey(
        StateParty, on_delete=models.PROTECT, related_name="notifications", verbose_name=_("party")
    )
    reference = models.CharField(max_length=64, unique=True, verbose_name=_("reference"))
    kind = models.CharField(max_length=24, choices=NotificationKind.choices, verbose_name=_("kind"))
    effective_date = models.DateField(
        null=True,
        blank=True,
        validators=[validate_plausible],
        help_text=_("The day the declared holdings take effect"),
        verbose_name=_("effective date"),
    )
    status = models.CharField(
        max_length=12, choices=NotificationStatus.choices, default=NotificationStatus.DRAFT, verbose_name=_("status")
    )
    submitted_at = models.DateTimeField(null=True, blank=True, verbose_name=_("submitted at"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    supersedes = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="superseded_by",
        help_text=_("The submitted notification this correction replaces once submitted"),
        verbose_name=_("supersedes"),
    )
    remarks = models.TextField(blank=True, verbose_name=_("remarks"))

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-effective_date", "reference"]
        constraints = [
            models.CheckConstraint(
                name="submitted_notification_has_date_and_time",
                condition=Q(status="draft") | Q(effective_date__isnull=False, submitted_at__isnull=False),
                violation_error_message=_("a submitted notification has an effective date and a submission time"),
            )
        ]
        triggers = [
            pgtrigger.Trigger(
                name="protect_submitted_notification",
                when=pgtrigger.Before,
                operation=pgtrigger.Update | pgtrigger.Delete,
                func=PROTECT_SUBMITTED_NOTIFICATION,
            )
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_draft(self) -> bool:
        return self.status == NotificationStatus.DRAFT

    def validate_unique(self, exclude=None) -> None:
        # tracker.declarations checks the reference, in the order that tells nothing of other parties' drafts.
        super().validate_unique(exclude={*(exclude or ()), "reference"})


class HoldingStatus(models.TextChoices):
    ACTIVE = "active", _("in active units")
    STORAGE = "storage", _("in storage")
    TEMPORARY = "temporary", _("in temporary deployment")


# What a line counts as, in the zone totals, on a given day: storage counts as storage only in a
# designated permanent storage site; elsewhere it counts as active (CFE Art. X.4).
UNDESIGNATED_STORAGE = "undesignated"
COUNTED_STATUSES = [*HoldingStatus.values, UNDESIGNATED_STORAGE]
ACTIVE_STATUSES = [HoldingStatus.ACTIVE, HoldingStatus.TEMPORARY, UNDESIGNATED_STORAGE]


class HoldingQuerySet(models.QuerySet):
    def as_of(self, day: datetime.date) -> "HoldingQuerySet":
        """Holdings in force on ``day``: the latest submitted line per object of verification, category,
        type and status."""
        return self.filter(
            Q(effective_to__isnull=True) | Q(effective_to__gt=day),
            effective_from__lte=day,
            quantity__gt=0,
        )

    def visible_to(self, user) -> "HoldingQuerySet":
        """A line is seen by whoever sees its notification."""
        return readable(
            self, user, ~Q(notification__status=NotificationStatus.DRAFT) | Q(notification__party=party_of(user))
        )


def holding_in_force_sql(alias: str, day: str = "%(day)s") -> str:
    """``HoldingQuerySet.as_of`` as a SQL condition on table ``alias``; ``day`` a parameter or a column."""
    return (
        f"{alias}.effective_from <= {day} AND ({alias}.effective_to IS NULL OR {alias}.effective_to > {day})"
        f" AND {alias}.quantity > 0"
    )


# The period columns are derived, so changing them alone is no event worth recording. Events of lines
# written before objects of verification existed name none.
@pghistory.track(
    exclude=["effective_from", "effective_to"],
    attrs={
        "object_of_verification": models.ForeignKey(
            "tracker.ObjectOfVerification",
            null=True,
            db_constraint=False,
            db_index=False,
            on_delete=models.DO_NOTHING,
            related_name="+",
            related_query_name="+",
        )
    },
)
class Holding(models.Model):
    """One line of a notification: a quantity of a category (of a type) held by an object of verification
    at its site, from the effective date on."""

    # The lookups are served by the composite indexes below; single-column twins would only slow bulk loads.
    notification = models.ForeignKey(
        Notification, on_delete=models.CASCADE, related_name="holdings", db_index=False, verbose_name=_("notification")
    )
    object_of_verification = models.ForeignKey(
        ObjectOfVerification,
        on_delete=models.PROTECT,
        related_name="holdings",
        db_index=False,
        verbose_name=_("object of verification"),
    )
    site = models.ForeignKey(
        Site,
        on_delete=models.PROTECT,
        related_name="holdings",
        db_index=False,
        help_text=_("Where the object was"),
        verbose_name=_("site"),
    )
    category = models.ForeignKey(
        EquipmentCategory, on_delete=models.PROTECT, related_name="holdings", db_index=False, verbose_name=_("category")
    )
    equipment_type = models.ForeignKey(
        EquipmentType,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="holdings",
        db_index=False,
        verbose_name=_("equipment type"),
    )
    quantity = models.PositiveIntegerField(
        help_text=_("0 declares the object empty of this category (or type)"), verbose_name=_("quantity")
    )
    status = models.CharField(
        max_length=10, choices=HoldingStatus.choices, default=HoldingStatus.ACTIVE, verbose_name=_("status")
    )
    # Maintained by refresh_periods(); NULL while the line does not count (draft, superseded).
    effective_from = models.DateField(null=True, blank=True, editable=False, verbose_name=_("effective from"))
    effective_to = models.DateField(null=True, blank=True, editable=False, verbose_name=_("effective to"))

    objects = HoldingQuerySet.as_manager()

    class Meta:
        verbose_name = _("holding")
        verbose_name_plural = _("holdings")
        ordering = ["site__code", "category_id", "status"]
        constraints = [
            models.UniqueConstraint(
                fields=["notification", "object_of_verification", "category", "equipment_type", "status"],
                name="one_line_per_object_category_type_status",
                nulls_distinct=False,
                violation_error_message=_(
                    "this notification already has a line for that object of verification, category, type and status"
                ),
            ),
            models.CheckConstraint(name="holding_quantity_not_negative", condition=Q(quantity__gte=0)),
        ]
        triggers = [
            pgtrigger.Trigger(
                name="protect_submitted_lines",
                when=pgtrigger.Before,
                operation=pgtrigger.Insert | pgtrigger.Update | pgtrigger.Delete,
                func=PROTECT_SUBMITTED_LINES,
            )
        ]
        indexes = [
            models.Index(fields=["site", "category", "status"], name="holding_key"),
            models.Index(fields=["object_of_verification", "category", "status"], name="holding_object_key"),
            models.Index(fields=["effective_from", "effective_to"], name="holding_period"),
            # Storage lines are few; finding those outside designated storage sites reads only these.
            models.Index(fields=["site"], condition=Q(status="storage"), name="holding_in_storage"),
            # So are temporary deployments' lines, which the deadlines of notifications read on their own.
            models.Index(fields=["notification"], condition=Q(status="temporary"), name="holding_temporary"),
        ]

    def __str__(self) -> str:
        what = self.equipment_type.name if self.equipment_type_id else self.category.code
        return f"{self.object_of_verification.record_number} {what} {self.quantity} ({self.status})"

    def save(self, *args, **kwargs) -> None:
        # A line that names only a site declares for the site's own object of verification; one that
        # names an object is where the object is; one that names a type is of the type's category.
        if self.object_of_verification_id is None and self.site_id is not None:
            self.object_of_verification = ObjectOfVerification.objects.of_site(self.site)
        if self.site_id is None and self.object_of_verification_id is not None:
            self.site_id = self.object_of_verification.site_id
        if self.equipment_type_id is not None and self.category_id is None:
            self.category_id = self.equipment_type.category_id
        super().save(*args, **kwargs)


# A line counts while its notification is submitted; of the lines that count for one object of
# verification, category, type and status, each is in force from its notification's effective date
# until the next one's (the later submission, then the later line, first on the same day): a
# relocated object's line at its new site ends its line at the old one. ``lines`` is any query
# yielding the lines to place with the columns id, object_id, category_id, type_id, status, counts,
# effective_date and submitted_at; the periods are added to its columns.
def periods(lines: str) -> str:
    """The query placing ``lines`` in time: refresh_periods() and the bundle's inserts both use it."""
    return f"""
        SELECT line.*,
               CASE WHEN line.counts THEN line.effective_date END AS effective_from,
               CASE WHEN line.counts THEN lead(line.effective_date) OVER (
                   PARTITION BY line.object_id, line.category_id, line.type_id, line.status, line.counts
                   ORDER BY line.effective_date, line.submitted_at, line.id
               ) END AS effective_to
        FROM ({lines}) line
    """


STORED_LINES = """
    SELECT h.id, h.object_of_verification_id AS object_id, h.category_id, h.equipment_type_id AS type_id, h.status,
           n.status = 'submitted' AS counts, n.effective_date, n.submitted_at
    FROM tracker_holding h
    JOIN tracker_notification n ON n.id = h.notification_id
"""


def refresh_periods(object_ids: list[int] | None = None) -> None:
    """Recompute which lines are in force when, for the given objects of verification (all when None)."""
    lines = (
        STORED_LINES if object_ids is None else STORED_LINES + " WHERE h.object_of_verification_id = ANY(%(objects)s)"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            UPDATE tracker_holding h
            SET effective_from = placed.effective_from, effective_to = placed.effective_to
            FROM ({periods(lines)}) placed
            WHERE h.id = placed.id
              AND (h.effective_from, h.effective_to) IS DISTINCT FROM (placed.effective_from, placed.effective_to)
            """,
            {"objects": object_ids},
        )
