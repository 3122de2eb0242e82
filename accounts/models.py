from django.db import models
from django.utils.translation import gettext_lazy as _
from knox.models import AbstractAuthToken, AuthTokenManager


class ApiTokenManager(AuthTokenManager):
    def get_queryset(self):
        # Whom a token acts for is asked on every request (answers kept per party's readers): read it along.
        return super().get_queryset().select_related("user__accreditation__party")


class Scope(models.TextChoices):
    READ = "read", _("read only")
    READ_WRITE = "read-write", _("read and write")


class ApiToken(AbstractAuthToken):
    """An API token, kept as the SHA-512 digest of its secret (shown once, when issued) and its first characters.

    A token acts for its user and never for more: its user's roles still decide what it may write, and a
    read-only token writes nothing whatever the roles. A read-write token for a user who needs a second
    factor is issued only after that factor was given.
    """

    scope = models.CharField(max_length=10, choices=Scope.choices, default=Scope.READ, verbose_name=_("scope"))

    objects = ApiTokenManager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created"]

    @property
    def beginning(self) -> str:
        """Enough of the secret for its owner to tell their tokens apart, too little to guess the rest from."""
        return f"{self.token_key[:8]}…"

    def __str__(self) -> str:
        return f"{self.beginning} of {self.user} ({self.get_scope_display()})"
