"""Downloads meant for spreadsheets never carry a cell a spreadsheet would run as a formula."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.core.management import call_command

from tests import factories as f
from tracker.roles import Role
from zones.spreadsheets import cell

D = datetime.date
LINK = '=HYPERLINK("//e.io","x")'


@pytest.fixture
def zone_named_like_a_formula():
    """A 10-tank ceiling in a zone whose code is a formula, exceeded by UKR."""
    ukr = f.party("UKR")
    zone = f.zone(LINK, geom=f.square(30, 45, 40, 52))
    f.ceiling(zone, 10, applies_to="each")
    f.notification(ukr, D(2026, 1, 1), [(f.site(ukr, 35.5, 48.5), "tanks", 11)])


def csv_rows(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


@pytest.mark.parametrize(
    "text, written",
    [
        (LINK, "'" + LINK),
        ("+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("Depot one", "Depot one"),
        ("-12.5", "-12.5"),
        (-3, -3),
        (None, None),
    ],
)
def test_text_a_spreadsheet_would_run_gets_a_quote_and_numbers_stay_numbers(text, written):
    assert cell(text) == written


def test_the_violations_csv_writes_a_formula_zone_code_as_text(zone_named_like_a_formula):
    monitor = f.api(f.person("monitor", Role.MONITOR))
    response = monitor.get("/api/violations/", {"as_of": "2026-06-01", "format": "csv"})
    [row] = csv_rows(response.content.decode())
    assert row["zone"] == "'" + LINK
    assert row["limit"] == "10" and row["excess"] == "1"


def test_export_findings_csv_writes_a_formula_zone_code_as_text(zone_named_like_a_formula, tmp_path):
    path = tmp_path / "findings.csv"
    call_command("export_findings", path, "--as-of", "2026-06-01", "--format", "csv", verbosity=0)
    [row] = csv_rows(path.read_text(encoding="utf-8"))
    assert row["zone"] == "'" + LINK
    assert row["counted"] == "11"


def test_export_findings_xlsx_stores_a_formula_zone_code_as_a_text_cell(zone_named_like_a_formula, tmp_path):
    path = tmp_path / "findings.xlsx"
    call_command("export_findings", path, "--as-of", "2026-06-01", "--format", "xlsx", verbosity=0)
    sheet = openpyxl.load_workbook(path)["breaches"]
    header = [c.value for c in sheet[1]]
    zone, limit = sheet.cell(2, header.index("zone") + 1), sheet.cell(2, header.index("limit") + 1)
    assert (zone.value, zone.data_type, zone.quotePrefix) == (LINK, "s", True)
    assert (limit.value, limit.data_type) == (10, "n")


def test_check_compliance_csv_writes_a_formula_zone_code_as_text(zone_named_like_a_formula, capsys):
    with pytest.raises(SystemExit):
        call_command("check_compliance", "--as-of", "2026-06-01", "--format", "csv")
    [row] = csv_rows(capsys.readouterr().out)
    assert row["zone"] == "'" + LINK
