from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.utils.translation import gettext_lazy as _

from tracker.models.declarations import UNDESIGNATED_STORAGE, HoldingStatus, Notification, Site
from tracker.models.parties import StateParty
from tracker.models.treaties import EquipmentCategory
from zones.models import ZoneVersion


class ZoneSet(models.Model):
    """One combination of zone versions that some sites all lie in: a few hundred, however many sites."""

    versions = ArrayField(
        models.BigIntegerField(), unique=True, help_text=_("ZoneVersion ids, sorted"), verbose_name=_("versions")
    )

    class Meta:
        verbose_name = _("zone set")
        verbose_name_plural = _("zone sets")
        indexes = [GinIndex(fields=["versions"], name="zone_set_versions")]

    def __str__(self) -> str:
        return f"zone versions {self.versions}"


class SiteZones(models.Model):
    """The zone versions a site lies in, boundary included; kept by database triggers (``tracker.membership``).

    The site's party is repeated here so a check groups holdings by party and zone set in one join.
    """

    site = models.OneToOneField(
        Site, primary_key=True, on_delete=models.CASCADE, related_name="zones", verbose_name=_("site")
    )
    party = models.ForeignKey(StateParty, on_delete=models.CASCADE, related_name="+", verbose_name=_("party"))
    zone_set = models.ForeignKey(ZoneSet, on_delete=models.PROTECT, related_name="sites", verbose_name=_("zone set"))

    class Meta:
        verbose_name = _("site zones")
        verbose_name_plural = _("site zones")

    def __str__(self) -> str:
        return f"site {self.site_id} in zone set {self.zone_set_id}"


class ZoneTotal(models.Model):
    """A change, on ``day``, in what a party holds (per category, type and status) in a zone version under
    one notification.

    Each holding line with a period adds its quantity (and one line) on the day it takes effect
    and takes them away on the day it ends, in every zone version its site lies in. Summing the
    rows up to a day gives what each party holds in each zone that day without reading a single
    holding. Database triggers on holdings and site zones keep it (``tracker/sql/zone_totals.sql``).
    One writer at a time folds a key's rows into one; the others append, so concurrent writers
    never wait for each other here (``compact_zone_totals`` folds what they appended).
    """

    zone_version = models.ForeignKey(
        ZoneVersion,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
        verbose_name=_("zone version"),
    )
    party = models.ForeignKey(
        StateParty,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
        verbose_name=_("party"),
    )
    category = models.ForeignKey(
        EquipmentCategory,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
        verbose_name=_("category"),
    )
    equipment_type = models.ForeignKey(
        "tracker.EquipmentType",
        null=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
        verbose_name=_("equipment type"),
    )
    # What the lines count as that day: their declared status, or storage outside a designated site.
    status = models.CharField(
        max_length=12,
        choices=[*HoldingStatus.choices, (UNDESIGNATED_STORAGE, "in storage outside a designated site")],
        verbose_name=_("status"),
    )
    notification = models.ForeignKey(
        Notification,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
        verbose_name=_("notification"),
    )
    day = models.DateField(verbose_name=_("day"))
    quantity = models.BigIntegerField(verbose_name=_("quantity"))
    lines = models.IntegerField(verbose_name=_("lines"))

    class Meta:
        verbose_name = _("zone total")
        verbose_name_plural = _("zone totals")
        indexes = [
            models.Index(
                fields=["zone_version", "party", "category", "status", "notification", "day"], name="zone_total_key"
            ),
            # One party's totals in every zone, read again after its submission (tracker/compliance/cached.py).
            models.Index(fields=["party", "zone_version"], name="zone_total_party"),
        ]

    def __str__(self) -> str:
        return f"{self.quantity:+} in zone version {self.zone_version_id} on {self.day}"
