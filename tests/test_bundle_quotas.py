"""quotas.csv: the passive inspection quotas parties announced with their annual exchanges (Final
Document 1996, Annex B §13) load, come back out as they went in, and a bad row is named by file, row
and field with nothing written."""

import pytest

from tests import bundles
from tracker import bundle
from tracker.bundle.writing import export
from tracker.models import PassiveQuota, StateParty


def test_announced_quotas_load_with_their_source(tmp_path):
    counts = bundle.load(bundles.write(tmp_path, records=True))

    assert counts["passive quotas"] == 2
    quotas = PassiveQuota.objects.order_by("party__code")
    assert [(q.treaty.name, q.party.code, q.year, q.announced, q.source) for q in quotas] == [
        ("Settlement", "RUS", 2024, 7, ""),
        ("Settlement", "UKR", 2024, 2, "UKR annual exchange 2024"),
    ]


def test_the_exported_quotas_csv_is_the_one_loaded(tmp_path):
    source = bundles.write(tmp_path / "source", records=True)
    bundle.load(source)

    export(tmp_path / "out")

    assert (tmp_path / "out" / "quotas.csv").read_text() == (
        "treaty,party,year,announced,source\nSettlement,RUS,2024,7,\nSettlement,UKR,2024,2,UKR annual exchange 2024\n"
    )
    assert sorted((tmp_path / "out" / "quotas.csv").read_text().splitlines()[1:]) == sorted(
        (source / "quotas.csv").read_text().splitlines()[1:]
    )


@pytest.mark.parametrize(
    "column, value, reason",
    [
        ("party", "XXX", "party: unknown party 'XXX'"),
        ("treaty", "Nowhere", "treaty: unknown treaty 'Nowhere'"),
        ("year", "1989", "year: "),
        ("year", "twenty", "year: "),
        ("announced", "-1", "announced: "),
    ],
)
def test_a_bad_row_is_named_by_file_row_and_field_and_nothing_is_written(tmp_path, column, value, reason):
    with pytest.raises(bundle.BundleError) as raised:
        bundle.load(bundles.write(tmp_path, {("quotas.csv", 3, column): value}, records=True))

    (error,) = [str(error) for error in raised.value.errors]
    assert error.startswith(f"quotas.csv, row 3, {reason}")
    assert not StateParty.objects.exists() and not PassiveQuota.objects.exists()


def test_a_second_quota_for_the_same_party_and_year_is_refused(tmp_path):
    with pytest.raises(bundle.BundleError) as raised:
        bundle.load(bundles.write(tmp_path, {("quotas.csv", 3, "party"): "UKR"}, records=True))

    assert [str(error) for error in raised.value.errors] == [
        "quotas.csv, row 3, year: UKR already announced a quota for 2024 under Settlement"
    ]
