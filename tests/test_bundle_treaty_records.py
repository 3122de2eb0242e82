"""The bundle's optional files and columns for the treaty's newer records (docs/bundle.md): each loads,
a bad value in each is refused by file, row and field with nothing written, and a bundle without
them loads as it always did."""

import datetime
from decimal import Decimal

import pytest
from shapely.geometry import LineString, Point

from tests import bundles
from tracker import bundle
from tracker.models import (
    Ceiling,
    ChangeThreshold,
    DistanceRule,
    EquipmentType,
    GroupMembership,
    Holding,
    Holiday,
    Notification,
    ObjectOfVerification,
    Site,
    StateParty,
    Treaty,
)
from zones.models import ContactLine, ContactLineVersion, Zone

D = datetime.date


def nothing_written() -> bool:
    models = (
        StateParty,
        Zone,
        ContactLine,
        Treaty,
        EquipmentType,
        Ceiling,
        ChangeThreshold,
        DistanceRule,
        Holiday,
        GroupMembership,
        Site,
        ObjectOfVerification,
        Notification,
        Holding,
    )
    return not any(model.objects.exists() for model in models)


def refused(tmp_path, changes: dict) -> list[str]:
    with pytest.raises(bundle.BundleError) as raised:
        bundle.load(bundles.write(tmp_path, changes, records=True))
    assert nothing_written()
    return [str(error) for error in raised.value.errors]


def test_each_optional_file_and_column_loads(tmp_path):
    counts = bundle.load(bundles.write(tmp_path, records=True))
    assert counts["equipment types"] == 3 and counts["lines"] == 1 and counts["line versions"] == 2
    assert counts["distance rules"] == 2 and counts["holidays"] == 2 and counts["change thresholds"] == 1
    assert counts["storage sites"] == 1 and counts["group memberships"] == 1

    howitzer = EquipmentType.objects.get(name="2S19 Msta-S")
    assert (howitzer.category.code, howitzer.subtype, howitzer.calibre_mm, howitzer.range_km) == (
        "artillery",
        "howitzer",
        152,
        25,
    )
    treaty = Treaty.objects.get()
    assert treaty.notification_deadline_unit == "working" and treaty.challenge_excludes_declared_sites
    # The inspection regime's settings (Protocol on Inspection): a shorter notice and a longer hour to
    # countersign than CFE's.
    assert (treaty.quota_rounding, treaty.challenge_share_percent) == ("nearest", Decimal(23))
    assert (treaty.inspection_notice_hours, treaty.max_team_size, treaty.countersign_hours) == (30, 9, 2)
    tanks, artillery = Ceiling.objects.order_by("category_id")
    assert list(tanks.types.values_list("name", flat=True)) == ["T-72B3"]
    assert (artillery.subtype, artillery.temporary_allowance) == ("howitzer", 140)
    assert GroupMembership.objects.get(stateparty__code="RUS").valid_to == D(2023, 11, 7)
    assert GroupMembership.objects.get(stateparty__code="UKR").valid_to is None
    assert list(Holiday.objects.values_list("date", flat=True)) == [D(2024, 1, 1), D(2024, 8, 24)]
    assert ChangeThreshold.objects.get().percent == Decimal("5")
    assert ContactLineVersion.objects.in_force(D(2024, 6, 1)).get().geom.coords[0][0] == (37.4, 46.0)
    mlrs = DistanceRule.objects.get(subtype="mlrs")
    assert (mlrs.distance_km, list(mlrs.types.values_list("name", flat=True))) == (Decimal(35), ["BM-21 Grad"])
    assert DistanceRule.objects.get(subtype="").min_calibre_mm == 100
    depot = Site.objects.get(party__code="UKR", code="S1")
    assert depot.is_storage_site(D(2024, 1, 1)) and not depot.is_storage_site(D(2023, 12, 31))


