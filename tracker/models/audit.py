import pghistory
from django.conf import settings
from django.db import models
from pghistory.models import Events


class AuditEvent(Events):
    """A change to a tracked record, written by a database trigger, with the user and page it came from."""

    user = pghistory.ProxyField(
        "pgh_context__user",
        models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.DO_NOTHING, null=True, related_name="+"),
    )
    url = pghistory.ProxyField("pgh_context__url", models.TextField(null=True))

    class Meta:
        proxy = True
        verbose_name = "audit event"
        verbose_name_plural = "audit trail entries"
