import datetime

import pytest
from django.core.management import CommandError, call_command
from pghistory.models import Events

from tests import bundles
from tracker import bundle, services
from tracker.membership import sites_in
from tracker.models import Ceiling, Holding, Inspection, Notification, Observation, Site, StateParty
from tracker.models.declarations import refresh_periods
from zones.models import Zone, ZoneVersion

D = datetime.date


def held(day: datetime.date, party: str = "UKR") -> dict[tuple[str, str, str], int]:
    lines = Holding.objects.as_of(day).filter(site__party__code=party)
    return {(h.site.code, h.category.code, h.status): h.quantity for h in lines.select_related("site", "category")}


def nothing_written() -> bool:
    models = (StateParty, Zone, ZoneVersion, Ceiling, Site, Notification, Holding, Inspection, Observation)
    return not any(model.objects.exists() for model in models)


def test_a_bundle_loads_every_file(tmp_path):
    counts = bundle.load(bundles.write(tmp_path))
    assert counts["parties"] == 3 and counts["zones"] == 2 and counts["zone versions"] == 3
    assert counts["sites"] == 3 and counts["notifications"] == 4 and counts["holdings"] == 6
    assert Ceiling.objects.get(category__code="artillery").group.name == "Group B"
    assert set(StateParty.objects.get(code="UKR").groups.values_list("name", flat=True)) == {"Group B"}
    assert Inspection.objects.get(reference="I1").findings.count() == 2
    assert Inspection.objects.get(reference="I2").area.area > 0
    assert Observation.objects.get().party.code == "UKR"
    assert Site.objects.get(party__code="UKR", code="S2").location.coords == (36.25, 49.125)


def test_holdings_read_as_of_a_day_and_a_correction_replaces_what_it_supersedes(tmp_path):
    bundle.load(bundles.write(tmp_path))
    assert held(D(2024, 2, 1)) == {
        ("S1", "tanks", "active"): 40,
        ("S1", "tanks", "storage"): 10,
        ("S2", "artillery", "active"): 12,
    }
    assert held(D(2024, 3, 1))[("S1", "tanks", "active")] == 50
    assert Notification.objects.get(reference="UKR-N2").status == "superseded"
    assert Notification.objects.get(reference="UKR-N3").supersedes.reference == "UKR-N2"


def test_the_audit_trail_records_every_loaded_holding(tmp_path):
    bundle.load(bundles.write(tmp_path))
    events = Events.objects.filter(pgh_model="tracker.HoldingEvent", pgh_label="insert")
    assert events.count() == Holding.objects.count() == 6


