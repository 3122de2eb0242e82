"""The audit trail tells each party no more than the records it shows: another party's drafting stays private."""

import datetime

import pytest
from django.test import Client

from tests import factories as f
from tracker.models import AuditEvent
from tracker.roles import Role

D = datetime.date(2026, 3, 1)
EVENTS = "/admin/tracker/auditevent/"


@pytest.fixture
def rus_draft():
    rus = f.party("RUS")
    draft = f.notification(rus, D, [(f.site(rus, code="RUS-DEPOT"), "tanks", 412)], submit=False)
    draft.remarks = "moved up from the reserve"
    draft.save()
    return draft


def signed_in(username: str, role: str, party_code: str) -> Client:
    client = Client()
    f.sign_in(client, f.person(username, role, f.party(party_code)))
    return client


def test_another_partys_draft_is_not_found_by_any_audit_filter(rus_draft):
    ukr = signed_in("officer-ukr", Role.OFFICER, "UKR")
    for method in ("references", "tracks"):
        response = ukr.get(EVENTS, {"method": method, "obj": f"tracker.Notification:{rus_draft.pk}"})
        assert response.status_code == 404
        assert "moved up" not in response.content.decode()
    every = ukr.get(EVENTS, {"model": "tracker.Holding"}).content.decode()
    assert "412" not in every
    every = ukr.get(EVENTS, {"model": "tracker.Notification"}).content.decode()
    assert "moved up" not in every


def test_an_event_of_another_partys_draft_is_not_found_by_its_id(rus_draft):
    ukr = signed_in("officer-ukr", Role.OFFICER, "UKR")
    rus = signed_in("officer-rus", Role.OFFICER, "RUS")
    event = AuditEvent.objects.tracks(rus_draft).order_by("pgh_created_at").last()
    page = f"{EVENTS}{event.pk}/change/"
    assert rus.get(page).status_code == 200
    hidden = ukr.get(page)
    missing = ukr.get(f"{EVENTS}{event.pk.replace(str(event.pgh_id), '99999999')}/change/")
    assert hidden.status_code == missing.status_code == 404


def test_a_hidden_record_and_a_missing_one_get_the_same_answer(rus_draft):
    ukr = signed_in("officer-ukr", Role.OFFICER, "UKR")
    hidden = ukr.get(EVENTS, {"method": "tracks", "obj": f"tracker.Notification:{rus_draft.pk}"})
    missing = ukr.get(EVENTS, {"method": "tracks", "obj": "tracker.Notification:99999999"})
    assert hidden.status_code == missing.status_code == 404
    strip = str(rus_draft.pk), "99999999"
    assert hidden.content.decode().replace(*strip) == missing.content.decode()


@pytest.mark.parametrize("obj", ["tracker.Notification:abc", "tracker.Notification:", "nonsense", "auth.User:1"])
def test_a_malformed_or_unaudited_object_is_not_found_rather_than_a_server_error(obj):
    ukr = signed_in("officer-ukr", Role.OFFICER, "UKR")
    assert ukr.get(EVENTS, {"method": "tracks", "obj": obj}).status_code == 404


def test_after_submission_other_parties_see_the_submission_but_not_the_drafting(rus_draft):
    from tracker import services

    services.submit(rus_draft)
    ukr = signed_in("monitor-ukr", Role.MONITOR, "UKR")
    response = ukr.get(EVENTS, {"method": "tracks", "obj": f"tracker.Notification:{rus_draft.pk}"})
    assert response.status_code == 200
    labels = [event.pgh_label for event in response.context["cl"].result_list]
    assert labels == ["update"]
    rus = signed_in("officer-rus", Role.OFFICER, "RUS")
    own = rus.get(EVENTS, {"method": "tracks", "obj": f"tracker.Notification:{rus_draft.pk}"})
    assert sorted(event.pgh_label for event in own.context["cl"].result_list) == ["insert", "update", "update"]


def test_an_inspector_reads_the_history_of_their_own_partys_reports_only():
    ukr, rus, blr = f.party("UKR"), f.party("RUS"), f.party("BLR")
    theirs = f.inspection(rus, blr, D, {"tanks": 3}, site=f.site(blr))
    ours = f.inspection(ukr, rus, D, {"tanks": 3}, site=f.site(rus))
    inspector = Client()
    f.sign_in(inspector, f.person("inspector-ukr", Role.INSPECTOR, ukr))
    assert inspector.get(EVENTS, {"method": "tracks", "obj": f"tracker.Inspection:{ours.pk}"}).status_code == 200
    assert inspector.get(EVENTS, {"method": "tracks", "obj": f"tracker.Inspection:{theirs.pk}"}).status_code == 404
    listed = inspector.get(EVENTS, {"model": "tracker.InspectionFinding"}).context["cl"].result_list
    assert {event.pgh_data["inspection_id"] for event in listed} == {ours.pk}
