"""An inspection report's workflow (Protocol on Inspection, Section XII.1-2; VI.39): the team leader signs a draft,
the escort countersigns it with comments, and the database locks it; who may take each step, and who sees the
report in each state."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, transaction
from django.test import Client

from tests import factories as f
from tests import signing
from tracker import reports
from tracker.ledger import records
from tracker.models import Inspection, InspectionFinding, ReportStatus
from tracker.roles import Role

DAY = datetime.date(2026, 3, 2)
T = datetime.datetime(2026, 3, 2, 18, 0, tzinfo=datetime.UTC)
EVENTS = "/admin/tracker/auditevent/"


@pytest.fixture
def parties():
    return f.party("UKR"), f.party("RUS"), f.party("BLR")


@pytest.fixture
def people(parties):
    ukr, rus, blr = parties
    return {
        "leader": f.person("leader-ukr", Role.INSPECTOR, ukr),
        "escort": f.person("escort-rus", Role.INSPECTOR, rus),
        "third": f.person("inspector-blr", Role.INSPECTOR, blr),
        "monitor": f.person("monitor-blr", Role.MONITOR, blr),
        "officer": f.person("officer-rus", Role.OFFICER, rus),
    }


def draft(parties, **fields) -> Inspection:
    ukr, rus, _ = parties
    return f.inspection(ukr, rus, DAY, {"tanks": 3}, site=f.site(rus, code="PSKOV-1"), status="draft", **fields)


def refused(sql: str, *params) -> str:
    with pytest.raises(IntegrityError) as refusal, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)
    return str(refusal.value)


# The state machine: every step, allowed and refused, by whom.


def test_the_team_leader_of_the_inspecting_party_signs_a_draft(parties, people):
    report = reports.sign(draft(parties), people["leader"], at=T)
    assert (report.status, report.signed_by, report.signed_at) == (ReportStatus.SIGNED, people["leader"], T)


@pytest.mark.parametrize("who", ["escort", "third", "monitor", "officer"])
def test_nobody_but_an_inspector_of_the_inspecting_party_signs(parties, people, who):
    report = draft(parties)
    with pytest.raises(PermissionDenied, match="signed by the leader of the team of UKR"):
        reports.sign(report, people[who], at=T)
    assert Inspection.objects.get(pk=report.pk).status == ReportStatus.DRAFT


def test_a_signed_report_is_not_signed_again(parties, people):
    report = reports.sign(draft(parties), people["leader"], at=T)
    with pytest.raises(reports.WrongState, match=f"report {report.reference} is signed by the team leader"):
        reports.sign(report, people["leader"], at=T)


def test_the_escort_of_the_inspected_party_countersigns_a_signed_report_with_comments(parties, people):
    report = reports.sign(draft(parties), people["leader"], at=T)
    report = reports.countersign(report, people["escort"], "  Two tanks were under repair.  ", at=T)
    assert report.status == ReportStatus.COUNTERSIGNED
    assert (report.countersigned_by, report.countersigned_at) == (people["escort"], T)
    assert report.escort_comments == "Two tanks were under repair."


@pytest.mark.parametrize("who", ["leader", "third", "monitor", "officer"])
def test_nobody_but_an_inspector_of_the_inspected_party_countersigns(parties, people, who):
    report = reports.sign(draft(parties), people["leader"], at=T)
    with pytest.raises(PermissionDenied, match="countersigned by the escort: an inspector of the inspected party, RUS"):
        reports.countersign(report, people[who], "", at=T)
    assert Inspection.objects.get(pk=report.pk).status == ReportStatus.SIGNED


def test_a_draft_is_not_countersigned_before_the_team_leader_signs_it(parties, people):
    report = draft(parties)
    with pytest.raises(reports.WrongState, match="is a draft: the team leader signs it first"):
        reports.countersign(report, people["escort"], "", at=T)


def test_a_countersigned_report_is_not_countersigned_or_signed_again(parties, people):
    report = reports.countersign(reports.sign(draft(parties), people["leader"], at=T), people["escort"], "", at=T)
    with pytest.raises(reports.WrongState, match="already countersigned: it is locked"):
        reports.countersign(report, people["escort"], "more", at=T)
    with pytest.raises(reports.WrongState, match="only a draft is signed"):
        reports.sign(report, people["leader"], at=T)


def test_a_countersignature_before_the_signature_is_refused(parties, people):
    report = reports.sign(draft(parties), people["leader"], at=T)
    with pytest.raises(Exception, match="is before the report was signed"):
        reports.countersign(report, people["escort"], "", at=T - datetime.timedelta(seconds=1))


def test_a_signed_report_explains_why_it_is_no_longer_changed(parties, people):
    report = reports.sign(draft(parties), people["leader"], at=T)
    assert reports.refusal_to_change(report) == (
        f"report {report.reference} is signed: only the escort's countersignature may follow"
    )


# The database's own refusals, as the application's role.


def test_raw_sql_cannot_change_or_delete_a_countersigned_report(parties):
    report = f.inspection(*parties[:2], DAY, {"tanks": 3}, site=f.site(parties[1]))
    assert "is countersigned: it cannot be changed" in refused(
        "UPDATE tracker_inspection SET ambiguities = 'x' WHERE id = %s", report.pk
    )
    assert "is countersigned" in refused("UPDATE tracker_inspection SET escort_comments = 'x' WHERE id = %s", report.pk)
    assert "is countersigned" in refused("DELETE FROM tracker_inspection WHERE id = %s", report.pk)


def test_raw_sql_cannot_change_add_or_delete_findings_of_a_signed_report(parties):
    report = f.inspection(*parties[:2], DAY, {"tanks": 3}, site=f.site(parties[1]), status="signed")
    assert "its findings and attachments cannot be" in refused(
        "UPDATE tracker_inspectionfinding SET observed = 99 WHERE inspection_id = %s", report.pk
    )
    assert "cannot be" in refused("DELETE FROM tracker_inspectionfinding WHERE inspection_id = %s", report.pk)
    assert "cannot be" in refused(
        "INSERT INTO tracker_inspectionfinding (inspection_id, category_id, observed) "
        "SELECT %s, id, 1 FROM tracker_equipmentcategory WHERE code = 'acv'",
        report.pk,
    )
    assert list(InspectionFinding.objects.filter(inspection=report).values_list("observed", flat=True)) == [3]


def test_raw_sql_cannot_change_or_delete_an_attachment_of_a_countersigned_report(parties, people):
    report = draft(parties)
    attachment = reports.attach(report, people["leader"], "note.txt", [b"seen"])
    reports.countersign(reports.sign(report, people["leader"], at=T), people["escort"], "", at=T)
    assert "cannot be" in refused("UPDATE tracker_reportattachment SET caption = 'x' WHERE id = %s", attachment.pk)
    assert "cannot be" in refused("DELETE FROM tracker_reportattachment WHERE id = %s", attachment.pk)


def test_a_signed_report_takes_only_the_countersignature_fields(parties, people):
    report = reports.sign(draft(parties), people["leader"], at=T)
    assert "is signed" in refused("UPDATE tracker_inspection SET team = 'someone' WHERE id = %s", report.pk)
    assert "is signed" in refused(
        "UPDATE tracker_inspection SET signed_at = signed_at + interval '1 hour' WHERE id = %s", report.pk
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE tracker_inspection SET status = 'countersigned', countersigned_at = signed_at, "
            "escort_comments = 'fine' WHERE id = %s",
            [report.pk],
        )
    assert Inspection.objects.get(pk=report.pk).status == ReportStatus.COUNTERSIGNED


# Who sees a report in each state: every read path narrows through ``visible_to``.


def readers(report: Inspection, people: dict) -> set[str]:
    return {who for who, user in people.items() if Inspection.objects.visible_to(user).filter(pk=report.pk).exists()}


def test_a_draft_is_its_inspecting_partys_alone(parties, people):
    assert readers(draft(parties), people) == {"leader"}


def test_a_signed_report_is_seen_by_the_inspecting_and_the_inspected_party(parties, people):
    report = reports.sign(draft(parties), people["leader"], at=T)
    assert readers(report, people) == {"leader", "escort", "officer"}


def test_a_countersigned_report_is_read_by_every_role_but_a_third_partys_inspector(parties, people):
    report = reports.countersign(reports.sign(draft(parties), people["leader"], at=T), people["escort"], "", at=T)
    assert readers(report, people) == {"leader", "escort", "officer", "monitor"}


@pytest.mark.parametrize("status", ["draft", "signed"])
def test_a_third_party_finds_no_trace_of_a_draft_or_signed_report(parties, people, status):
    ukr, rus, _ = parties
    report = f.inspection(ukr, rus, DAY, {"tanks": 30}, site=f.site(rus, code="PSKOV-1"), status=status)
    monitor = people["monitor"]
    api = f.api(monitor)
    assert api.get(f"/api/inspections/{report.reference}/").status_code == 404
    assert api.get(f"/api/inspections/{report.reference}/attachments/").status_code == 404
    assert report.reference not in api.get("/api/inspections/").content.decode()
    assert report.reference not in api.get("/api/violations/", {"as_of": "2026-03-05"}).content.decode()
    assert report.reference not in api.get("/ogc/collections/inspections/items").content.decode()
    admin = Client()
    f.sign_in(admin, monitor)
    assert admin.get(f"/admin/tracker/inspection/{report.pk}/change/").status_code == 404
    assert report.reference not in admin.get("/admin/tracker/inspection/").content.decode()
    assert admin.get(EVENTS, {"method": "tracks", "obj": f"tracker.Inspection:{report.pk}"}).status_code == 404
    assert admin.get(f"/evidence/inspection/{report.reference}").status_code == 404
    listed = admin.get(EVENTS, {"model": "tracker.Inspection"}).context["cl"].result_list
    assert report.pk not in {int(event.pgh_obj_id) for event in listed}


def test_the_escort_reads_a_signed_report_but_not_its_drafting(parties, people):
    report = draft(parties)
    Inspection.objects.filter(pk=report.pk).update(team="a\nb")
    reports.sign(report, people["leader"], at=T)
    escort = Client()
    f.sign_in(escort, people["escort"])
    assert escort.get(f"/admin/tracker/inspection/{report.pk}/change/").status_code == 200
    listed = escort.get(EVENTS, {"method": "tracks", "obj": f"tracker.Inspection:{report.pk}"}).context["cl"]
    assert {event.pgh_data["status"] for event in listed.result_list} == {"signed"}


# Through the API.


def test_the_api_signs_and_countersigns_with_comments(parties, people):
    report = draft(parties)
    signed = signing.sign_report(f.api(people["leader"]), report.reference)
    assert signed.status_code == 200
    assert (signed.json()["status"], signed.json()["signed_by"]) == ("signed", "leader-ukr")
    body = signing.countersign(f.api(people["escort"]), report.reference, "Agreed.")
    assert body.status_code == 200
    assert {key: body.json()[key] for key in ("status", "countersigned_by", "escort_comments")} == {
        "status": "countersigned",
        "countersigned_by": "escort-rus",
        "escort_comments": "Agreed.",
    }


def test_the_api_refuses_a_step_with_a_reason(parties, people):
    report = draft(parties)
    escort, leader = f.api(people["escort"]), f.api(people["leader"])
    assert signing.sign_report(escort, report.reference).status_code == 404  # a draft is out of sight
    early = signing.countersign(leader, report.reference)
    assert early.status_code == 403
    assert "an inspector of the inspected party" in early.json()["detail"]
    signing.sign_report(leader, report.reference)
    again = signing.sign_report(leader, report.reference)
    assert again.status_code == 409
    assert again.json() == {
        "status": [f"report {report.reference} is signed by the team leader: only a draft is signed"]
    }
    assert signing.countersign(f.api(people["monitor"]), report.reference).status_code == 403


def test_the_signatures_cannot_be_written_with_the_report(parties, people):
    ukr, rus, _ = parties
    f.notified_site(rus, code="PSKOV-1")
    body = {
        "reference": "UKR-I-9",
        "inspecting_party": "UKR",
        "inspected_party": "RUS",
        "kind": "declared_site",
        "date": "2026-03-02",
        "site": "PSKOV-1",
        "findings": [],
        "status": "countersigned",
        "signed_at": T.isoformat(),
    }
    response = f.api(people["leader"]).post("/api/inspections/", body, format="json")
    assert response.status_code == 201, response.json()
    assert (response.json()["status"], response.json()["signed_at"]) == ("draft", None)


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_a_signed_report_is_not_edited_or_deleted_through_the_api(parties, people, method):
    report = reports.sign(draft(parties), people["leader"], at=T)
    response = getattr(f.api(people["leader"]), method)(f"/api/inspections/{report.reference}/", {}, format="json")
    assert response.status_code == 405
    assert "detail" in response.json()
    assert Inspection.objects.filter(pk=report.pk, status=ReportStatus.SIGNED).exists()


# In the admin.


def test_the_admin_shows_sign_to_the_team_leader_and_countersign_to_the_escort(parties, people):
    report = draft(parties)
    leader, escort = Client(), Client()
    f.sign_in(leader, people["leader"])
    f.sign_in(escort, people["escort"])
    page = leader.get(f"/admin/tracker/inspection/{report.pk}/change/").content.decode()
    assert "Sign report" in page and "Countersign as the escort" not in page
    record = records.of_report(report).canonical
    assert records.of_report(report).sha256 in page
    response = leader.post(
        f"/admin/tracker/inspection/{report.pk}/sign/", signing.of_bytes(people["leader"], record), follow=True
    )
    assert f"Report {report.reference} is now signed by the team leader." in response.content.decode()
    page = leader.get(f"/admin/tracker/inspection/{report.pk}/change/").content.decode()
    assert "Sign report" not in page and 'name="_save"' not in page
    page = escort.get(f"/admin/tracker/inspection/{report.pk}/change/").content.decode()
    assert "Countersign as the escort" in page
    shown = escort.post(f"/admin/tracker/inspection/{report.pk}/countersign/canonical/", {"escort_comments": "Noted."})
    escort.post(
        f"/admin/tracker/inspection/{report.pk}/countersign/",
        {"escort_comments": "Noted."} | signing.of_bytes(people["escort"], shown.content),
    )
    report.refresh_from_db()
    assert (report.status, report.escort_comments) == (ReportStatus.COUNTERSIGNED, "Noted.")


def test_the_admin_refuses_a_countersignature_by_the_team_leader_with_a_message(parties, people):
    report = reports.sign(draft(parties), people["leader"], at=T)
    leader = Client()
    f.sign_in(leader, people["leader"])
    response = leader.post(f"/admin/tracker/inspection/{report.pk}/countersign/", {"escort_comments": "x"}, follow=True)
    assert "countersigned by the escort: an inspector of the inspected party, RUS" in response.content.decode()
    assert Inspection.objects.get(pk=report.pk).status == ReportStatus.SIGNED


def test_the_admin_lists_reports_with_their_state_and_filters_by_it(parties, people):
    signed = reports.sign(draft(parties), people["leader"], at=T)
    leader = Client()
    f.sign_in(leader, people["leader"])
    page = leader.get("/admin/tracker/inspection/", {"status__exact": "signed"}).content.decode()
    assert signed.reference in page and "signed by the team leader" in page
    assert signed.reference not in leader.get("/admin/tracker/inspection/", {"status__exact": "draft"}).content.decode()