@pytest.mark.parametrize(
    "change, expected",
    [
        (("declarations.csv", 3, "party", "XXX"), "declarations.csv, row 3, party: unknown party 'XXX'"),
        (
            ("declarations.csv", 2, "effective_date", "2024-13-01"),
            "declarations.csv, row 2, effective_date: '2024-13-01' is not a date (YYYY-MM-DD)",
        ),
        (("declarations.csv", 4, "quantity", "-3"), "declarations.csv, row 4, quantity: -3 is negative"),
        (
            ("declarations.csv", 5, "submitted_at", "2024-03-03T10:30:00"),
            "declarations.csv, row 5, submitted_at: '2024-03-03T10:30:00' is not an ISO 8601 date-time with a time zone",
        ),
        (("declarations.csv", 7, "lat", "95"), "declarations.csv, row 7, lat: latitude 95 out of range [-90, 90]"),
        (
            ("declarations.csv", 3, "status", "active"),
            "declarations.csv, row 3, site: S1 tanks (active) is declared twice",
        ),
        (
            ("declarations.csv", 3, "kind", "change"),
            "declarations.csv, row 3, notification: rows of notification 'UKR-N1' disagree",
        ),
        (
            ("declarations.csv", 6, "supersedes", "RUS-R1"),
            "declarations.csv, row 6, supersedes: unknown notification 'RUS-R1' of the same party",
        ),
        (
            ("declarations.csv", 7, "notification", "R1"),
            "declarations.csv, row 7, notification: a RUS notification's reference begins with RUS-",
        ),
        (
            ("declarations.csv", 6, "kind", "change"),
            "declarations.csv, row 6, kind: a correction, and only a correction, names the notification it supersedes",
        ),
        (
            ("inspections.csv", 4, "area_wkt", "POLYGON ((37 47, 37.05"),
            "inspections.csv, row 4, area_wkt: is not valid WKT",
        ),
        (("inspections.csv", 3, "category", "tanks"), "inspections.csv, row 3, category: I1 already records tanks"),
        (("observations.csv", 2, "confidence", "1.5"), "observations.csv, row 2, confidence:"),
        (("parties.csv", 4, "code", "pl"), "parties.csv, row 4, code: a state party's code is ISO 3166-1 alpha-3"),
        (("ceilings.csv", 2, "zone", "NORTH"), "ceilings.csv, row 2, zone: unknown zone 'NORTH'"),
        (
            ("declarations.csv", 3, "effective_date", "9999-12-31"),
            "declarations.csv, row 3, effective_date: 9999-12-31 is more than 5 years ahead",
        ),
        (
            ("declarations.csv", 2, "submitted_at", "0001-01-01T00:00:00+00:00"),
            "declarations.csv, row 2, submitted_at: 0001-01-01 is before 1990-11-19, when the CFE Treaty was signed",
        ),
        (
            ("observations.csv", 2, "date", "9999-12-31"),
            "observations.csv, row 2, date: 9999-12-31 is more than 5 years ahead",
        ),
        (
            ("inspections.csv", 2, "date", "1989-11-09"),
            "inspections.csv, row 2, date: 1989-11-09 is before 1990-11-19",
        ),
        (
            ("ceilings.csv", 3, "valid_from", "1066-10-14"),
            "ceilings.csv, row 3, valid_from: 1066-10-14 is before 1990-11-19",
        ),
        (
            ("treaties.csv", 2, "in_force_from", "0001-01-01"),
            "treaties.csv, row 2, in_force_from: 0001-01-01 is before 1990-11-19",
        ),
    ],
)
def test_a_bad_value_is_named_by_file_row_and_field_and_nothing_is_written(tmp_path, change, expected):
    *key, value = change
    with pytest.raises(bundle.BundleError) as raised:
        bundle.load(bundles.write(tmp_path, {tuple(key): value}))
    assert any(str(error).startswith(expected) for error in raised.value.errors), raised.value.errors
    assert nothing_written()


def test_a_notification_already_loaded_is_not_loaded_twice(tmp_path):
    bundle.load(bundles.write(tmp_path))
    with pytest.raises(bundle.BundleError) as raised:
        bundle.load(tmp_path)
    assert "declarations.csv, row 2, notification: UKR-N1 is already a notification's reference" in map(
        str, raised.value.errors
    )
    assert Holding.objects.count() == 6


def test_a_notification_is_corrected_once_in_the_bundle(tmp_path):
    second = {"notification": "UKR-N4", "party": "UKR", "kind": "correction", "supersedes": "UKR-N2"}
    second |= {"site_name": "Depot one", "lon": "35.5", "lat": "48.5"}
    changes = {("declarations.csv", 7, column): value for column, value in second.items()}
    with pytest.raises(bundle.BundleError) as raised:
        bundle.load(bundles.write(tmp_path, changes))
    assert "declarations.csv, row 7, supersedes: UKR-N2 already has a correction" in map(str, raised.value.errors)
    assert nothing_written()


def test_a_notification_corrected_by_a_stored_draft_is_not_corrected_again_by_a_bundle(tmp_path):
    folder = bundles.write(tmp_path)
    bundle.load(folder)
    services.correct(Notification.objects.get(reference="UKR-N3"), reference="UKR-DRAFT")
    correction = (
        "UKR-N4,UKR,correction,2024-03-01,2024-03-09T08:00:00+00:00,S1,Depot one,35.5,48.5,tanks,49,active,UKR-N3"
    )
    (folder / "declarations.csv").write_text(",".join(bundles.DECLARATION_COLUMNS) + "\n" + correction + "\n")
    with pytest.raises(bundle.BundleError) as raised:
        bundle.load(folder)
    assert "declarations.csv, row 2, supersedes: UKR-N3 already has a correction" in map(str, raised.value.errors)
    assert Notification.objects.get(reference="UKR-N3").status == "submitted"


