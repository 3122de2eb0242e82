"""Who may write what: each user acts for one state party (their accreditation) in one or more roles.

Officers notify for their own party, inspectors report the inspections their party makes,
analysts record observations, monitors only read. The admin and the API both ask these
functions, so the rule is written once.
"""

from django.contrib.auth.models import Group, Permission
from django.db import models

from tracker.models import StateParty


class Role(models.TextChoices):
    OFFICER = "notifying officer"
    INSPECTOR = "inspector"
    MONITOR = "monitor"
    ANALYST = "analyst"


# Model permissions each role's group carries (view permissions on everything for all roles).
WRITES = {
    Role.OFFICER: {"notification": "add change delete", "holding": "add change delete", "site": "add change"},
    Role.INSPECTOR: {"inspection": "add change delete", "inspectionfinding": "add change delete"},
    Role.ANALYST: {"observation": "add change delete"},
    Role.MONITOR: {},
}
READABLE_APPS = ("tracker", "zones")


def party_of(user) -> StateParty | None:
    accreditation = getattr(user, "accreditation", None) if user.is_authenticated else None
    return accreditation.party if accreditation else None


def has_role(user, role: Role) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or user.groups.filter(name=role).exists()


def _acts_for(user, role: Role, party: StateParty | None) -> bool:
    if user.is_authenticated and user.is_superuser:
        return True
    return has_role(user, role) and party is not None and party_of(user) == party


def may_notify(user, party: StateParty | None) -> bool:
    """Notifications and sites are written by officers of the notifying party."""
    return _acts_for(user, Role.OFFICER, party)


def may_report_inspection(user, inspecting_party: StateParty | None) -> bool:
    """Inspection reports are written by inspectors of the inspecting party."""
    return _acts_for(user, Role.INSPECTOR, inspecting_party)


def may_record_observations(user) -> bool:
    return has_role(user, Role.ANALYST)


def reads_only_own_inspections(user) -> bool:
    """An inspector with no other role reads only the reports their own party made."""
    if user.is_superuser:
        return False
    return set(user.groups.values_list("name", flat=True)) == {Role.INSPECTOR}


def create_groups() -> list[Group]:
    """The four role groups with their model permissions; safe to run again."""
    views = Permission.objects.filter(content_type__app_label__in=READABLE_APPS, codename__startswith="view_")
    groups = []
    for role, writes in WRITES.items():
        group, _ = Group.objects.get_or_create(name=role)
        codenames = [f"{action}_{model}" for model, actions in writes.items() for action in actions.split()]
        writable = Permission.objects.filter(content_type__app_label="tracker", codename__in=codenames)
        group.permissions.set([*views, *writable])
        groups.append(group)
    return groups
