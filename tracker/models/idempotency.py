"""The answers to API writes sent with an Idempotency-Key, so a retry gets the answer its first try lost.

A row is written in the transaction of the write it answers: it exists exactly when the write was
committed. Rows belong to one account and are read only for that account's own requests.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class IdempotencyKey(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("user")
    )
    key = models.CharField(max_length=255, verbose_name=_("key"))
    fingerprint = models.CharField(
        max_length=64, help_text=_("SHA-256 of the request's method, path and body"), verbose_name=_("fingerprint")
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    status = models.PositiveSmallIntegerField(verbose_name=_("status"))
    content_type = models.CharField(max_length=255, verbose_name=_("content type"))
    location = models.CharField(max_length=2048, blank=True, verbose_name=_("location"))
    body = models.BinaryField(verbose_name=_("body"))

    class Meta:
        verbose_name = _("idempotency key")
        verbose_name_plural = _("idempotency keys")
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="idempotency_key_per_user")]
        indexes = [models.Index(fields=["created_at"], name="idempotency_key_created_at")]

    def __str__(self) -> str:
        return f"{self.key} ({self.status})"