def test_a_bundles_lines_are_in_force_when_a_submission_would_put_them(tmp_path):
    bundle.load(bundles.write(tmp_path))
    loaded = set(Holding.objects.values_list("id", "effective_from", "effective_to"))
    refresh_periods()
    assert set(Holding.objects.values_list("id", "effective_from", "effective_to")) == loaded
    assert (D(2024, 3, 1), None) in {(start, end) for _, start, end in loaded}


@pytest.mark.filterwarnings("ignore:'crs' was not provided")
def test_a_zones_file_without_a_crs_is_refused(tmp_path):
    folder = bundles.write(tmp_path)
    (folder / "zones.geojson").unlink()
    zones = bundles.geopandas.GeoDataFrame(
        {"code": ["EAST"], "name": ["East"], "kind": ["nested"]}, geometry=[bundles.box(30, 45, 40, 52)]
    )
    zones.to_file(folder / "zones.gpkg", driver="GPKG")
    with pytest.raises(bundle.BundleError) as raised:
        bundle.load(folder)
    assert "zones.gpkg: the file declares no CRS" in str(raised.value)
    assert nothing_written()


def test_the_command_lists_the_bad_rows_and_exits_non_zero(tmp_path, capsys):
    folder = bundles.write(tmp_path, {("declarations.csv", 2, "quantity"): "many"})
    with pytest.raises(CommandError, match="1 bad value"):
        call_command("import_bundle", folder, "--no-progress")
    assert "declarations.csv, row 2, quantity: 'many' is not a whole number" in capsys.readouterr().err


def test_a_missing_file_is_named(tmp_path):
    folder = bundles.write(tmp_path)
    (folder / "ceilings.csv").unlink()
    with pytest.raises(bundle.BundleError, match="ceilings.csv, row 0, -: file is missing from the bundle"):
        bundle.load(folder)


def test_spaces_and_other_iso_spellings_are_read_as_meant(tmp_path):
    changes = {
        ("declarations.csv", 2, "effective_date"): " 2024-01-01",
        ("declarations.csv", 3, "effective_date"): "2024-01-01 ",
        ("declarations.csv", 4, "effective_date"): "2024-01-01",
        ("declarations.csv", 2, "submitted_at"): "2023-12-15T09:00:00Z",
        ("declarations.csv", 3, "submitted_at"): "2023-12-15T09:00:00Z",
        ("declarations.csv", 4, "submitted_at"): "2023-12-15T09:00:00Z",
        ("declarations.csv", 2, "quantity"): "40.0",
        ("declarations.csv", 3, "site"): " S1 ",
    }
    bundle.load(bundles.write(tmp_path, changes))
    n1 = Notification.objects.get(reference="UKR-N1")
    assert n1.effective_date == D(2024, 1, 1) and n1.submitted_at.isoformat() == "2023-12-15T09:00:00+00:00"
    assert held(D(2024, 2, 1))[("S1", "tanks", "active")] == 40
    assert held(D(2024, 2, 1))[("S1", "tanks", "storage")] == 10


def test_a_declarations_file_that_is_not_csv_is_named(tmp_path):
    folder = bundles.write(tmp_path)
    with (folder / "declarations.csv").open("a") as handle:
        handle.write('UKR-N9,UKR,annual,2024-01-01,2023-12-15T09:00:00+00:00,S1,x,1,1,tanks,1,active,,"one,too,many\n')
    with pytest.raises(bundle.BundleError, match="declarations.csv, row 0, -: cannot be read as UTF-8 CSV"):
        bundle.load(folder)
    assert nothing_written()


def test_loaded_sites_know_their_zones_at_once(tmp_path):
    bundle.load(bundles.write(tmp_path))
    east = sites_in(Zone.objects.get(code="EAST"), D(2024, 6, 1))
    assert sorted(east.values_list("party__code", "code")) == [("RUS", "S1"), ("UKR", "S1"), ("UKR", "S2")]
