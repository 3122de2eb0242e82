"""The periodic compliance report (``manage.py compliance_report`` and its admin page): findings of the
register by grade and state, concerns and their answers, ceilings with headroom, a map and charts, printed
with WeasyPrint; each reader sees only what they may read."""

import datetime
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from tests import factories as f
from tracker import compliance, compliance_report
from tracker.models.concerns import Concern, ConcernStep, Finding
from tracker.roles import Role

D = datetime.date
TODAY = D(2026, 11, 23)  # the demo's day (tests/test_demo_scenario.py)
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
# What the register grades as indicators: discrepancies to be clarified (CFE Art. XIII.3).
INDICATORS = {
    "inspection_discrepancy",
    "observation_discrepancy",
    "inspection_ambiguity",
    "storage_outside_designated_site",
}


def register(as_of: datetime.date) -> list[Finding]:
    """The register's rows for the engine's findings as of ``as_of``, first seen a month before."""
    return [
        Finding.objects.create(
            key=breach.identity,
            kind=breach.kind,
            grade="indicator" if breach.kind in INDICATORS else "breach",
            zone=breach.zone or "",
            party=breach.party or "",
            category=breach.category or "",
            treaty=breach.treaty or "",
            limit=breach.limit,
            counted=breach.counted,
            excess=breach.excess,
            evidence=breach.evidence,
            geometry=breach.geometry,
            first_seen=as_of - datetime.timedelta(days=30),
            last_seen=as_of,
        )
        for breach in compliance.evaluate(as_of)
    ]


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


@pytest.fixture
def demo():
    call_command("load_demo")
    return register(TODAY)


def test_the_demo_report_is_printed_with_a_known_finding_and_ceiling(demo, tmp_path):
    output = tmp_path / "report.pdf"
    call_command("compliance_report", "--from", "2026-01-01", "--to", "2026-11-30", "--output", str(output))

    assert output.read_bytes().startswith(b"%PDF-")
    ARTIFACTS.mkdir(exist_ok=True)
    shutil.copy(output, ARTIFACTS / "compliance_report_demo.pdf")
    subprocess.run(["pdftoppm", "-png", "-r", "50", str(output), str(ARTIFACTS / "compliance_report_demo")], check=True)
    text = pdf_text(output)
    assert "Compliance report" in text
    exceeded = next(finding for finding in demo if finding.kind == "ceiling_exceeded")
    # The kind in words, its code under them (where the row is too narrow, on a line of its own).
    assert f"ceiling exceeded {exceeded.grade} {exceeded.state} {exceeded.zone}" in " ".join(text.split())
    (ceiling,) = [
        c
        for c in compliance_report.ceilings_on(D(2026, 11, 30), None)
        if (c.zone, c.category, c.party) == (exceeded.zone, exceeded.category, exceeded.party)
    ]
    assert f"{ceiling.counted} / {ceiling.limit}" in text
    assert "Map of the zones" in text

    assert sorted(ARTIFACTS.glob("compliance_report_demo-*.png"))


@pytest.fixture
def two_findings():
    """POL inspected UKR; the register holds the discrepancy its report showed, and a late UKR notification
    about which POL raised a concern that UKR answered."""
    pol, ukr, rus = f.party("POL"), f.party("UKR"), f.party("RUS")
    f.zone("DMZ", f.square(30, 45, 31, 46))
    report = f.inspection(pol, ukr, D(2026, 5, 1), {"tanks": 12}, site=f.site(ukr, 30.5, 45.5))
    seen = {"first_seen": D(2026, 5, 1), "last_seen": D(2026, 6, 30), "zone": "DMZ", "party": "UKR"}
    Finding.objects.create(
        key=f"inspection_discrepancy|DMZ|UKR|tanks|inspection={report.reference}",
        kind="inspection_discrepancy",
        grade="indicator",
        category="tanks",
        evidence={"inspection": report.reference},
        limit=10,
        counted=12,
        **seen,
    )
    late = Finding.objects.create(
        key="late_notification|DMZ|UKR|tanks|notification=UKR-N7",
        kind="late_notification",
        grade="breach",
        state="disputed",
        evidence={"notification": "UKR-N7"},
        **seen,
    )
    concern = Concern.objects.create(
        reference="POL-C-1",
        raised_by=pol,
        raised_against=ukr,
        question="Why was UKR-N7 late?",
        answer_due=D(2026, 7, 15),
        state="answered",
    )
    concern.findings.add(late)
    at = datetime.datetime(2026, 7, 1, 9, tzinfo=datetime.UTC)
    ConcernStep.objects.create(concern=concern, kind="raise", party=pol, made_at=at, text="Why was UKR-N7 late?")
    ConcernStep.objects.create(
        concern=concern,
        kind="answer",
        party=ukr,
        made_at=at + datetime.timedelta(days=3),
        text="The unit's move was delayed by floods",
    )
    return report, rus


