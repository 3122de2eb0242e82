"""Photographs and documents with an inspection report (Protocol on Inspection, Section VI.38): uploaded to a draft,
known by their content, kept with a SHA-256 the database checks, downloaded as they were uploaded."""

import datetime
import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection, transaction
from django.test import Client

from tests import factories as f
from tracker import attachments, reports
from tracker.models import ReportAttachment
from tracker.roles import Role

DAY = datetime.date(2026, 3, 2)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40
PDF = b"%PDF-1.7\n" + b"x" * 40


@pytest.fixture
def report():
    ukr, rus = f.party("UKR"), f.party("RUS")
    return f.inspection(ukr, rus, DAY, {"tanks": 3}, site=f.site(rus), status="draft")


@pytest.fixture
def leader():
    return f.person("leader-ukr", Role.INSPECTOR, f.party("UKR"))


def upload(api, report, name: str, content: bytes, caption: str = ""):
    return api.post(
        f"/api/inspections/{report.reference}/attachments/",
        {"file": SimpleUploadedFile(name, content), "caption": caption},
        format="multipart",
    )


def test_an_uploaded_photograph_keeps_the_sha256_of_its_bytes(report, leader):
    response = upload(f.api(leader), report, "tank.png", PNG, "Hangar 3")
    assert response.status_code == 201
    assert {
        key: response.json()[key] for key in ("name", "media_type", "size", "sha256", "caption", "attached_by")
    } == {
        "name": "tank.png",
        "media_type": "image/png",
        "size": len(PNG),
        "sha256": hashlib.sha256(PNG).hexdigest(),
        "caption": "Hangar 3",
        "attached_by": "leader-ukr",
    }


def test_a_download_gives_back_the_same_bytes_with_their_hash(report, leader):
    attachment = reports.attach(report, leader, "plan.pdf", [PDF])
    api = f.api(leader)
    listed = api.get(f"/api/inspections/{report.reference}/attachments/").json()
    assert [item["id"] for item in listed] == [attachment.pk]
    response = api.get(f"/api/inspections/{report.reference}/attachments/{attachment.pk}/")
    assert response.status_code == 200
    assert response.content == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="plan.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["ETag"] == f'"{hashlib.sha256(PDF).hexdigest()}"'
    assert response["Repr-Digest"].startswith("sha-256=:")


def test_a_tampered_hash_is_refused_by_the_database(report, leader):
    attachment = reports.attach(report, leader, "note.txt", [b"twelve tanks"])
    with pytest.raises(IntegrityError, match="attachment_sha256_is_its_content"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE tracker_reportattachment SET sha256 = repeat('0', 64) WHERE id = %s", [attachment.pk]
            )
    with pytest.raises(IntegrityError, match="attachment_sha256_is_its_content"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("UPDATE tracker_reportattachment SET content = 'other' WHERE id = %s", [attachment.pk])


def test_a_file_of_exactly_the_limit_is_taken_and_one_byte_more_refused(report, leader, settings):
    settings.ATTACHMENT_MAX_BYTES = 100
    api = f.api(leader)
    assert upload(api, report, "limit.txt", b"a" * 100).status_code == 201
    over = upload(api, report, "over.txt", b"a" * 101)
    assert over.status_code == 400
    assert over.json() == {"file": ["is larger than the 100 bytes an attachment may be"]}
    assert ReportAttachment.objects.filter(inspection=report).count() == 1


def test_reading_stops_at_the_limit_however_large_the_upload():
    chunks = iter([b"a" * 60, b"a" * 60, AssertionError])
    with pytest.raises(Exception, match="larger than the 100 bytes"):
        attachments.read_within(chunks, 100)


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("tank.png", b"MZ\x90\x00" + b"\x00" * 20, "is none of the media types"),
        ("tank.png", PDF, "'tank.png' holds application/pdf, which a name ending in .png does not"),
        ("tool.exe", b"plain words", "'tool.exe' holds text/plain, which a name ending in .exe does not"),
        ("empty.txt", b"", "is empty"),
    ],
)
def test_a_file_is_known_by_its_content_not_its_name(report, leader, name, content, reason):
    response = upload(f.api(leader), report, name, content)
    assert response.status_code == 400
    assert reason in response.json()["file"][0]


