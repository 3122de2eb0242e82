from tests import factories as f
from tracker.roles import Role, create_groups, may_notify, may_record_observations, may_report_inspection


def test_an_officer_notifies_only_for_their_own_party():
    ukr, rus = f.party("UKR"), f.party("RUS")
    officer = f.person("o", Role.OFFICER, ukr)
    assert may_notify(officer, ukr)
    assert not may_notify(officer, rus)


def test_an_inspector_reports_only_inspections_their_party_makes():
    ukr, rus = f.party("UKR"), f.party("RUS")
    inspector = f.person("i", Role.INSPECTOR, ukr)
    assert may_report_inspection(inspector, ukr)
    assert not may_report_inspection(inspector, rus)
    assert not may_notify(inspector, ukr)


def test_a_monitor_writes_nothing():
    ukr = f.party("UKR")
    monitor = f.person("m", Role.MONITOR, ukr)
    assert not may_notify(monitor, ukr)
    assert not may_report_inspection(monitor, ukr)
    assert not may_record_observations(monitor)


def test_a_role_without_an_accreditation_acts_for_no_party():
    assert not may_notify(f.person("o", Role.OFFICER), f.party("UKR"))


def test_groups_carry_view_permissions_and_their_own_writes():
    groups = {group.name: group for group in create_groups()}
    officer = set(groups[Role.OFFICER].permissions.values_list("codename", flat=True))
    monitor = set(groups[Role.MONITOR].permissions.values_list("codename", flat=True))
    assert {"add_notification", "view_inspection", "view_zone"} <= officer
    assert "add_inspection" not in officer
    assert all(codename.startswith("view_") for codename in monitor)
