"""Stored runs of the compliance check, so a monitor sees when a breach appeared and when it went."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ComplianceRun(models.Model):
    as_of = models.DateField(help_text=_("The date the check evaluated"), verbose_name=_("as of"))
    ran_at = models.DateTimeField(auto_now_add=True, verbose_name=_("ran at"))

    class Meta:
        verbose_name = _("compliance run")
        verbose_name_plural = _("compliance runs")
        ordering = ["-as_of", "-ran_at"]

    def __str__(self) -> str:
        return f"check as of {self.as_of} ({self.breaches.count()} breaches)"


class RecordedBreach(models.Model):
    run = models.ForeignKey(ComplianceRun, on_delete=models.CASCADE, related_name="breaches", verbose_name=_("run"))
    key = models.CharField(
        max_length=300, help_text=_("What stays the same while the breach lasts"), verbose_name=_("key")
    )
    kind = models.CharField(max_length=32, verbose_name=_("kind"))
    zone = models.CharField(max_length=32, blank=True, verbose_name=_("zone"))
    party = models.CharField(max_length=200, blank=True, verbose_name=_("party"))
    category = models.CharField(max_length=16, blank=True, verbose_name=_("category"))
    limit = models.IntegerField(null=True, blank=True, verbose_name=_("limit"))
    counted = models.IntegerField(null=True, blank=True, verbose_name=_("counted"))
    excess = models.IntegerField(null=True, blank=True, verbose_name=_("excess"))
    treaty = models.CharField(max_length=200, blank=True, verbose_name=_("treaty"))
    evidence = models.JSONField(default=dict, verbose_name=_("evidence"))

    class Meta:
        verbose_name = _("recorded breach")
        verbose_name_plural = _("recorded breaches")
        ordering = ["run", "id"]
        indexes = [models.Index(fields=["key"], name="recorded_breach_key")]

    def __str__(self) -> str:
        return f"{self.kind} {self.key}"
