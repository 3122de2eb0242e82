"""import_bundle and import_zones read local files in the documented formats, inside the folder
they were given, and follow nothing a file points at: no VRT, no link out, no network."""

import json
import socket
import threading

import geopandas
import pytest
from django.core.management import CommandError, call_command
from shapely.geometry import box

from tests import bundles
from tracker.models import StateParty
from zones.models import Zone


@pytest.fixture
def listener():
    """A local TCP port that records every connection made to it, as GDAL's HTTP client would."""
    server = socket.create_server(("127.0.0.1", 0))
    server.settimeout(0.2)
    connections, stop = [], threading.Event()

    def accept():
        while not stop.is_set():
            try:
                connection, _ = server.accept()
            except TimeoutError:
                continue
            connections.append(connection.recv(200))
            connection.close()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.getsockname()[1]}", connections
    stop.set()
    thread.join()
    server.close()


def vrt(source: str) -> str:
    return f'<OGRVRTDataSource><OGRVRTLayer name="zones"><SrcDataSource>{source}</SrcDataSource></OGRVRTLayer></OGRVRTDataSource>'


def zones_outside(tmp_path):
    """A valid zones file outside the bundle's folder."""
    path = tmp_path / "elsewhere" / "zones.geojson"
    path.parent.mkdir()
    zones = geopandas.GeoDataFrame(
        {"code": ["EAST", "WEST"], "name": ["Eastern zone", "Western zone"], "kind": ["nested", "nested"]},
        geometry=[box(30, 45, 40, 52), box(10, 45, 30, 55)],
        crs="EPSG:4326",
    )
    zones.to_file(path, driver="GeoJSON")
    return path


def import_bundle(folder, capsys) -> str:
    """Run import_bundle, which must refuse; what it wrote on standard error."""
    with pytest.raises(CommandError, match="nothing was written"):
        call_command("import_bundle", folder, "--no-progress")
    assert not StateParty.objects.exists() and not Zone.objects.exists()
    return capsys.readouterr().err


def import_zones(path):
    call_command("import_zones", path, "--code-field", "code", "--name-field", "name", "--kind", "nested", verbosity=0)


def test_a_zones_vrt_pointing_outside_the_bundle_is_refused_naming_it(tmp_path, capsys):
    folder = bundles.write(tmp_path / "bundle")
    (folder / "zones.geojson").unlink()
    (folder / "zones.vrt").write_text(vrt(str(zones_outside(tmp_path))))
    errors = import_bundle(folder, capsys)
    assert "zones.vrt, row 0, -: is not one of the zones files read (zones.geojson, zones.gpkg, zones.shp)" in errors


def test_a_vrt_under_the_name_zones_geojson_is_refused_by_its_content(tmp_path, capsys):
    folder = bundles.write(tmp_path / "bundle")
    (folder / "zones.geojson").write_text(vrt(str(zones_outside(tmp_path))))
    assert "zones.geojson: its content is not GeoJSON, as its name says" in import_bundle(folder, capsys)


@pytest.mark.parametrize("name", ["zones.vrt", "zones.geojson"])
def test_a_vsicurl_source_is_refused_without_any_network_attempt(tmp_path, capsys, listener, name):
    url, connections = listener
    folder = bundles.write(tmp_path / "bundle")
    (folder / "zones.geojson").unlink()
    (folder / name).write_text(vrt(f"/vsicurl/{url}/zones.geojson"))
    assert f"{name}, row 0" in import_bundle(folder, capsys)
    assert connections == []


def test_a_geojson_whose_crs_is_a_link_is_refused_without_fetching_it(tmp_path, capsys, listener):
    url, connections = listener
    folder = bundles.write(tmp_path / "bundle")
    zones = json.loads((folder / "zones.geojson").read_text())
    zones["crs"] = {"type": "link", "properties": {"href": f"{url}/crs.wkt", "type": "ogcwkt"}}
    (folder / "zones.geojson").write_text(json.dumps(zones))
    assert "zones.geojson: its CRS" in import_bundle(folder, capsys)
    assert connections == []


@pytest.mark.parametrize("name", ["zones.geojson", "parties.csv"])
def test_a_file_linked_from_outside_the_bundle_is_refused(tmp_path, capsys, name):
    folder = bundles.write(tmp_path / "bundle")
    outside = tmp_path / "elsewhere" / name
    outside.parent.mkdir()
    (folder / name).rename(outside)
    (folder / name).symlink_to(outside)
    errors = import_bundle(folder, capsys)
    assert f"{name}, row 0, " in errors and f"leads to {outside}, outside {folder}" in errors


@pytest.mark.parametrize("name, driver", [("zones.gpkg", "GPKG"), ("zones.shp", "ESRI Shapefile")])
def test_a_geopackage_or_shapefile_inside_the_bundle_loads_as_before(tmp_path, name, driver):
    folder = bundles.write(tmp_path / "bundle")
    zones = geopandas.read_file(folder / "zones.geojson")
    for column in ("valid_from", "valid_to"):
        zones[column] = zones[column].dt.strftime("%Y-%m-%d")  # a Shapefile has no date-time fields
    (folder / "zones.geojson").unlink()
    zones.to_file(folder / name, driver=driver)
    call_command("import_bundle", folder, "--no-progress", verbosity=0)
    assert sorted(Zone.objects.values_list("code", flat=True)) == ["EAST", "WEST"]


def test_import_zones_refuses_a_vsicurl_path_without_any_network_attempt(listener):
    url, connections = listener
    with pytest.raises(CommandError, match="GDAL virtual paths and URLs are never read"):
        import_zones(f"/vsicurl/{url}/zones.geojson")
    assert connections == []


def test_import_zones_refuses_a_vrt_naming_it(tmp_path):
    path = tmp_path / "districts.vrt"
    path.write_text(vrt(str(zones_outside(tmp_path))))
    with pytest.raises(CommandError, match=r"districts.vrt: is not one of the formats read \(.geojson, .gpkg, .shp\)"):
        import_zones(path)
    assert not Zone.objects.exists()


def test_import_zones_refuses_a_shapefile_whose_dbf_leads_elsewhere(tmp_path):
    folder, elsewhere = tmp_path / "districts", tmp_path / "elsewhere"
    folder.mkdir()
    elsewhere.mkdir()
    geopandas.GeoDataFrame({"code": ["A"], "name": ["A"]}, geometry=[box(0, 0, 1, 1)], crs="EPSG:4326").to_file(
        folder / "zones.shp"
    )
    (folder / "zones.dbf").rename(elsewhere / "zones.dbf")
    (folder / "zones.dbf").symlink_to(elsewhere / "zones.dbf")
    with pytest.raises(CommandError, match=f"zones.dbf: leads to {elsewhere / 'zones.dbf'}, outside"):
        import_zones(folder / "zones.shp")
    assert not Zone.objects.exists()
