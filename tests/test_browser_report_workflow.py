"""The report's workflow in the browser (Protocol on Inspection, Section XII.1-2): the team drafts the report with a
finding and a photograph, its leader signs it, the escort countersigns it with comments, and it is locked."""

import datetime

import pytest

from tests import factories as f
from tracker.models import Inspection, InspectionRequest, ReportStatus
from tracker.roles import Role

pytestmark = pytest.mark.browser

DAY = datetime.date(2026, 3, 2)
ARRIVAL = datetime.datetime(2026, 3, 1, 8, 0, tzinfo=datetime.UTC)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_the_team_leader_signs_and_the_escort_countersigns_a_report(page, log_in, screenshot):
    ukr, rus = f.party("UKR", "Ukraine"), f.party("RUS", "Russian Federation")
    treaty = f.treaty()
    depot = f.site(rus, code="PSKOV-1")
    f.notification(rus, datetime.date(2026, 1, 1), [(depot, "tanks", 40)])
    request = InspectionRequest.objects.create(
        reference="UKR-R-7",
        treaty=treaty,
        inspecting_party=ukr,
        inspected_party=rus,
        kind="declared_site",
        notified_at=ARRIVAL - datetime.timedelta(hours=40),
        point_of_entry="Pskov airport",
        estimated_arrival=ARRIVAL,
    )
    report = f.inspection(ukr, rus, DAY, {}, site=depot, status="draft")
    Inspection.objects.filter(pk=report.pk).update(request=request, team="Col. Petrenko\nMaj. Koval")
    log_in(f.person("leader-ukr", Role.INSPECTOR, ukr))

    page.goto(f"/admin/tracker/inspection/{report.pk}/change/")
    assert page.locator(".report-status").inner_text().startswith(f"Report {report.reference}: draft")
    page.locator("#findings-group .add-row a").click()
    page.select_option("#id_findings-0-category", label="Battle tank")
    page.fill("#id_findings-0-observed", "46")
    page.locator("#attachments-group .add-row a").click()
    page.set_input_files(
        "#id_attachments-0-file", files=[{"name": "hangar-3.png", "mimeType": "image/png", "buffer": PNG}]
    )
    page.fill("#id_attachments-0-caption", "Hangar 3, north wall")
    screenshot("report-1-draft-filled-in")
    page.click("input[name=_continue]")
    assert "was changed successfully" in page.locator(".messagelist").inner_text()
    assert "hangar-3.png" in page.locator("#attachments-group").inner_text()
    screenshot("report-2-draft-saved")

    page.click("text=Sign report")
    assert f"Report {report.reference} is now signed by the team leader." in page.locator(".messagelist").inner_text()
    assert page.locator("input[name=_save]").count() == 0
    assert page.locator("text=Sign report").count() == 0
    screenshot("report-3-signed")

    log_in(f.person("escort-rus", Role.INSPECTOR, rus))
    page.goto(f"/admin/tracker/inspection/{report.pk}/change/")
    assert "signed by the team leader" in page.locator(".report-status").inner_text()
    assert "hangar-3.png" in page.locator("#attachments-group").inner_text()
    page.fill("#id_escort_comments", "Six tanks arrived for repair on 1 March; see the workshop log.")
    screenshot("report-4-escort-comments")
    page.click("form.countersign input[type=submit]")
    assert "countersigned by the escort (locked)" in page.locator(".report-status").inner_text()
    assert "Six tanks arrived for repair" in page.locator(".field-escort_comments").inner_text()
    assert page.locator("form.countersign").count() == 0
    screenshot("report-5-countersigned")

    report.refresh_from_db()
    assert report.status == ReportStatus.COUNTERSIGNED
    assert report.findings.get().observed == 46
    assert report.attachments.get().size == len(PNG)
