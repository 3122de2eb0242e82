"""The bundle's files and their columns (docs/bundle.md), shared by the loader and the exporter."""

from dataclasses import dataclass

PARTIES = ["code", "name", "group"]
TREATIES = ["name", "in_force_from", "in_force_to", "notification_deadline_days"]
CEILINGS = ["treaty", "zone", "category", "applies_to", "limit", "counting", "valid_from", "valid_to"]
DECLARATIONS = [
    "notification",
    "party",
    "kind",
    "effective_date",
    "submitted_at",
    "site",
    "site_name",
    "lon",
    "lat",
    "category",
    "quantity",
    "status",
]
INSPECTIONS = [
    "inspection",
    "inspecting_party",
    "inspected_party",
    "kind",
    "date",
    "site",
    "area_wkt",
    "category",
    "observed",
]
OBSERVATIONS = ["id", "source", "date", "lon", "lat", "party", "category", "count", "confidence"]
ZONE_PROPERTIES = ["code", "name", "kind", "valid_from", "valid_to"]

# Columns a file may carry beyond its required ones; the exporter always writes them.
OPTIONAL = {
    "zones": ["source"],
    "ceilings.csv": ["source"],
    "declarations.csv": ["supersedes", "unit"],
}


@dataclass(frozen=True)
class RowError:
    file: str
    row: int  # as a spreadsheet shows it: the header is row 1 (features of zones.* count from 1)
    field: str
    reason: str

    def __str__(self) -> str:
        return f"{self.file}, row {self.row}, {self.field}: {self.reason}"


class BundleError(Exception):
    def __init__(self, errors: list[RowError]):
        self.errors = errors
        super().__init__("\n".join(str(error) for error in errors))
