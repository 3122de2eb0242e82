"""Alerts for monitors: what changed (a new finding, a resolved one, a step of a concern) as entries, each
monitor's subscriptions to what they care about, read as an Atom feed or pushed to webhooks signed with
HMAC-SHA256, every delivery kept and retried until it lands, so a restart loses none and a slow receiver
never slows a request."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Event(models.TextChoices):
    FINDING_NEW = "finding_new", _("new finding")
    FINDING_RESOLVED = "finding_resolved", _("finding resolved")
    FINDING_STATE = "finding_state", _("finding's state changed")
    CONCERN_STEP = "concern_step", _("concern: a step")


class AlertEntry(models.Model):
    """One thing that changed, with what a subscription filters on; read through the visibility of what it names."""

    event = models.CharField(max_length=24, choices=Event.choices, verbose_name=_("event"))
    created_at = models.DateTimeField(auto_now_add=True, db_index=True, verbose_name=_("created at"))
    finding = models.ForeignKey(
        "tracker.Finding", null=True, blank=True, on_delete=models.CASCADE, related_name="+", verbose_name=_("finding")
    )
    concern = models.ForeignKey(
        "tracker.Concern", null=True, blank=True, on_delete=models.CASCADE, related_name="+", verbose_name=_("concern")
    )
    step = models.ForeignKey(
        "tracker.ConcernStep", null=True, blank=True, on_delete=models.CASCADE, related_name="+", verbose_name=_("step")
    )
    zone = models.CharField(max_length=32, blank=True, verbose_name=_("zone"))
    party = models.CharField(max_length=200, blank=True, verbose_name=_("party"))
    kind = models.CharField(max_length=40, blank=True, verbose_name=_("kind"))
    grade = models.CharField(max_length=16, blank=True, verbose_name=_("grade"))
    title = models.CharField(max_length=300, verbose_name=_("title"))
    summary = models.JSONField(default=dict, verbose_name=_("summary"))

    class Meta:
        verbose_name = _("alert entry")
        verbose_name_plural = _("alert entries")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                name="alert_entry_names_a_finding_or_concern",
                condition=Q(finding__isnull=False) | Q(concern__isnull=False),
            )
        ]

    def __str__(self) -> str:
        return self.title


class Subscription(models.Model):
    """What one user wants to hear of: a zone, a party, a kind, a grade (blank: any). Its feed is read with
    a token whose SHA-256 alone is kept."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="subscriptions", verbose_name=_("user")
    )
    name = models.CharField(max_length=200, verbose_name=pgettext_lazy("of a record", "name"))
    zone = models.CharField(max_length=32, blank=True, verbose_name=_("zone"))
    party = models.CharField(max_length=3, blank=True, verbose_name=_("party"))
    kind = models.CharField(max_length=40, blank=True, verbose_name=_("kind"))
    grade = models.CharField(max_length=16, blank=True, verbose_name=_("grade"))
    token_sha256 = models.CharField(max_length=64, unique=True, verbose_name=_("token sha256"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        ordering = ["user_id", "name"]

    def __str__(self) -> str:
        return self.name


class Webhook(models.Model):
    """A receiver of a subscription's entries, each POSTed and signed with HMAC-SHA256 under ``secret``."""

    subscription = models.ForeignKey(
        Subscription, on_delete=models.CASCADE, related_name="webhooks", verbose_name=_("subscription")
    )
    url = models.URLField(max_length=500, verbose_name=_("url"))
    secret = models.CharField(max_length=128, verbose_name=_("secret"))
    active = models.BooleanField(default=True, verbose_name=_("active"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("webhook")
        verbose_name_plural = _("webhooks")
        ordering = ["subscription_id", "id"]

    def __str__(self) -> str:
        return self.url


class Delivery(models.Model):
    """One entry to one webhook: attempted until the receiver answers 2xx, with backoff, each attempt logged."""

    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("webhook"))
    entry = models.ForeignKey(AlertEntry, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("entry"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    attempts = models.PositiveIntegerField(default=0, verbose_name=_("attempts"))
    next_attempt_at = models.DateTimeField(db_index=True, verbose_name=_("next attempt at"))
    delivered_at = models.DateTimeField(null=True, blank=True, verbose_name=_("delivered at"))
    last_status = models.PositiveSmallIntegerField(null=True, blank=True, verbose_name=_("last status"))
    last_error = models.TextField(blank=True, verbose_name=_("last error"))

    class Meta:
        verbose_name = _("delivery")
        ordering = ["-created_at", "-id"]
        verbose_name_plural = _("deliveries")
        constraints = [models.UniqueConstraint(fields=["webhook", "entry"], name="one_delivery_per_webhook_and_entry")]
        indexes = [
            models.Index(fields=["next_attempt_at"], condition=Q(delivered_at__isnull=True), name="delivery_pending")
        ]

    def __str__(self) -> str:
        return f"{self.entry} → {self.webhook}"