def test_a_third_party_inspector_does_not_see_findings_naming_reports_between_others(two_findings, tmp_path):
    report, rus = two_findings
    f.person("inspector-rus", Role.INSPECTOR, rus)
    output = tmp_path / "rus.pdf"
    call_command(
        "compliance_report",
        "--from",
        "2026-06-01",
        "--to",
        "2026-06-30",
        "--user",
        "inspector-rus",
        "--output",
        str(output),
    )

    text = pdf_text(output)
    assert "inspection_discrepancy" not in text
    assert "late_notification" in text
    assert "The unit's move was delayed by floods" not in text  # POL's concern to UKR, not referred: theirs


def test_the_parties_inspectors_see_the_discrepancy(two_findings):
    report, _ = two_findings
    pol = compliance_report.gather(D(2026, 6, 1), D(2026, 6, 30), None, f.person("i", Role.INSPECTOR, f.party("POL")))
    assert sorted(finding.kind for finding in pol.findings) == ["inspection_discrepancy", "late_notification"]
    assert pol.by_grade_and_state[0][1] == [0, 0, 0, 1]  # a breach, disputed
    assert pol.by_grade_and_state[1][1] == [1, 0, 0, 0]  # an indicator, open


def test_findings_last_seen_the_day_before_the_period_are_left_out(two_findings):
    assert compliance_report.gather(D(2026, 7, 1), D(2026, 7, 31), None, None).findings == []
    assert len(compliance_report.gather(D(2026, 6, 30), D(2026, 7, 31), None, None).findings) == 2


def test_a_party_s_report_has_only_its_findings(two_findings):
    assert compliance_report.gather(D(2026, 1, 1), D(2026, 12, 31), f.party("RUS"), None).findings == []
    assert compliance_report.gather(D(2026, 1, 1), D(2026, 12, 31), f.party("RUS"), None).concerns == []


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--from", "2026-11-30", "--to", "2026-01-01"], r"--from \(2026-11-30\) is after --to \(2026-01-01\)"),
        (["--from", "2026-01-01", "--to", "2026-11-30", "--party", "XXX"], "--party: unknown state party 'XXX'"),
        (["--from", "2026-13-01", "--to", "2026-11-30"], "'2026-13-01' is not a date"),
        (["--from", "2026-01-01", "--to", "2026-11-30", "--user", "nobody"], "--user: no active user 'nobody'"),
    ],
)
def test_bad_arguments_stop_the_command_with_a_clear_message(arguments, message, tmp_path):
    output = tmp_path / "report.pdf"
    with pytest.raises(CommandError, match=message):
        call_command("compliance_report", *arguments, "--output", str(output))
    assert not output.exists()


def test_the_command_exits_non_zero_on_bad_arguments(tmp_path):
    run = subprocess.run(
        [sys.executable, "manage.py", "compliance_report", "--from", "2026-11-30", "--to", "2026-01-01"],
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parent.parent,
    )
    assert run.returncode != 0
    assert "--from (2026-11-30) is after --to (2026-01-01)" in run.stderr


def test_the_report_fetches_nothing_from_the_network():
    fetcher = compliance_report.LocalOnly()
    with pytest.raises(ValueError, match="fetches no 'https://tiles.example/1/1/1.png'"):
        fetcher.fetch("https://tiles.example/1/1/1.png")
    with pytest.raises(ValueError, match="fetches no 'file:///etc/passwd'"):
        fetcher.fetch("file:///etc/passwd")
    assert fetcher.fetch("data:text/plain,ok").read() == b"ok"


def test_the_admin_page_previews_and_downloads_the_report_for_a_monitor(two_findings):
    client = Client()
    f.sign_in(client, f.person("monitor", Role.MONITOR, f.party("POL")))
    index = client.get("/admin/").content.decode()
    assert 'href="/admin/compliance-report/"' in index

    preview = client.get("/admin/compliance-report/", {"start": "2026-06-01", "end": "2026-06-30"})
    assert preview.status_code == 200
    assert "The unit&#x27;s move was delayed by floods" in preview.content.decode()

    download = client.get("/admin/compliance-report/", {"start": "2026-06-01", "end": "2026-06-30", "format": "pdf"})
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"] == 'attachment; filename="compliance-report-2026-06-01-2026-06-30.pdf"'
    assert download.content.startswith(b"%PDF-")


def test_the_admin_page_names_a_bad_period(two_findings):
    client = Client()
    f.sign_in(client, f.person("monitor", Role.MONITOR, f.party("POL")))
    page = client.get("/admin/compliance-report/", {"start": "2026-07-01", "end": "2026-06-30", "format": "pdf"})
    assert page.status_code == 200
    assert "the period starts (2026-07-01) after it ends (2026-06-30)" in page.content.decode()


def test_the_admin_page_is_not_for_users_without_a_role():
    client = Client()
    f.sign_in(client, f.person("nobody"))
    assert client.get("/admin/compliance-report/").status_code == 403
