"""A bundle's and a zone file's errors read in the language the command runs in (LANGUAGE_CODE, or the
active language), and still name the file, the row and the field: only the reason is translated,
never the file and column names, codes or values, so the translated message tells no more than the
English one (docs/bundle.md, "Loading: all or nothing")."""

import io

import geopandas
import pytest
from django.core.management import CommandError, call_command
from django.utils import translation
from shapely.geometry import box

from tests import bundles
from tracker import bundle
from tracker.models import StateParty

BAD = {
    ("declarations.csv", 4, "quantity"): "-3",
    ("declarations.csv", 3, "party"): "XXX",
    ("ceilings.csv", 2, "limit"): "ten",
}
EXPECTED = {
    "en-gb": [
        "ceilings.csv, row 2, limit: 'ten' is not a whole number",
        "declarations.csv, row 3, party: unknown party 'XXX'",
        "declarations.csv, row 4, quantity: -3 is negative",
    ],
    "uk": [
        "ceilings.csv, рядок 2, limit: 'ten' не є цілим числом",
        "declarations.csv, рядок 3, party: невідома сторона 'XXX'",
        "declarations.csv, рядок 4, quantity: -3 — від'ємне число",
    ],
    "ru": [
        "ceilings.csv, строка 2, limit: 'ten' не является целым числом",
        "declarations.csv, строка 3, party: неизвестная сторона 'XXX'",
        "declarations.csv, строка 4, quantity: -3 — отрицательное число",
    ],
}


@pytest.mark.parametrize("language", ["en-gb", "uk", "ru"])
def test_a_bad_bundle_is_refused_in_the_language_naming_file_row_and_field(tmp_path, language):
    folder = bundles.write(tmp_path, {(name, row, column): value for (name, row, column), value in BAD.items()})
    with translation.override(language), pytest.raises(bundle.BundleError) as refused:
        bundle.load(folder)
    with translation.override(language):
        said = [str(error) for error in refused.value.errors]
    assert said == EXPECTED[language]
    assert not StateParty.objects.exists()


def test_import_bundle_counts_the_bad_values_in_russian(tmp_path):
    folder = bundles.write(tmp_path, {("declarations.csv", 4, "quantity"): "-3"})
    errors = io.StringIO()
    with translation.override("ru"), pytest.raises(CommandError) as refused:
        call_command("import_bundle", folder, "--no-progress", stderr=errors)
    assert str(refused.value) == f"{folder}: неправильных значений — 1; ничего не записано"
    assert errors.getvalue() == "declarations.csv, строка 4, quantity: -3 — отрицательное число\n"


def test_a_zone_file_without_a_crs_is_refused_in_ukrainian_naming_the_file(tmp_path):
    path = tmp_path / "zones.gpkg"
    geopandas.GeoDataFrame([{"code": "A", "name": "A"}], geometry=[box(0, 0, 1, 1)], crs=None).to_file(path)
    with translation.override("uk"), pytest.raises(CommandError) as refused:
        call_command("import_zones", path, "--code-field", "code", "--name-field", "name", "--kind", "nested")
    assert str(refused.value).startswith("zones.gpkg: файл не оголошує CRS; CRS ніколи не вгадують")


def test_a_zone_rejected_by_row_is_told_in_russian(tmp_path, capsys):
    path = tmp_path / "zones.geojson"
    geopandas.GeoDataFrame([{"code": "A", "name": ""}], geometry=[box(0, 0, 1, 1)], crs="EPSG:4326").to_file(path)
    with translation.override("ru"), pytest.raises(CommandError, match="отклоненных строк — 1"):
        call_command("import_zones", path, "--code-field", "code", "--name-field", "name", "--kind", "nested")
    assert "zones.geojson, строка 1, name: пусто" in capsys.readouterr().err