def test_a_line_names_its_object_of_verification_its_type_and_a_temporary_deployment(tmp_path):
    bundle.load(bundles.write(tmp_path, records=True))
    brigade = ObjectOfVerification.objects.get(party__code="UKR", record_number="B92")
    assert brigade.designation == "92nd Brigade"
    lines = Holding.objects.filter(object_of_verification=brigade)
    assert {line.equipment_type.name for line in lines} == {"2S19 Msta-S"}
    deployed = Holding.objects.as_of(D(2024, 6, 1)).get(status="temporary")
    assert (deployed.equipment_type.name, deployed.quantity) == ("T-72B3", 5)
    assert deployed.object_of_verification.record_number == "S1"


def test_an_object_declared_at_another_site_later_is_relocated_there(tmp_path):
    """1996 Final Document, Annex B §11: an object of verification may be relocated; its lines follow it."""
    bundle.load(bundles.write(tmp_path, records=True))
    brigade = ObjectOfVerification.objects.get(record_number="B92")
    assert brigade.site.code == "S1"

    def where(day):
        return [line.site.code for line in Holding.objects.as_of(day).filter(object_of_verification=brigade)]

    assert where(D(2024, 5, 31)) == ["S2"]
    assert where(D(2024, 6, 1)) == ["S1"]


def test_a_bundle_without_the_optional_files_and_columns_loads_as_before(tmp_path):
    counts = bundle.load(bundles.write(tmp_path))
    assert counts["holdings"] == 6 and "equipment types" not in counts and "lines" not in counts
    treaty = Treaty.objects.get()
    assert (
        treaty.notification_deadline_unit,
        treaty.change_threshold_percent,
        treaty.object_notice_days,
        treaty.challenge_excludes_declared_sites,
    ) == ("calendar", Decimal(10), 42, True)
    assert {(c.subtype, c.temporary_allowance, c.types.count()) for c in Ceiling.objects.all()} == {("", 0, 0)}
    assert not GroupMembership.objects.exclude(valid_from=None, valid_to=None).exists()
    assert not Site.objects.exclude(storage_from=None).exists()
    assert not Holding.objects.exclude(equipment_type=None).exists()
    objects = {(o.party.code, o.record_number, o.designation, o.site.code) for o in ObjectOfVerification.objects.all()}
    assert objects == {
        ("UKR", "S1", "Depot one", "S1"),
        ("UKR", "S2", "Depot two", "S2"),
        ("RUS", "S1", "Other depot", "S1"),
    }


