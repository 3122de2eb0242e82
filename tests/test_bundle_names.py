"""A bundle carries names in Ukrainian and Russian beside the English one (docs/bundle.md, zones.names):
``name_uk``, ``name_ru`` in parties.csv, treaties.csv, groups.csv, categories.csv and the properties of
zones.* and lines.*; ``site_name_uk``, ``site_name_ru`` in declarations.csv. Exported and loaded back, they
are the same characters, the Ukrainian apostrophe (U+02BC) and quotes included."""

import csv
import json

import pytest

from tests import bundles
from tests.test_bundle_export import empty_the_database
from tracker import bundle
from tracker.models import EquipmentCategory, PartyGroup, Site, StateParty, Treaty
from zones.models import ContactLine, Zone


def names(model, **lookup) -> tuple[str, str]:
    record = model.objects.get(**lookup)
    return record.name_uk, record.name_ru


def test_each_record_takes_its_names_in_ukrainian_and_russian_from_the_bundle(tmp_path):
    bundle.load(bundles.write(tmp_path, records=True))

    assert names(StateParty, code="UKR") == ("Україна", "Украина")
    assert names(PartyGroup, name="Group A") == ("Група А", "Группа А")
    assert names(EquipmentCategory, code="tanks") == ("Бойовий танк", "Боевой танк")
    assert names(EquipmentCategory, code="artillery")[0] == "Артилерія"
    assert names(Zone, code="WEST") == ("Західна зона", "Западная зона")
    assert names(ContactLine, code="LOC") == ("Лінія зіткнення", "Линия соприкосновения")
    assert names(Treaty, name="Settlement") == ("Угода про врегулювання", "Соглашение об урегулировании")
    assert names(Site, party__code="UKR", code="S1") == tuple(bundles.ONE)
    assert names(Site, party__code="UKR", code="S2") == tuple(bundles.TWO)


def test_a_bundle_without_the_names_loads_its_records_with_them_empty(tmp_path):
    bundle.load(bundles.write(tmp_path))
    assert names(StateParty, code="UKR") == ("", "")
    assert names(Site, party__code="UKR", code="S1") == ("", "")
    assert names(Zone, code="EAST") == ("", "")


@pytest.mark.django_db(transaction=True)
def test_the_export_writes_every_name_as_it_was_loaded_and_they_load_back_the_same(tmp_path):
    bundle.load(bundles.write(tmp_path / "source", records=True))
    bundle.export(tmp_path / "out")
    out = tmp_path / "out"

    def table(name: str) -> list[dict]:
        with (out / name).open(newline="", encoding="utf-8") as handle:
            return list(csv.DictReader(handle))

    sites = {row["site"]: row for row in table("declarations.csv") if row["party"] == "UKR"}
    assert [sites["S1"]["site_name_uk"], sites["S1"]["site_name_ru"]] == bundles.ONE
    assert [sites["S2"]["site_name_uk"], sites["S2"]["site_name_ru"]] == bundles.TWO
    assert "обʼєкта".encode() in (out / "declarations.csv").read_bytes()  # U+02BC, not a ' or a ’
    assert {row["code"]: row["name_uk"] for row in table("parties.csv")}["RUS"] == "Російська Федерація"
    assert {row["name"]: row["name_ru"] for row in table("groups.csv")}["Group A"] == "Группа А"
    assert {row["code"]: row["name_ru"] for row in table("categories.csv")}["tanks"] == "Боевой танк"
    assert table("treaties.csv")[0]["name_uk"] == "Угода про врегулювання"
    zones = json.loads((out / "zones.geojson").read_text(encoding="utf-8"))["features"]
    assert {f["properties"]["code"]: f["properties"]["name_ru"] for f in zones}["EAST"] == "Восточная зона"
    assert "Східна зона".encode() in (out / "zones.geojson").read_bytes()  # not \\u-escaped
    lines = json.loads((out / "lines.geojson").read_text(encoding="utf-8"))["features"]
    assert lines[0]["properties"]["name_uk"] == "Лінія зіткнення"

    empty_the_database()  # the treaty's categories stay, named already: the same names are accepted
    bundle.load(out)
    assert names(Site, party__code="UKR", code="S2") == tuple(bundles.TWO)
    assert names(EquipmentCategory, code="tanks") == ("Бойовий танк", "Боевой танк")
    assert names(PartyGroup, name="Group A") == ("Група А", "Группа А")


def test_a_category_stored_with_another_name_is_refused_naming_file_row_and_field(tmp_path):
    EquipmentCategory.objects.filter(code="tanks").update(name_uk="Танк")
    with pytest.raises(bundle.BundleError) as refused:
        bundle.load(bundles.write(tmp_path, records=True))
    assert "categories.csv, row 2, name_uk: category 'tanks' is stored with name_uk 'Танк'" in [
        str(error) for error in refused.value.errors
    ]
    assert not StateParty.objects.exists()


def test_a_category_named_otherwise_in_english_is_refused(tmp_path):
    folder = bundles.write(tmp_path, records=True)
    text = (folder / "categories.csv").read_text(encoding="utf-8").replace("Battle tank,", "Tank,")
    (folder / "categories.csv").write_text(text, encoding="utf-8")
    with pytest.raises(bundle.BundleError) as refused:
        bundle.load(folder)
    assert [str(error) for error in refused.value.errors] == [
        "categories.csv, row 2, name: category 'tanks' is stored with name 'Battle tank'"
    ]


@pytest.mark.parametrize(("length", "refused"), [(200, False), (201, True)])
def test_a_site_name_in_ukrainian_may_be_200_characters_long_not_201(tmp_path, length, refused):
    long_name = "ї" * length
    folder = bundles.write(tmp_path, records=True)
    text = (folder / "declarations.csv").read_text(encoding="utf-8").replace(bundles.ONE[0], long_name)
    (folder / "declarations.csv").write_text(text, encoding="utf-8")
    if not refused:
        bundle.load(folder)
        assert Site.objects.get(party__code="UKR", code="S1").name_uk == long_name
        return
    with pytest.raises(bundle.BundleError) as error:
        bundle.load(folder)
    assert "declarations.csv, row 2, site_name_uk: is longer than 200 characters" in [
        str(e) for e in error.value.errors
    ]
