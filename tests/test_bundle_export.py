import csv

import pytest
from django.core.management import call_command
from django.db import connection

from tests import bundles
from tracker import bundle
from tracker.database_roles import as_owner
from tracker.models import (
    Ceiling,
    ChangeThreshold,
    DistanceRule,
    EquipmentType,
    Holding,
    Holiday,
    Inspection,
    Notification,
    ObjectOfVerification,
    Observation,
    PartyGroup,
    Site,
    StateParty,
    Treaty,
)
from zones.models import ContactLine, ContactLineVersion, Zone, ZoneVersion

FILES = [
    "parties.csv",
    "memberships.csv",
    "holidays.csv",
    "zones.geojson",
    "lines.geojson",
    "treaties.csv",
    "quotas.csv",
    "types.csv",
    "ceilings.csv",
    "thresholds.csv",
    "distance_rules.csv",
    "declarations.csv",
    "storage_sites.csv",
    "requests.csv",
    "plans.csv",
    "inspections.csv",
    "observations.csv",
]


def empty_the_database():
    # TRUNCATE: submitted notifications and their lines refuse row deletes, by design.
    models = (
        Observation,
        Inspection,
        Holding,
        Notification,
        ObjectOfVerification,
        Site,
        DistanceRule,
        ChangeThreshold,
        Ceiling,
        Treaty,
        EquipmentType,
        Holiday,
        ContactLineVersion,
        ContactLine,
        ZoneVersion,
        Zone,
        PartyGroup,
        StateParty,
    )
    with as_owner(), connection.cursor() as cursor:  # only the tables' owner may truncate them
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no deferred checks may be pending on a truncated table
        cursor.execute(f"TRUNCATE {', '.join(model._meta.db_table for model in models)} CASCADE")


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("records", [False, True], ids=["a bundle of the first format", "every record"])
def test_export_then_import_into_an_empty_database_then_export_again_gives_the_same_files(tmp_path, records):
    bundle.load(bundles.write(tmp_path / "source", records=records))
    call_command("export_bundle", tmp_path / "first", verbosity=0)
    empty_the_database()
    call_command("import_bundle", tmp_path / "first", "--no-progress", verbosity=0)
    call_command("export_bundle", tmp_path / "second", verbosity=0)
    for name in FILES:
        assert (tmp_path / "first" / name).read_bytes() == (tmp_path / "second" / name).read_bytes(), name


def test_the_export_keeps_corrections_and_what_they_supersede(tmp_path):
    bundle.load(bundles.write(tmp_path / "source"))
    bundle.export(tmp_path / "out")
    lines = (tmp_path / "out" / "declarations.csv").read_text().splitlines()
    assert lines[0].endswith(",supersedes,unit,object,object_designation,type,site_name_uk,site_name_ru")
    assert any(line.startswith("UKR-N2,") for line in lines)
    assert any(line.startswith("UKR-N3,") and ",UKR-N2," in line for line in lines)


def test_the_export_writes_every_zone_version_and_inspections_one_row_per_finding(tmp_path):
    bundle.load(bundles.write(tmp_path / "source"))
    counts = bundle.export(tmp_path / "out")
    assert counts["zones.geojson"] == 3 and counts["inspections.csv"] == 3 and counts["declarations.csv"] == 6


@pytest.mark.django_db(transaction=True)
def test_text_a_spreadsheet_would_take_for_a_formula_is_exported_and_loaded_back_exactly(tmp_path):
    link, negative, at = '=HYPERLINK("//e.io","x")', "-1+2", "@SUM(A1)"
    source = bundles.write(
        tmp_path / "source",
        {
            ("declarations.csv", 4, "site_name"): link,
            ("parties.csv", 4, "name"): negative,
            ("observations.csv", 2, "source"): at,
        },
    )
    bundle.load(source)
    Site.objects.filter(code="S2").update(unit="+1 Brigade")
    bundle.export(tmp_path / "out")
    declared = {
        row["site"]: row for row in csv.DictReader((tmp_path / "out" / "declarations.csv").read_text().splitlines())
    }
    assert (declared["S2"]["site_name"], declared["S2"]["unit"]) == (link, "+1 Brigade")
    empty_the_database()
    bundle.load(tmp_path / "out")
    assert (Site.objects.get(code="S2").name, Site.objects.get(code="S2").unit) == (link, "+1 Brigade")
    assert StateParty.objects.get(code="POL").name == negative
    assert Observation.objects.get().source == at


@pytest.mark.django_db(transaction=True)
def test_every_record_comes_back_as_it_was_loaded(tmp_path):
    bundle.load(bundles.write(tmp_path / "source", records=True))
    loaded = snapshot()
    bundle.export(tmp_path / "out")
    empty_the_database()
    bundle.load(tmp_path / "out")
    assert snapshot() == loaded


def snapshot() -> dict[str, set]:
    """The records' values that a bundle carries, by model, without ids."""
    return {
        "types": set(EquipmentType.objects.values_list("name", "category__code", "subtype", "calibre_mm", "range_km")),
        "objects": set(
            ObjectOfVerification.objects.values_list("party__code", "record_number", "designation", "site__code")
        ),
        "lines": set(
            Holding.objects.values_list(
                "notification__reference",
                "object_of_verification__record_number",
                "site__code",
                "equipment_type__name",
                "status",
                "quantity",
                "effective_from",
                "effective_to",
            )
        ),
        "storage": set(Site.objects.values_list("party__code", "code", "storage_from", "storage_to")),
        "treaties": set(Treaty.objects.values_list("name", "notification_deadline_unit", "change_threshold_percent")),
        "ceilings": set(Ceiling.objects.values_list("category__code", "subtype", "types__name", "temporary_allowance")),
        "thresholds": set(ChangeThreshold.objects.values_list("party__code", "zone__code", "percent")),
        "rules": set(DistanceRule.objects.values_list("line__code", "distance_km", "subtype", "types__name")),
        "line versions": set(ContactLineVersion.objects.values_list("line__code", "valid_from", "valid_to", "geom")),
        "holidays": set(Holiday.objects.values_list("party__code", "date", "name")),
        "memberships": set(
            PartyGroup.members.through.objects.values_list(
                "partygroup__name", "stateparty__code", "valid_from", "valid_to"
            )
        ),
    }