def test_nothing_is_attached_to_a_signed_report(report, leader):
    reports.sign(report, leader)
    response = upload(f.api(leader), report, "late.png", PNG)
    assert response.status_code == 409
    assert response.json() == {
        "status": [f"report {report.reference} is signed: only the escort's countersignature may follow"]
    }


def test_the_escort_attaches_nothing_but_reads_the_attachments(report, leader):
    attachment = reports.attach(report, leader, "tank.png", [PNG])
    reports.sign(report, leader)
    escort = f.api(f.person("escort-rus", Role.INSPECTOR, f.party("RUS")))
    assert escort.get(f"/api/inspections/{report.reference}/attachments/{attachment.pk}/").content == PNG
    assert upload(escort, report, "mine.png", PNG).status_code == 403


def test_a_third_party_gets_no_attachment_of_a_signed_report(report, leader):
    attachment = reports.attach(report, leader, "tank.png", [PNG])
    reports.sign(report, leader)
    monitor = f.person("monitor-blr", Role.MONITOR, f.party("BLR"))
    assert f.api(monitor).get(f"/api/inspections/{report.reference}/attachments/{attachment.pk}/").status_code == 404
    admin = Client()
    f.sign_in(admin, monitor)
    assert admin.get(f"/admin/tracker/inspection/{report.pk}/attachments/{attachment.pk}/").status_code == 404


def test_the_admin_uploads_an_attachment_to_a_draft_and_lists_its_hash(report, leader):
    admin = Client()
    f.sign_in(admin, leader)
    page = admin.get(f"/admin/tracker/inspection/{report.pk}/change/")
    form = {key: value for key, value in page.context["adminform"].form.initial.items() if value is not None}
    data = {
        **{k: v for k, v in form.items() if k in ("reference", "kind", "date", "team", "ambiguities")},
        "inspecting_party": report.inspecting_party_id,
        "inspected_party": report.inspected_party_id,
        "site": report.site_id,
        "area": "",
        **f.inline("findings", 1, 1),
        "findings-0-id": report.findings.get().pk,
        "findings-0-inspection": report.pk,
        "findings-0-category": report.findings.get().category_id,
        "findings-0-observed": "3",
        **f.inline("attachments", 1, 0),
        "attachments-0-file": SimpleUploadedFile("tank.png", PNG),
        "attachments-0-caption": "Hangar 3",
    }
    response = admin.post(f"/admin/tracker/inspection/{report.pk}/change/", data)
    assert response.status_code == 302, response.context["errors"]
    attachment = ReportAttachment.objects.get(inspection=report)
    assert (attachment.sha256, attachment.attached_by) == (hashlib.sha256(PNG).hexdigest(), leader)
    page = admin.get(f"/admin/tracker/inspection/{report.pk}/change/").content.decode()
    assert attachment.sha256 in page


def test_the_admin_refuses_a_file_over_the_limit_with_a_form_error(report, leader, settings):
    settings.ATTACHMENT_MAX_BYTES = 10
    admin = Client()
    f.sign_in(admin, leader)
    data = {
        "reference": report.reference,
        "kind": report.kind,
        "date": "2026-03-02",
        "inspecting_party": report.inspecting_party_id,
        "inspected_party": report.inspected_party_id,
        "site": report.site_id,
        "area": "",
        "team": "",
        "ambiguities": "",
        **f.inline("findings", 0, 0),
        **f.inline("attachments", 1, 0),
        "attachments-0-file": SimpleUploadedFile("big.txt", b"a" * 11),
    }
    response = admin.post(f"/admin/tracker/inspection/{report.pk}/change/", data)
    assert response.status_code == 200
    assert "is larger than the 10 bytes an attachment may be" in response.content.decode()
    assert not ReportAttachment.objects.exists()


def test_the_audit_trail_lists_an_attachment_with_its_hash_and_size(report, leader):
    attachment = reports.attach(report, leader, "tank.png", [PNG])
    admin = Client()
    f.sign_in(admin, leader)
    page = admin.get(f"/admin/tracker/inspection/{report.pk}/history/", follow=True).content.decode()
    assert f"tank.png ({len(PNG)} bytes), SHA-256 {attachment.sha256}" in page
