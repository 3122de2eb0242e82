"""The report's workflow in the browser (Protocol on Inspection, Section XII.1-2): the team drafts the report with a
finding and a photograph, its leader signs it, the escort countersigns it with comments, and it is locked."""

import datetime

import pytest

from tests import factories as f
from tests import signing
from tracker.models import Inspection, InspectionRequest, ReportStatus
from tracker.roles import Role

pytestmark = pytest.mark.browser

DAY = datetime.date(2026, 3, 2)
ARRIVAL = datetime.datetime(2026, 3, 1, 8, 0, tzinfo=datetime.UTC)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_a_request_leads_to_a_report_the_team_leader_signs_and_the_escort_countersigns(
    page, log_in, screenshot, tmp_path
):
    ukr, rus = f.party("UKR", "Ukraine"), f.party("RUS", "Russian Federation")
    f.treaty()
    depot = f.site(rus, code="PSKOV-1")
    f.notification(rus, datetime.date(2026, 1, 1), [(depot, "tanks", 40)])
    leader, escort = f.person("leader-ukr", Role.INSPECTOR, ukr), f.person("escort-rus", Role.INSPECTOR, rus)

    # The notification of intent, 40 hours before the estimated arrival (Section IV.2: at least 36).
    log_in(leader)
    page.goto("/admin/tracker/inspectionrequest/add/")
    page.fill("#id_reference", "UKR-R-7")
    page.select_option("#id_treaty", label="Settlement")
    page.select_option("#id_inspected_party", label="RUS — Russian Federation")
    page.select_option("#id_kind", value="declared_site")
    page.fill("#id_notified_at_0", "2026-02-27")
    page.fill("#id_notified_at_1", "16:00:00")
    page.fill("#id_estimated_arrival_0", "2026-03-01")
    page.fill("#id_estimated_arrival_1", "08:00:00")
    page.fill("#id_point_of_entry", "Pskov airport")
    page.fill("#id_team", "Col. Petrenko\nMaj. Koval")
    screenshot("report-0-notification-of-intent")
    page.click("input[name=_continue]")
    assert "was added successfully" in page.locator(".messagelist").inner_text()
    request = InspectionRequest.objects.get(reference="UKR-R-7")

    # The escort acknowledges within the hour (IV.4: 3).
    log_in(escort)
    page.goto(f"/admin/tracker/inspectionrequest/{request.pk}/change/")
    page.fill("#id_acknowledged_at_0", "2026-02-27")
    page.fill("#id_acknowledged_at_1", "17:00:00")
    page.click("input[name=_continue]")
    assert "was changed successfully" in page.locator(".messagelist").inner_text()

    # The team arrives, designates the site three hours later (VII.7: 1 to 16) and writes its report.
    log_in(leader)
    page.goto(f"/admin/tracker/inspectionrequest/{request.pk}/change/")
    page.fill("#id_arrived_at_0", "2026-03-01")
    page.fill("#id_arrived_at_1", "08:00:00")
    page.fill("#id_designated_at_0", "2026-03-01")
    page.fill("#id_designated_at_1", "11:00:00")
    page.click(".field-object_of_verification .select2-selection")
    page.fill(".select2-search__field", "PSKOV")
    page.click(".select2-results__option >> text=PSKOV-1")
    page.click("input[name=_continue]")
    assert "was changed successfully" in page.locator(".messagelist").inner_text()
    limits = page.locator(".field-time_limits")
    assert "breached" not in limits.inner_text()
    screenshot("report-0-request-time-limits")
    page.click("text=Write a report")
    page.fill("#id_reference", "UKR-I-7")
    page.fill("#id_date", "2026-03-02")
    page.click("input[name=_continue]")
    assert "was added successfully" in page.locator(".messagelist").inner_text()
    report = Inspection.objects.get(reference="UKR-I-7")
    assert (report.request, report.site, report.kind) == (request, depot, "declared_site")

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
    assert page.input_value("#id_attachments-0-file").endswith("hangar-3.png")
    screenshot("report-1-draft-filled-in")
    page.click("input[name=_continue]")
    assert "was changed successfully" in page.locator(".messagelist").inner_text()
    assert "hangar-3.png" in page.locator("#attachments-group").inner_text()
    screenshot("report-2-draft-saved")

    # The leader signs the report shown on the page with a key file of their own, in the browser.
    page.locator("form.sign-report input.key-file").set_input_files(signing.key_file(leader, tmp_path))
    page.locator("form.sign-report").locator("text=Sign with my key file").click()
    page.locator("form.sign-report").locator("text=Signed: the signature is in the form").wait_for()
    page.click("text=Sign report")
    assert f"Report {report.reference} is now signed by the team leader." in page.locator(".messagelist").inner_text()
    assert page.locator("input[name=_save]").count() == 0
    assert page.locator("text=Sign report").count() == 0
    screenshot("report-3-signed")

    log_in(escort)
    page.goto(f"/admin/tracker/inspection/{report.pk}/change/")
    assert "signed by the team leader" in page.locator(".report-status").inner_text()
    assert "hangar-3.png" in page.locator("#attachments-group").inner_text()
    page.fill("#id_escort_comments", "Six tanks arrived for repair on 1 March; see the workshop log.")
    page.locator("form.countersign input.key-file").set_input_files(signing.key_file(escort, tmp_path))
    page.locator("form.countersign").locator("text=Sign with my key file").click()
    page.locator("form.countersign").locator("text=Signed: the signature is in the form").wait_for()
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