@pytest.mark.parametrize(
    "change, expected",
    [
        (("types.csv", 2, "category", "boats"), "types.csv, row 2, category: unknown category 'boats'"),
        (
            ("types.csv", 3, "subtype", "apc"),
            "types.csv, row 3, subtype: armoured personnel carrier is not a subtype of artillery",
        ),
        (
            ("types.csv", 4, "calibre_mm", "99"),
            "types.csv, row 4, calibre_mm: artillery is of calibre 100 mm and above (CFE Art. II.1(F))",
        ),
        (("types.csv", 4, "name", "T-72B3"), "types.csv, row 4, name: type 'T-72B3' is listed twice"),
        (("memberships.csv", 2, "party", "XXX"), "memberships.csv, row 2, party: unknown party 'XXX'"),
        (
            ("memberships.csv", 2, "valid_from", "2024-01-01"),
            "memberships.csv, row 2, valid_to: valid_to must not be before valid_from",
        ),
        (
            ("holidays.csv", 3, "date", "2024-01-01"),
            "holidays.csv, row 3, date: 2024-01-01 is a holiday of UKR already",
        ),
        (("holidays.csv", 2, "date", "New Year"), "holidays.csv, row 2, date: 'New Year' is not a date"),
        (
            ("thresholds.csv", 2, "percent", "100.01"),
            "thresholds.csv, row 2, percent: must be above 0 and at most 100, not 100.01",
        ),
        (("thresholds.csv", 2, "zone", "NORTH"), "thresholds.csv, row 2, zone: unknown zone 'NORTH'"),
        (
            ("distance_rules.csv", 2, "distance_km", "0"),
            "distance_rules.csv, row 2, distance_km: must be above 0, not 0",
        ),
        (("distance_rules.csv", 2, "line", "LOC-2"), "distance_rules.csv, row 2, line: unknown line 'LOC-2'"),
        (
            ("distance_rules.csv", 3, "types", "BM-21 Grad;T-72B3"),
            "distance_rules.csv, row 3, types: T-72B3 is of tanks, not artillery",
        ),
        (
            ("distance_rules.csv", 3, "subtype", "aifv"),
            "distance_rules.csv, row 3, subtype: armoured infantry fighting vehicle is not a subtype of artillery",
        ),
        (
            ("distance_rules.csv", 2, "valid_to", "2023-12-31"),
            "distance_rules.csv, row 2, valid_to: valid_to must not be before valid_from",
        ),
        (("storage_sites.csv", 2, "site", "S9"), "storage_sites.csv, row 2, site: unknown site 'S9' of UKR"),
        (
            ("storage_sites.csv", 2, "storage_to", "2023-12-31"),
            "storage_sites.csv, row 2, storage_to: a designation as storage site ends after it begins",
        ),
        (
            ("treaties.csv", 2, "notification_deadline_unit", "fortnights"),
            "treaties.csv, row 2, notification_deadline_unit: 'fortnights' is not one of calendar, working",
        ),
        (
            ("treaties.csv", 2, "challenge_excludes_declared_sites", "yes"),
            "treaties.csv, row 2, challenge_excludes_declared_sites: 'yes' is neither true nor false",
        ),
        (
            ("treaties.csv", 2, "change_threshold_percent", "0"),
            "treaties.csv, row 2, change_threshold_percent: must be above 0 and at most 100, not 0",
        ),
        (("treaties.csv", 2, "object_notice_days", "six weeks"), "treaties.csv, row 2, object_notice_days:"),
        (
            ("ceilings.csv", 2, "types", "2S19 Msta-S"),
            "ceilings.csv, row 2, types: 2S19 Msta-S is of artillery, not tanks",
        ),
        (("ceilings.csv", 2, "types", "T-90"), "ceilings.csv, row 2, types: unknown equipment type 'T-90'"),
        (
            ("ceilings.csv", 3, "subtype", "apc"),
            "ceilings.csv, row 3, subtype: armoured personnel carrier is not a subtype of artillery",
        ),
        (("ceilings.csv", 3, "temporary_allowance", "-1"), "ceilings.csv, row 3, temporary_allowance: -1 is negative"),
        (("declarations.csv", 8, "type", "T-90"), "declarations.csv, row 8, type: unknown equipment type 'T-90'"),
        (
            ("declarations.csv", 10, "type", "2S19 Msta-S"),
            "declarations.csv, row 10, type: 2S19 Msta-S is of artillery, not tanks",
        ),
        (
            ("declarations.csv", 10, "status", "deployed"),
            "declarations.csv, row 10, status: 'deployed' is not one of active, storage, temporary",
        ),
        (
            ("declarations.csv", 9, "object_designation", "93rd Brigade"),
            "declarations.csv, row 9, object_designation: rows of object of verification B92 disagree",
        ),
        (
            ("declarations.csv", 8, "notification", "UKR-N4"),
            "declarations.csv, row 8, object: B92 artillery 2S19 Msta-S (active) is declared twice",
        ),
    ],
)
def test_a_bad_value_in_an_optional_file_or_column_is_named_and_nothing_is_written(tmp_path, change, expected):
    *key, value = change
    found = refused(tmp_path, {tuple(key): value})
    assert any(error.startswith(expected) for error in found), found


@pytest.mark.parametrize(
    "change",
    [
        ("thresholds.csv", 2, "percent", "100"),
        ("types.csv", 4, "calibre_mm", "100"),
        ("distance_rules.csv", 2, "distance_km", "0.001"),
        ("storage_sites.csv", 2, "storage_to", "2024-01-01"),
    ],
)
def test_a_value_exactly_at_its_limit_loads(tmp_path, change):
    """A share of exactly 100 %, artillery of exactly 100 mm (CFE Art. II.1(F)), a distance just above
    nothing, a storage designation of one day."""
    *key, value = change
    bundle.load(bundles.write(tmp_path, {tuple(key): value}, records=True))


