"""The bundle's files and their columns (docs/bundle.md), shared by the loader and the exporter."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

PARTIES = ["code", "name", "group"]
# A name in Ukrainian and Russian beside the English ``name`` (zones.names): optional wherever a name is.
NAMES = ["name_uk", "name_ru"]
# Groups and the treaty's categories are named in the other languages in files of their own: parties.csv
# names a group in English only, and the categories are the treaty's, stored before any bundle.
GROUPS = ["name"]
CATEGORIES = ["code"]
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
TYPES = ["name", "category", "subtype", "calibre_mm", "range_km", "source"]
STORAGE_SITES = ["party", "site", "storage_from", "storage_to"]
MEMBERSHIPS = ["group", "party", "valid_from", "valid_to"]
HOLIDAYS = ["party", "date", "name"]
THRESHOLDS = ["treaty", "party", "zone", "percent", "source"]
QUOTAS = ["treaty", "party", "year", "announced", "source"]
# Inspection requests and their moments (Protocol on Inspection, Sections IV, VII, VIII); ``team`` holds the
# inspectors' names separated by TYPE_SEPARATOR, ``object`` a record number of the inspected party's, ``area`` WKT.
REQUESTS = [
    "reference",
    "treaty",
    "inspecting",
    "inspected",
    "kind",
    "notified_at",
    "point_of_entry",
    "estimated_arrival",
    "team",
    "acknowledged_at",
    "arrived_at",
    "designated_at",
    "object",
    "area",
    "answer",
    "answered_at",
    "assurance",
    "departed_at",
]
PLANS = [
    "planning_party",
    "inspected_party",
    "treaty",
    "kind",
    "object",
    "area",
    "window_from",
    "window_to",
    "shared",
    "note",
]
LINE_PROPERTIES = ["code", "name", "valid_from", "valid_to", "source"]
DISTANCE_RULES = [
    "treaty",
    "line",
    "distance_km",
    "category",
    "subtype",
    "types",
    "min_calibre_mm",
    "valid_from",
    "valid_to",
    "source",
]

# The inspection regime's settings of a treaty (Protocol on Inspection), each an optional column of
# treaties.csv: shares in percent, limits in hours (days for the in-country cap), and the quota rounding.
TREATY_INSPECTION_PERCENTS = [
    "passive_quota_percent",
    "inspecting_party_share_percent",
    "challenge_share_percent",
]
TREATY_INSPECTION_COUNTS = [
    "same_group_annual_limit",
    "inspection_notice_hours",
    "acknowledgement_hours",
    "designation_min_hours",
    "designation_max_hours",
    "challenge_answer_hours",
    "declared_site_hours",
    "specified_area_hours",
    "in_country_first_hours",
    "in_country_sequential_hours",
    "in_country_max_days",
    "max_team_size",
    "countersign_hours",
]
TREATY_INSPECTION_SETTINGS = ["quota_rounding", *TREATY_INSPECTION_PERCENTS, *TREATY_INSPECTION_COUNTS]

# Columns a file may carry beyond its required ones; the exporter always writes them. An empty or
# absent one takes the default docs/bundle.md gives (the model field's own).
OPTIONAL = {
    "zones": ["source", *NAMES],
    "lines": NAMES,
    "parties.csv": NAMES,
    "groups.csv": NAMES,
    "categories.csv": ["name", *NAMES],
    "treaties.csv": [
        "notification_deadline_unit",
        "change_threshold_percent",
        "object_notice_days",
        "challenge_excludes_declared_sites",
        *TREATY_INSPECTION_SETTINGS,
        "observation_confidence_floor",
        *NAMES,
    ],
    "ceilings.csv": ["source", "subtype", "types", "temporary_allowance"],
    "declarations.csv": ["supersedes", "unit", "object", "object_designation", "type", "site_name_uk", "site_name_ru"],
    "inspections.csv": [
        "request",
        "arrived_at",
        "departed_at",
        "status",
        "signed_at",
        "countersigned_at",
        "escort_comments",
    ],
    "observations.csv": ["sensor", "acquired_at", "accuracy_m", "footprint_wkt"],
}

# A list of equipment type names in one cell (ceilings.csv, distance_rules.csv), of inspectors (requests.csv).
TYPE_SEPARATOR = ";"


@dataclass(frozen=True)
class RowError:
    file: str
    row: int  # as a spreadsheet shows it: the header is row 1 (features of zones.* count from 1)
    field: str
    reason: str

    def __str__(self) -> str:
        return _("%(file)s, row %(row)d, %(field)s: %(reason)s") % {
            "file": self.file,
            "row": self.row,
            "field": self.field,
            "reason": self.reason,
        }


class BundleError(Exception):
    def __init__(self, errors: list[RowError]):
        self.errors = errors
        super().__init__("\n".join(str(error) for error in errors))
