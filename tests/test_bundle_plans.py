"""plans.csv (docs/bundle.md): the inspections a party means to make load as the admin would take them,
flagged where they meet but never refused for it, and a bad value is named by file, row and field."""

import csv

import pytest

from tests import bundles
from tracker import bundle
from tracker.models import InspectionRequest, PlannedInspection

HEADER = ["planning_party", "inspected_party", "treaty", "kind", "object", "area", "window_from", "window_to"]
HEADER += ["shared", "note"]
KAMENKA = ["POL", "UKR", "Settlement", "declared_site", "B92", "", "2024-12-07", "2024-12-11", "true", "first"]
LATER = ["RUS", "UKR", "Settlement", "declared_site", "B92", "", "2024-12-09", "2024-12-12", "", "second"]


def with_plans(folder, *plans: list[str]):
    with (folder / "plans.csv").open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, lineterminator="\n").writerows([HEADER, *plans])
    return folder


def test_plans_load_and_two_on_one_object_in_overlapping_days_are_flagged(tmp_path):
    counts = bundle.load(with_plans(bundles.write(tmp_path, records=True), KAMENKA, LATER))

    assert counts["inspection plans"] == 2
    first, second = PlannedInspection.objects.order_by("window_from")
    assert (first.object_of_verification.record_number, first.shared, second.shared) == ("B92", True, True)
    assert [(a.note, b.note) for a, b in PlannedInspection.objects.conflicts(InspectionRequest.objects.all())] == [
        ("first", "second")
    ]


def test_plans_are_exported_as_loaded(tmp_path):
    bundle.load(with_plans(bundles.write(tmp_path / "in", records=True), KAMENKA))
    bundle.export(tmp_path / "out")

    with (tmp_path / "out" / "plans.csv").open(newline="", encoding="utf-8") as handle:
        assert list(csv.reader(handle)) == [HEADER, KAMENKA]


@pytest.mark.parametrize(
    ("column", "value", "expected"),
    [
        ("object", "NOPE", "object: unknown object of verification 'NOPE' of UKR"),
        ("window_to", "2024-12-01", "window_to: the window ends on or after its first day"),
        ("planning_party", "UKR", "inspected_party: a party does not inspect itself"),
        ("shared", "maybe", "shared: 'maybe' is neither true nor false"),
    ],
)
def test_a_bad_value_is_named_by_file_row_and_field_and_nothing_is_written(tmp_path, column, value, expected):
    bad = list(KAMENKA)
    bad[HEADER.index(column)] = value

    with pytest.raises(bundle.BundleError) as refused:
        bundle.load(with_plans(bundles.write(tmp_path, records=True), bad))

    assert f"plans.csv, row 2, {expected}" in str(refused.value)
    assert not PlannedInspection.objects.exists()
