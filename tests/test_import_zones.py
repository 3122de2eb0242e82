"""import_zones reads GIS files written here by geopandas (pyogrio's own GDAL) in the same
process as GeoDjango (the system's GDAL and GEOS), so a clash between the two shows up here."""

import datetime

import geopandas
import pytest
from django.core.management import CommandError, call_command
from shapely.geometry import MultiPolygon, Polygon, box

from zones.models import Zone, ZoneVersion

D = datetime.date
BOW_TIE = Polygon([(30, 45), (31, 46), (31, 45), (30, 46), (30, 45)])


def write(path, records: list[dict], geometries, crs="EPSG:4326", **options):
    geopandas.GeoDataFrame(records, geometry=geometries, crs=crs).to_file(path, **options)
    return path


def import_zones(path, *args, kind="nested"):
    call_command(
        "import_zones", path, "--code-field", "code", "--name-field", "name", "--kind", kind, *args, verbosity=0
    )


def test_a_geojson_multipolygon_with_a_hole_keeps_its_hole(tmp_path):
    with_hole = Polygon(box(30, 45, 40, 52).exterior.coords, [box(33, 47, 35, 49).exterior.coords])
    shape = MultiPolygon([with_hole, box(41, 45, 42, 46)])
    import_zones(write(tmp_path / "zones.geojson", [{"code": "EAST", "name": "Eastern zone"}], [shape]))
    geom = ZoneVersion.objects.get(zone__code="EAST").geom
    assert len(geom) == 2 and geom[0].num_interior_rings == 1
    assert geom.area == pytest.approx(70 - 4 + 1)


def test_a_geopackage_in_a_projected_crs_is_reprojected_to_wgs84(tmp_path):
    square = geopandas.GeoSeries([box(30, 45, 31, 46)], crs="EPSG:4326").to_crs("EPSG:3035")
    path = write(tmp_path / "zones.gpkg", [{"code": "DMZ", "name": "Buffer"}], square, crs="EPSG:3035", layer="zones")
    import_zones(path, "--layer", "zones")
    xmin, ymin, xmax, ymax = ZoneVersion.objects.get().geom.extent
    assert (xmin, ymin) == (pytest.approx(30, abs=1e-6), pytest.approx(45, abs=1e-6))
    assert (xmax, ymax) == (pytest.approx(31, abs=1e-6), pytest.approx(46, abs=1e-6))
    assert Zone.objects.get().kind == "nested"


def test_a_bow_tie_is_repaired_into_two_triangles_and_the_row_is_named(tmp_path, capsys):
    path = write(tmp_path / "zones.geojson", [{"code": "BT", "name": "Bow tie"}], [BOW_TIE])
    call_command("import_zones", path, "--code-field", "code", "--name-field", "name", "--kind", "limitation")
    geom = ZoneVersion.objects.get(zone__code="BT").geom
    assert geom.valid and len(geom) == 2
    assert "zones.geojson, row 1: repaired (Self-intersection" in capsys.readouterr().out


def test_with_reject_invalid_a_bow_tie_is_refused_by_row_and_nothing_is_written(tmp_path, capsys):
    path = write(
        tmp_path / "zones.geojson",
        [{"code": "OK", "name": "Fine"}, {"code": "BT", "name": "Bow tie"}],
        [box(0, 0, 1, 1), BOW_TIE],
    )
    with pytest.raises(CommandError, match="1 rejected row"):
        import_zones(path, "--reject-invalid", "--report", str(tmp_path / "report.csv"))
    assert "zones.geojson, row 2, geometry: geometry is not valid: Self-intersection" in capsys.readouterr().err
    report = (tmp_path / "report.csv").read_text(encoding="utf-8-sig")  # for spreadsheets: a byte order mark first
    assert report.startswith("row,field,reason\n2,geometry,geometry is not valid")
    assert not Zone.objects.exists()