def test_a_storage_site_not_written_for_bad_declarations_is_not_reported_again(tmp_path):
    found = refused(tmp_path, {("declarations.csv", 2, "quantity"): "many"})
    assert found == ["declarations.csv, row 2, quantity: 'many' is not a whole number"]


@pytest.mark.parametrize(
    "geometries, expected",
    [
        (
            [Point(37.5, 46), LineString([(37.4, 46), (37.9, 49)])],
            "lines.geojson, row 1, geometry: a line is a LineString or MultiLineString, not a Point",
        ),
        (
            [LineString([(37.5, 46), (38, 95)]), LineString([(37.4, 46), (37.9, 49)])],
            "lines.geojson, row 1, geometry: latitude out of range [-90, 90]",
        ),
    ],
)
def test_a_line_that_is_no_line_is_refused(tmp_path, geometries, expected):
    folder = bundles.write(tmp_path, records=True)
    bundles.write_lines(folder, geometries)
    with pytest.raises(bundle.BundleError) as raised:
        bundle.load(folder)
    assert any(str(error).startswith(expected) for error in raised.value.errors), raised.value.errors
    assert nothing_written()


def test_two_versions_of_a_line_in_force_on_one_day_are_refused(tmp_path):
    folder = bundles.write(tmp_path, records=True)
    text = (folder / "lines.geojson").read_text().replace('"2024-06-01"', '"2024-05-31"')
    (folder / "lines.geojson").write_text(text)
    with pytest.raises(bundle.BundleError) as raised:
        bundle.load(folder)
    assert "lines.geojson, row 2, valid_from/valid_to: another version of LOC is in force" in str(raised.value)
    assert nothing_written()


def test_a_lines_file_in_another_format_is_refused(tmp_path):
    folder = bundles.write(tmp_path, records=True)
    (folder / "lines.geojson").rename(folder / "lines.kml")
    with pytest.raises(bundle.BundleError, match="lines.kml, row 0, -: is not one of the lines files read"):
        bundle.load(folder)


def later_bundle(folder, files: dict[str, str]):
    """A bundle adding to what is loaded: every required file empty but for ``files``."""
    folder.mkdir()
    empty = {
        "parties.csv": "code,name,group\n",
        "treaties.csv": "name,in_force_from,in_force_to,notification_deadline_days\n",
        "ceilings.csv": "treaty,zone,category,applies_to,limit,counting,valid_from,valid_to\n",
        "declarations.csv": ",".join(bundles.DECLARATION_COLUMNS) + ",object\n",
        "inspections.csv": "inspection,inspecting_party,inspected_party,kind,date,site,area_wkt,category,observed\n",
        "zones.geojson": '{"type": "FeatureCollection", "features": []}\n',
    }
    for name, text in (empty | files).items():
        (folder / name).write_text(text)
    return folder


def test_a_site_already_loaded_is_designated_a_storage_site_by_a_later_bundle(tmp_path):
    bundle.load(bundles.write(tmp_path / "first"))
    later = later_bundle(
        tmp_path / "later", {"storage_sites.csv": "party,site,storage_from,storage_to\nUKR,S2,2024-02-01,\n"}
    )
    assert bundle.load(later) == {"storage sites": 1}
    assert Site.objects.get(party__code="UKR", code="S2").storage_from == D(2024, 2, 1)


def test_an_object_already_loaded_moves_with_a_later_bundles_line_at_another_site(tmp_path):
    bundle.load(bundles.write(tmp_path / "first"))
    line = "UKR-N9,UKR,change,2024-09-01,2024-09-02T08:00:00+00:00,S2,,,,tanks,40,active,,S1\n"
    later = later_bundle(tmp_path / "later", {})
    (later / "declarations.csv").write_text((later / "declarations.csv").read_text() + line)
    bundle.load(later)
    depot = ObjectOfVerification.objects.get(party__code="UKR", record_number="S1")
    assert depot.site.code == "S2"
    in_force = Holding.objects.filter(object_of_verification=depot, category__code="tanks", status="active")
    assert [h.site.code for h in in_force.as_of(D(2024, 8, 31))] == ["S1"]
    assert [h.site.code for h in in_force.as_of(D(2024, 9, 1))] == ["S2"]
