from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.db import models

from tracker.models.declarations import Site
from tracker.models.parties import StateParty


class ZoneSet(models.Model):
    """One combination of zone versions that some sites all lie in: a few hundred, however many sites."""

    versions = ArrayField(models.BigIntegerField(), unique=True, help_text="ZoneVersion ids, sorted")

    class Meta:
        indexes = [GinIndex(fields=["versions"], name="zone_set_versions")]

    def __str__(self) -> str:
        return f"zone versions {self.versions}"


class SiteZones(models.Model):
    """The zone versions a site lies in, boundary included; kept by database triggers (``tracker.membership``).

    The site's party is repeated here so a check groups holdings by party and zone set in one join.
    """

    site = models.OneToOneField(Site, primary_key=True, on_delete=models.CASCADE, related_name="zones")
    party = models.ForeignKey(StateParty, on_delete=models.CASCADE, related_name="+")
    zone_set = models.ForeignKey(ZoneSet, on_delete=models.PROTECT, related_name="sites")

    class Meta:
        verbose_name_plural = "site zones"

    def __str__(self) -> str:
        return f"site {self.site_id} in zone set {self.zone_set_id}"