def test_a_shapefile_of_districts_dissolves_into_one_zone_and_its_cpg_encoding_is_honoured(tmp_path):
    districts = [
        {"zone": "IV.4", "zone_name": "Центральна зона", "district": "A"},
        {"zone": "IV.4", "zone_name": "Центральна зона", "district": "B"},
        {"zone": "FLANK", "zone_name": "Фланг", "district": "C"},
    ]
    path = write(
        tmp_path / "districts.shp",
        districts,
        [box(10, 48, 15, 54), box(15, 48, 20, 54), box(30, 40, 40, 45)],
        encoding="cp1251",
    )
    assert (tmp_path / "districts.cpg").read_text().upper().startswith("CP1251")
    call_command(
        "import_zones", path, "--code-field", "zone", "--name-field", "zone_name", "--kind", "nested",
        "--dissolve-by", "zone", verbosity=0,
    )  # fmt: skip
    central = ZoneVersion.objects.get(zone__code="IV.4")
    assert central.zone.name == "Центральна зона"
    assert len(central.geom) == 1 and central.geom.area == pytest.approx(60)
    assert Zone.objects.get(code="FLANK").name == "Фланг"


def test_two_features_with_one_code_are_refused_without_dissolve(tmp_path, capsys):
    path = write(tmp_path / "z.geojson", [{"code": "A", "name": "A"}] * 2, [box(0, 0, 1, 1), box(1, 0, 2, 1)])
    with pytest.raises(CommandError):
        import_zones(path)
    assert "row 2, code: zone 'A' is also on row 1 (--dissolve-by merges them)" in capsys.readouterr().err


@pytest.mark.filterwarnings("ignore:'crs' was not provided")
def test_a_file_without_a_crs_is_refused_saying_so(tmp_path):
    path = write(tmp_path / "zones.gpkg", [{"code": "A", "name": "A"}], [box(0, 0, 1, 1)], crs=None)
    with pytest.raises(CommandError, match="zones.gpkg: the file declares no CRS; the CRS is never guessed"):
        import_zones(path)
    assert not Zone.objects.exists()


def test_a_shapefile_whose_prj_cannot_be_read_is_refused_saying_so(tmp_path):
    path = write(tmp_path / "zones.shp", [{"code": "A", "name": "A"}], [box(0, 0, 1, 1)])
    (tmp_path / "zones.prj").write_text("NOT A CRS[")
    with pytest.raises(CommandError, match=r"zones.shp: its CRS \(zones.prj\) cannot be read"):
        import_zones(path)


def test_a_line_and_an_empty_name_are_rejected_by_row(tmp_path, capsys):
    from shapely.geometry import LineString

    path = write(
        tmp_path / "z.geojson",
        [{"code": "A", "name": "A"}, {"code": "B", "name": ""}],
        [LineString([(0, 0), (1, 1)]), box(0, 0, 1, 1)],
    )
    with pytest.raises(CommandError, match="2 rejected row"):
        import_zones(path)
    err = capsys.readouterr().err
    assert "row 1, geometry: a zone is an area (Polygon or MultiPolygon), not a LineString" in err
    assert "row 2, name: is empty" in err


def test_update_with_valid_from_starts_a_new_version_and_ends_the_old_one(tmp_path, capsys):
    import_zones(write(tmp_path / "v1.geojson", [{"code": "FLANK", "name": "Flank"}], [box(30, 40, 50, 50)]))
    path = write(tmp_path / "v2.geojson", [{"code": "FLANK", "name": "Flank"}], [box(30, 40, 40, 50)])
    with pytest.raises(CommandError, match="nothing was written"):
        import_zones(path)
    assert "row 1, code: zone FLANK already exists (--update)" in capsys.readouterr().err
    import_zones(path, "--update", "--valid-from", "1997-05-15")
    zone = Zone.objects.get(code="FLANK")
    assert zone.versions.in_force(D(1997, 5, 14)).get().geom.extent == (30, 40, 50, 50)
    assert zone.versions.in_force(D(1997, 5, 15)).get().geom.extent == (30, 40, 40, 50)
