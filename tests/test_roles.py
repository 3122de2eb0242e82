from django.contrib.auth.models import User

from tests import factories as f
from tracker.models import Accreditation
from tracker.roles import Role, create_groups, may_notify, may_record_observations, may_report_inspection


def user(name, role=None, party=None):
    person = User.objects.create_user(name, password="x")
    if role:
        person.groups.add(next(g for g in create_groups() if g.name == role))
    if party:
        Accreditation.objects.create(user=person, party=party)
    return person


def test_an_officer_notifies_only_for_their_own_party():
    ukr, rus = f.party("UKR"), f.party("RUS")
    officer = user("o", Role.OFFICER, ukr)
    assert may_notify(officer, ukr)
    assert not may_notify(officer, rus)


def test_an_inspector_reports_only_inspections_their_party_makes():
    ukr, rus = f.party("UKR"), f.party("RUS")
    inspector = user("i", Role.INSPECTOR, ukr)
    assert may_report_inspection(inspector, ukr)
    assert not may_report_inspection(inspector, rus)
    assert not may_notify(inspector, ukr)


def test_a_monitor_writes_nothing():
    ukr = f.party("UKR")
    monitor = user("m", Role.MONITOR, ukr)
    assert not may_notify(monitor, ukr)
    assert not may_report_inspection(monitor, ukr)
    assert not may_record_observations(monitor)


def test_a_role_without_an_accreditation_acts_for_no_party():
    assert not may_notify(user("o", Role.OFFICER), f.party("UKR"))


def test_groups_carry_view_permissions_and_their_own_writes():
    groups = {group.name: group for group in create_groups()}
    officer = set(groups[Role.OFFICER].permissions.values_list("codename", flat=True))
    monitor = set(groups[Role.MONITOR].permissions.values_list("codename", flat=True))
    assert {"add_notification", "view_inspection", "view_zone"} <= officer
    assert "add_inspection" not in officer
    assert all(codename.startswith("view_") for codename in monitor)
