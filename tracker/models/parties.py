from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models

iso_alpha3 = RegexValidator(r"^[A-Z]{3}$", "a state party's code is ISO 3166-1 alpha-3: three capital letters")


class StateParty(models.Model):
    code = models.CharField(max_length=3, unique=True, validators=[iso_alpha3])
    name = models.CharField(max_length=200)

    class Meta:
        ordering = ["code"]
        verbose_name_plural = "state parties"

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"


class PartyGroup(models.Model):
    """A group of states parties whose holdings count together: CFE's two groups, an alliance."""

    name = models.CharField(max_length=200, unique=True)
    members = models.ManyToManyField(StateParty, related_name="groups", blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Accreditation(models.Model):
    """The state party a user acts for: officers notify, inspectors report, for that party only."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="accreditation")
    party = models.ForeignKey(StateParty, on_delete=models.PROTECT, related_name="accreditations")

    def __str__(self) -> str:
        return f"{self.user} for {self.party.code}"
