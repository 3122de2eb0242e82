"""What the API serves as GeoJSON opens in GDAL, the library GIS tools read it with."""

import datetime
import re
import shutil
import subprocess

import pytest

from tests import factories as f
from tracker.roles import Role

D = datetime.date

pytestmark = pytest.mark.skipif(shutil.which("ogrinfo") is None, reason="needs GDAL's ogrinfo (gdal-bin)")


def ogr_summary(path) -> tuple[int, str]:
    output = subprocess.run(["ogrinfo", "-so", "-al", str(path)], capture_output=True, text=True, check=True).stdout
    count = int(re.search(r"^Feature Count: (\d+)$", output, re.M).group(1))
    geometry = re.search(r"^Geometry: (.+)$", output, re.M).group(1)
    return count, geometry


def test_zones_open_in_gdal_with_every_feature(tmp_path):
    for n in range(3):
        f.zone(f"Z{n}", geom=f.square(30 + n, 45, 31 + n, 52))
    saved = tmp_path / "zones.geojson"
    saved.write_bytes(f.api(f.person("monitor", Role.MONITOR)).get("/api/zones/").content)
    assert ogr_summary(saved) == (3, "Multi Polygon")


def test_violations_open_in_gdal_with_every_feature(tmp_path):
    ukr = f.party("UKR")
    for n in range(2):
        f.ceiling(f.zone(f"Z{n}", geom=f.square(30 + n, 45, 31 + n, 52)), 1, applies_to="all")
        f.notification(ukr, D(2024, 1, 1), [(f.site(ukr, 30.5 + n, 48), "tanks", 5)])
    saved = tmp_path / "violations.geojson"
    response = f.api(f.person("monitor", Role.MONITOR)).get("/api/violations/?as_of=2024-06-01&format=geojson")
    saved.write_bytes(response.content)
    assert ogr_summary(saved) == (2, "Multi Polygon")
