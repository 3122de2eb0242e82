from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.db import models

from tracker.models.declarations import Site


class SiteZones(models.Model):
    """The zone versions a site lies in, boundary included; kept by database triggers (``tracker.membership``)."""

    site = models.OneToOneField(Site, primary_key=True, on_delete=models.CASCADE, related_name="zones")
    versions = ArrayField(models.BigIntegerField(), default=list, help_text="ZoneVersion ids, sorted")

    class Meta:
        verbose_name_plural = "site zones"
        indexes = [GinIndex(fields=["versions"], name="site_zones_versions")]

    def __str__(self) -> str:
        return f"site {self.site_id} in versions {self.versions}"
