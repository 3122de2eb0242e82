"""Stored runs of the compliance check, so a monitor sees when a breach appeared and when it went."""

from django.db import models


class ComplianceRun(models.Model):
    as_of = models.DateField(help_text="The date the check evaluated")
    ran_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-as_of", "-ran_at"]

    def __str__(self) -> str:
        return f"check as of {self.as_of} ({self.breaches.count()} breaches)"


class RecordedBreach(models.Model):
    run = models.ForeignKey(ComplianceRun, on_delete=models.CASCADE, related_name="breaches")
    key = models.CharField(max_length=300, help_text="What stays the same while the breach lasts")
    kind = models.CharField(max_length=32)
    zone = models.CharField(max_length=32, blank=True)
    party = models.CharField(max_length=200, blank=True)
    category = models.CharField(max_length=16, blank=True)
    limit = models.IntegerField(null=True, blank=True)
    counted = models.IntegerField(null=True, blank=True)
    excess = models.IntegerField(null=True, blank=True)
    treaty = models.CharField(max_length=200, blank=True)
    evidence = models.JSONField(default=dict)

    class Meta:
        ordering = ["run", "id"]
        indexes = [models.Index(fields=["key"], name="recorded_breach_key")]

    def __str__(self) -> str:
        return f"{self.kind} {self.key}"
