"""Every export keeps UTF-8 text whole: Cyrillic names, the Ukrainian apostrophe (U+02BC), read back
by the readers people and tools use (Python's csv, openpyxl, GDAL's ogrinfo and ogr2ogr, pyogrio).

A CSV meant for a spreadsheet (export_findings --format csv, the API's ?format=csv) begins with UTF-8's
byte order mark, without which Excel reads it in a legacy code page; what machines read (the bundle,
check_compliance on standard output) has none (zones.spreadsheets)."""

import csv
import datetime
import io
import subprocess

import geopandas
import openpyxl
import pytest
from django.core.management import call_command

from tests import bundles
from tests import factories as f
from tracker import bundle
from tracker.roles import Role

D = datetime.date
BOM = b"\xef\xbb\xbf"
TREATY = "Угода про врегулювання (сценарійʼ)"


@pytest.fixture
def breach():
    """UKR holds 11 tanks under a 10-tank ceiling of a treaty whose name is Cyrillic."""
    ukr = f.party("UKR")
    zone = f.zone("Z1")
    f.ceiling(zone, 10, applies_to="party", party=ukr, treaty=f.treaty(TREATY))
    f.notification(ukr, D(2026, 1, 1), [(f.site(ukr, lon=35.5, lat=48.5), "tanks", 11)])


def export(tmp_path, file_format: str):
    path = tmp_path / f"findings.{file_format}"
    call_command("export_findings", path, "--as-of", "2026-06-01", "--format", file_format, verbosity=0)
    return path


def test_the_findings_csv_begins_with_a_byte_order_mark_and_keeps_the_cyrillic(breach, tmp_path):
    path = export(tmp_path, "csv")
    assert path.read_bytes().startswith(BOM + b"kind,")
    with path.open(newline="", encoding="utf-8-sig") as handle:
        [row] = list(csv.DictReader(handle))
    assert (row["treaty"], row["zone"], row["excess"]) == (TREATY, "Z1", "1")


def test_the_violations_download_begins_with_a_byte_order_mark_and_keeps_the_cyrillic(breach):
    response = f.api(f.person("monitor", Role.MONITOR)).get(
        "/api/violations/", {"as_of": "2026-06-01", "format": "csv"}
    )
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith(BOM + b"kind,")
    [row] = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert row["treaty"] == TREATY


def test_the_findings_xlsx_keeps_the_cyrillic(breach, tmp_path):
    sheet = openpyxl.load_workbook(export(tmp_path, "xlsx"))["breaches"]
    header = [cell.value for cell in sheet[1]]
    assert sheet.cell(2, header.index("treaty") + 1).value == TREATY


@pytest.mark.parametrize("file_format", ["gpkg", "geojson"])
def test_the_findings_gis_files_keep_the_cyrillic_for_gdal(breach, tmp_path, file_format):
    path = export(tmp_path, file_format)
    assert list(geopandas.read_file(path, engine="pyogrio")["treaty"]) == [TREATY]
    listed = subprocess.run(["ogrinfo", "-ro", "-al", "-q", str(path)], capture_output=True, check=True).stdout
    assert f"treaty (String) = {TREATY}".encode() in listed


def test_check_compliance_csv_on_standard_output_has_no_byte_order_mark_and_keeps_the_cyrillic(breach, capsys):
    with pytest.raises(SystemExit):
        call_command("check_compliance", "--as-of", "2026-06-01", "--format", "csv")
    out = capsys.readouterr().out
    assert out.startswith("kind,")
    assert [row["treaty"] for row in csv.DictReader(io.StringIO(out))] == [TREATY]


def test_the_bundle_has_no_byte_order_mark_and_ogr2ogr_carries_its_cyrillic_names_into_a_geopackage(tmp_path):
    bundle.load(bundles.write(tmp_path / "source", records=True))
    bundle.export(tmp_path / "out")
    assert (tmp_path / "out" / "parties.csv").read_bytes().startswith(b"code,name,group,name_uk,name_ru\n")
    assert (tmp_path / "out" / "declarations.csv").read_bytes().startswith(b"notification,")
    gpkg = tmp_path / "zones.gpkg"
    subprocess.run(["ogr2ogr", "-f", "GPKG", str(gpkg), str(tmp_path / "out" / "zones.geojson")], check=True)
    listed = subprocess.run(["ogrinfo", "-ro", "-al", "-q", str(gpkg)], capture_output=True, check=True).stdout
    assert "name_uk (String) = Західна зона".encode() in listed
    assert "name_ru (String) = Восточная зона".encode() in listed
    frame = geopandas.read_file(gpkg, engine="pyogrio")
    assert set(frame["name_uk"]) == {"Східна зона", "Західна зона"}
