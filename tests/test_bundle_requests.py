"""requests.csv (docs/bundle.md): inspection requests load with their moments, checked as the admin and the
API check them, and a bad value is named by file, row and field with nothing written."""

import csv
import datetime

import pytest

from tests import bundles
from tracker import bundle
from tracker.models import Inspection, InspectionRequest, StateParty


def test_requests_load_with_their_moments_object_and_area(tmp_path):
    counts = bundle.load(bundles.write(tmp_path, records=True))
    assert counts["inspection requests"] == 2
    declared, challenge = InspectionRequest.objects.order_by("reference")
    assert declared.team == ["Anna Nowak", "Jan Kowalski"]
    assert declared.object_of_verification.record_number == "B92"
    assert declared.departed_at == datetime.datetime(2024, 7, 5, 10, tzinfo=datetime.UTC)
    assert challenge.area.num_coords == 5 and challenge.answer == "refused"


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (("team", ";".join(f"I{n}" for n in range(10))), "team: a team of 10 inspectors; the treaty allows 9"),
        (("object", "NOPE"), "object: unknown object of verification 'NOPE' of UKR"),
        (("designated_at", "2024-07-02T20:30:00"), "designated_at: '2024-07-02T20:30:00' is not an ISO 8601"),
        (("designated_at", "2024-07-02T19:00:00+00:00"), "designated_at: is before the arrival at the point of entry"),
        (("reference", "UKR-R1"), "reference: a POL request's reference begins with POL-"),
        (("inspecting", "UKR"), "inspected: a party does not inspect itself"),
        (("answer", "maybe"), "answer: 'maybe' is not one of accepted, refused"),
    ],
)
def test_a_bad_value_is_named_by_file_row_and_field_and_nothing_is_written(tmp_path, change, expected):
    column, value = change
    with pytest.raises(bundle.BundleError) as refused:
        bundle.load(bundles.write(tmp_path, {("requests.csv", 2, column): value}, records=True))
    assert f"requests.csv, row 2, {expected}" in str(refused.value)
    assert not StateParty.objects.exists() and not InspectionRequest.objects.exists()


def test_a_refusal_without_its_assurance_is_refused(tmp_path):
    with pytest.raises(bundle.BundleError) as refused:
        bundle.load(bundles.write(tmp_path, {("requests.csv", 3, "assurance"): ""}, records=True))
    assert "requests.csv, row 3, assurance: a refusal gives the reasonable assurance" in str(refused.value)


def name_requests(folder, requests: dict[str, str]) -> None:
    """Give inspections.csv a ``request`` column naming each report's request (by report reference)."""
    path = folder / "inspections.csv"
    with path.open(newline="", encoding="utf-8") as handle:
        table = list(csv.reader(handle))
    table = [table[0] + ["request"]] + [row + [requests.get(row[0], "")] for row in table[1:]]
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, lineterminator="\n").writerows(table)


def test_a_report_names_the_request_it_reports_on_and_is_exported_with_it(tmp_path):
    folder = bundles.write(tmp_path / "in", records=True)
    name_requests(folder, {"I1": "POL-R1"})

    bundle.load(folder)

    assert Inspection.objects.get(reference="I1").request.reference == "POL-R1"
    bundle.export(tmp_path / "out")
    with (tmp_path / "out" / "inspections.csv").open(newline="", encoding="utf-8") as handle:
        assert {row["inspection"]: row["request"] for row in csv.DictReader(handle)}["I1"] == "POL-R1"


def test_a_report_naming_a_request_between_other_parties_is_refused(tmp_path):
    folder = bundles.write(tmp_path, records=True)
    name_requests(folder, {"I2": "POL-R1"})  # I2 is POL's inspection of RUS; POL-R1 asked to inspect UKR

    with pytest.raises(bundle.BundleError) as refused:
        bundle.load(folder)

    assert "request: no request 'POL-R1' of POL to inspect RUS" in str(refused.value)
    assert not Inspection.objects.exists()
