"""Who may write what: each user acts for one state party (their accreditation) in one or more roles.

Officers notify for their own party, inspectors report the inspections their party makes,
analysts record observations, monitors only read. The admin and the API both ask these
functions, so the rule is written once.
"""

from django.contrib.auth.models import Group, Permission

from tracker.models import StateParty
from tracker.models.inspections import reads_only_own_inspections
from tracker.models.parties import Role, party_of, reads_everything, roles_of

__all__ = ["Role", "party_of", "reads_only_own_inspections", "roles_of"]


# Model permissions each role's group carries (view permissions on everything for all roles).
WRITES = {
    Role.OFFICER: {
        "notification": "add change delete",
        "holding": "add change delete",
        "site": "add change",
        "objectofverification": "add change",
    },
    Role.INSPECTOR: {
        "inspection": "add change delete",
        "inspectionfinding": "add change delete",
        "reportattachment": "add delete",
        "plannedinspection": "add change delete",
        "inspectionrequest": "add change",
    },
    Role.ANALYST: {"observation": "add change delete"},
    Role.MONITOR: {},
}
READABLE_APPS = ("tracker", "zones")


def has_role(user, role: Role) -> bool:
    return reads_everything(user) or role in roles_of(user)


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


def may_escort(user, inspected_party: StateParty | None) -> bool:
    """The escort is an inspector of the inspected party: it acknowledges a notification of intent, grants or
    refuses a challenge, and countersigns the report with its comments (Protocol on Inspection, Sections IV.4,
    VIII.5, XII.1(B), XII.2)."""
    return _acts_for(user, Role.INSPECTOR, inspected_party)


def may_plan_inspection(user, planning_party: StateParty | None) -> bool:
    """Inspection plans are written by inspectors of the planning party."""
    return _acts_for(user, Role.INSPECTOR, planning_party)


def may_read_quota_ledger(user) -> bool:
    """The quota ledger is the planners' page: inspectors and monitors read it."""
    return has_role(user, Role.INSPECTOR) or has_role(user, Role.MONITOR)


def may_read_compliance_report(user) -> bool:
    """The compliance report is for every role (monitors, analysts, inspectors, officers): each sees in it
    only what they may read."""
    return reads_everything(user) or bool(roles_of(user))


# Who records which moment of an inspection (Protocol on Inspection, Sections IV, VII, VIII): the inspecting
# party's inspectors notify their intent, arrive, designate and depart; the inspected party's, as the
# escort, acknowledge the notification and grant or refuse a challenge. The parties and the reference
# are fixed once the request is recorded.
REQUEST_IDENTITY = frozenset({"reference", "treaty", "inspecting_party", "inspected_party"})
REQUEST_TEAM_MOMENTS = frozenset(
    {
        "kind",
        "notified_at",
        "point_of_entry",
        "estimated_arrival",
        "team",
        "arrived_at",
        "designated_at",
        "object_of_verification",
        "area",
        "departed_at",
    }
)
REQUEST_ESCORT_MOMENTS = frozenset({"acknowledged_at", "answer", "answered_at", "assurance"})


def may_request_inspection(user, inspecting_party: StateParty | None) -> bool:
    """A notification of intent to inspect is made by inspectors of the inspecting party."""
    return _acts_for(user, Role.INSPECTOR, inspecting_party)


def request_fields(user, inspecting_party: StateParty | None, inspected_party: StateParty | None, recorded: bool):
    """The fields of an inspection request ``user`` may write; ``recorded``: the request is stored already."""
    fields = set()
    if may_request_inspection(user, inspecting_party):
        fields |= REQUEST_TEAM_MOMENTS | (set() if recorded else REQUEST_IDENTITY)
    if recorded and may_escort(user, inspected_party):
        fields |= REQUEST_ESCORT_MOMENTS
    return frozenset(fields)


def may_raise_concern(user, party: StateParty | None) -> bool:
    """A concern is raised, and its answer accepted, disputed, referred or closed, by an officer of the raising
    party, or by a monitor on its behalf (CFE Art. XIII.3, XVI)."""
    return _acts_for(user, Role.OFFICER, party) or _acts_for(user, Role.MONITOR, party)


def may_answer_concern(user, party: StateParty | None) -> bool:
    """A concern is answered, or referred after its answer, by an officer of the party it was raised against."""
    return _acts_for(user, Role.OFFICER, party)


def may_record_observations(user) -> bool:
    return has_role(user, Role.ANALYST)


def may_change_observation(user, observation) -> bool:
    """An observation is changed or withdrawn by the analyst who recorded it, or an analyst of their party."""
    if reads_everything(user):
        return True
    if not may_record_observations(user) or observation.recorded_by_id is None:
        return False
    if observation.recorded_by_id == user.pk:
        return True
    party = party_of(user)
    return party is not None and party_of(observation.recorded_by) == party


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
