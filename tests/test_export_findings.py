import datetime
import json

import geopandas
import pandas
import pytest
from django.core.management import call_command

from tests import factories as f
from tracker.models import Inspection, Site

D = datetime.date


@pytest.fixture
def breaches():
    """A ceiling exceeded in Z1 (a polygon) and an inspection that saw more than declared (a point)."""
    ukr, pol = f.party("UKR"), f.party("POL")
    zone = f.zone("Z1")
    f.ceiling(zone, 10, applies_to="party", party=ukr)
    depot = f.site(ukr, lon=35.5, lat=48.5)
    f.notification(ukr, D(2026, 1, 1), [(depot, "tanks", 11)])
    f.inspection(pol, ukr, D(2026, 3, 1), {"tanks": 14}, site=depot)


def export(tmp_path, file_format: str):
    path = tmp_path / f"findings.{file_format}"
    call_command("export_findings", path, "--as-of", "2026-06-01", "--format", file_format, verbosity=0)
    return path


# GeoJSON keeps the evidence as an object; a GeoPackage column holds it as JSON text.
@pytest.mark.parametrize("file_format, evidence", [("geojson", dict), ("gpkg", json.loads)])
def test_breaches_are_written_to_a_gis_file_with_their_geometry_and_evidence(breaches, tmp_path, file_format, evidence):
    frame = geopandas.read_file(export(tmp_path, file_format)).sort_values("kind")
    assert frame.crs.to_epsg() == 4326
    assert list(frame["kind"]) == ["ceiling_exceeded", "inspection_discrepancy"]
    assert list(frame["grade"]) == ["breach", "indicator"]
    ceiling, inspection = frame.iloc[0], frame.iloc[1]
    assert (ceiling["zone"], ceiling["party"], ceiling["limit"], ceiling["counted"]) == ("Z1", "UKR", 10, 11)
    assert ceiling.geometry.geom_type == "MultiPolygon" and ceiling.geometry.bounds == (30, 45, 40, 52)
    assert (inspection.geometry.x, inspection.geometry.y) == (35.5, 48.5)
    assert evidence(inspection["evidence"])["inspection"] == Inspection.objects.get().reference


def test_breaches_are_written_to_csv_with_the_geometry_as_wkt(breaches, tmp_path):
    rows = pandas.read_csv(export(tmp_path, "csv"), keep_default_na=False)
    ceiling = rows[rows["kind"] == "ceiling_exceeded"].iloc[0]
    assert ceiling["as_of"] == "2026-06-01" and ceiling["excess"] == 1 and ceiling["grade"] == "breach"
    assert ceiling["geometry_wkt"].startswith("MULTIPOLYGON (((30")
    assert json.loads(ceiling["evidence"])["sites"] == [Site.objects.get().code]


def test_breaches_are_written_to_a_spreadsheet(breaches, tmp_path):
    sheet = pandas.read_excel(export(tmp_path, "xlsx"), sheet_name="breaches")
    assert sorted(zip(sheet["kind"], sheet["grade"])) == [
        ("ceiling_exceeded", "breach"),
        ("inspection_discrepancy", "indicator"),
    ]


def test_a_day_without_breaches_writes_an_empty_layer(tmp_path):
    assert len(geopandas.read_file(export(tmp_path, "gpkg"))) == 0
