"""declarations.csv is checked a chunk of rows at a time, so that an importer's memory stays flat however
long the file, and the checks between rows are made on the staged rows. Read one row at a time, a bundle
loads exactly what it loads read whole, and each refusal names the same row, field and reason, whether
the rows it compares fall in one chunk or in several."""

import pytest
from django.db import transaction

from tests import bundles
from tests.test_bulk_import_matches_triggers import STATE, state
from tracker import bundle
from tracker.bundle import declarations


@pytest.fixture
def one_row_at_a_time(monkeypatch):
    monkeypatch.setattr(declarations, "CHUNK_ROWS", 1)


def loaded(folder) -> dict[str, list[tuple]]:
    with transaction.atomic():
        bundle.load(folder)
        written = state()
        transaction.set_rollback(True)
    return written


def test_a_bundle_read_one_row_at_a_time_loads_what_it_loads_read_whole(tmp_path, monkeypatch):
    folder = bundles.write(tmp_path, records=True)
    whole = loaded(folder)
    monkeypatch.setattr(declarations, "CHUNK_ROWS", 1)
    assert loaded(folder) == whole
    assert all(whole[what] for what in STATE)


@pytest.mark.parametrize(
    "change, expected",
    [
        (
            ("declarations.csv", 3, "kind", "change"),
            "declarations.csv, row 3, notification: rows of notification 'UKR-N1' disagree",
        ),
        (
            ("declarations.csv", 3, "lat", "48.6"),
            "declarations.csv, row 3, site: rows of site 'S1' disagree on site_name, site_name_uk, site_name_ru,"
            " lon, lat, unit",
        ),
        (
            ("declarations.csv", 3, "status", "active"),
            "declarations.csv, row 3, site: S1 tanks (active) is declared twice",
        ),
        (("declarations.csv", 7, "lat", "95"), "declarations.csv, row 7, lat: latitude 95 out of range [-90, 90]"),
        (
            ("declarations.csv", 6, "kind", "change"),
            "declarations.csv, row 6, kind: a correction, and only a correction, names the notification it supersedes",
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
def test_a_refusal_between_rows_read_in_different_chunks_names_the_row_and_reason(
    tmp_path, one_row_at_a_time, change, expected
):
    *key, value = change
    with pytest.raises(bundle.BundleError) as raised:
        bundle.load(bundles.write(tmp_path, {tuple(key): value}, records=True))
    found = [str(error) for error in raised.value.errors]
    assert any(error.startswith(expected) for error in found), found


def test_rows_that_agree_once_stripped_and_spelled_alike_are_not_refused(tmp_path, one_row_at_a_time):
    """Values are compared as checked (stripped; dates and numbers normalised), not as the file spells them."""
    folder = bundles.write(
        tmp_path,
        {
            ("declarations.csv", 3, "party"): " UKR ",
            ("declarations.csv", 3, "quantity"): "10.0",
            ("declarations.csv", 3, "effective_date"): "20240101",
        },
    )
    counts = bundle.load(folder)
    assert counts["holdings"] == 6
