from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zones.in_force import VALID
from zones.names import name_in, names_in_languages

iso_alpha3 = RegexValidator(r"^[A-Z]{3}$", _("a state party's code is ISO 3166-1 alpha-3: three capital letters"))


class StateParty(models.Model):
    code = models.CharField(max_length=3, unique=True, validators=[iso_alpha3], verbose_name=_("code"))
    name = models.CharField(max_length=200, verbose_name=pgettext_lazy("of a record", "name"))
    name_uk, name_ru = names_in_languages()

    class Meta:
        verbose_name = _("state party")
        ordering = ["code"]
        verbose_name_plural = _("state parties")

    def __str__(self) -> str:
        return f"{self.code} — {name_in(self)}"


class PartyGroup(models.Model):
    """A group of states parties whose holdings count together: CFE's two groups, an alliance."""

    name = models.CharField(max_length=200, unique=True, verbose_name=pgettext_lazy("of a record", "name"))
    name_uk, name_ru = names_in_languages()
    members = models.ManyToManyField(
        StateParty, through="GroupMembership", related_name="groups", blank=True, verbose_name=_("members")
    )

    class Meta:
        verbose_name = _("party group")
        verbose_name_plural = _("party groups")
        ordering = ["name"]

    def __str__(self) -> str:
        return name_in(self)


class GroupMembership(models.Model):
    """A party's membership of a group, with its dates: Russia left the CFE Treaty on 7 November 2023."""

    partygroup = models.ForeignKey(PartyGroup, on_delete=models.CASCADE, verbose_name=_("partygroup"))
    stateparty = models.ForeignKey(StateParty, on_delete=models.CASCADE, verbose_name=_("stateparty"))
    valid_from = models.DateField(
        null=True, blank=True, help_text=_("First day a member; empty: from the start"), verbose_name=_("valid from")
    )
    valid_to = models.DateField(
        null=True, blank=True, help_text=_("Last day a member; empty: still one"), verbose_name=_("valid to")
    )

    class Meta:
        verbose_name = _("group membership")
        verbose_name_plural = _("group memberships")
        db_table = "tracker_partygroup_members"
        constraints = [
            models.UniqueConstraint(fields=["partygroup", "stateparty"], name="tracker_partygroup_members_unique"),
            VALID.in_order("group_membership_dates_in_order"),
        ]

    def __str__(self) -> str:
        return f"{self.stateparty.code} in {self.partygroup.name}"


class Holiday(models.Model):
    """A party's officially recognised holiday, given with its annual exchange (Final Document 1996, Annex B §5):
    no working day for deadlines counted in working days."""

    party = models.ForeignKey(StateParty, on_delete=models.CASCADE, related_name="holidays", verbose_name=_("party"))
    date = models.DateField(verbose_name=_("date"))
    name = models.CharField(max_length=200, blank=True, verbose_name=pgettext_lazy("of a record", "name"))

    class Meta:
        verbose_name = _("holiday")
        verbose_name_plural = _("holidays")
        ordering = ["party__code", "date"]
        constraints = [models.UniqueConstraint(fields=["party", "date"], name="one_holiday_per_party_and_day")]

    def __str__(self) -> str:
        return f"{self.party.code} {self.date.isoformat()} {self.name}".rstrip()


class Role(models.TextChoices):
    """What a user does for their party; each role is a group of the same name."""

    OFFICER = "notifying officer", _("notifying officer")
    INSPECTOR = "inspector", _("inspector")
    MONITOR = "monitor", _("monitor")
    ANALYST = "analyst", _("analyst")


def party_of(user) -> StateParty | None:
    accreditation = getattr(user, "accreditation", None) if user.is_authenticated else None
    return accreditation.party if accreditation else None


def roles_of(user) -> frozenset[str]:
    """The user's roles, read once per user object (a request asks many times): from the names of its groups
    read with its API token (``accounts.tokens``), or from the database."""
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    if not hasattr(user, "_tracker_roles"):
        names = getattr(user, "group_names", None)
        if names is None:
            names = user.groups.filter(name__in=Role.values).values_list("name", flat=True)
        user._tracker_roles = frozenset(name for name in names if name in Role.values)
    return user._tracker_roles


def reads_everything(user) -> bool:
    return user.is_authenticated and user.is_active and user.is_superuser


def readable(records: QuerySet, user, rule: Q | None = None) -> QuerySet:
    """What ``user`` may read of ``records``: everything for a superuser, nothing without a role, else ``rule``.

    Every read path (API, admin, audit trail, maps, evidence links) narrows through this, so a party
    never learns from one what another hides.
    """
    if reads_everything(user):
        return records
    if not roles_of(user):
        return records.none()
    return records if rule is None else records.filter(rule)


def visible_records(model: type[models.Model], user) -> QuerySet:
    """Every record of ``model`` that ``user`` may read: its ``visible_to`` where it has one."""
    records = model._default_manager.all()
    return records.visible_to(user) if hasattr(records, "visible_to") else readable(records, user)


class AccreditationQuerySet(models.QuerySet):
    def visible_to(self, user) -> "AccreditationQuerySet":
        """Who acts for which party is each user's own business, and the administrators'."""
        return readable(self, user, Q(user=user.pk))


class Accreditation(models.Model):
    """The state party a user acts for: officers notify, inspectors report, for that party only."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="accreditation", verbose_name=_("user")
    )
    party = models.ForeignKey(
        StateParty, on_delete=models.PROTECT, related_name="accreditations", verbose_name=_("party")
    )

    objects = AccreditationQuerySet.as_manager()

    class Meta:
        verbose_name = _("accreditation")
        verbose_name_plural = _("accreditations")

    def __str__(self) -> str:
        return f"{self.user} for {self.party.code}"
