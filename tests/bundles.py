"""A small, valid bundle written on the fly; a test changes one cell to make it bad.

``records=True`` adds the optional files and columns of the treaty's newer records (docs/bundle.md):
equipment types, objects of verification (one relocated), dated memberships, holidays, a stricter
change threshold, announced passive quotas, a line of contact with two versions, distance rules, a storage
site and two inspection requests of UKR by POL: at object B92, and in a specified area (refused)."""

import csv
from pathlib import Path

import geopandas
from shapely.geometry import LineString, box

from tracker.bundle.format import (
    CATEGORIES,
    CEILINGS,
    DECLARATIONS,
    DISTANCE_RULES,
    GROUPS,
    HOLIDAYS,
    INSPECTIONS,
    MEMBERSHIPS,
    OBSERVATIONS,
    OPTIONAL,
    PARTIES,
    QUOTAS,
    REQUESTS,
    STORAGE_SITES,
    THRESHOLDS,
    TREATIES,
    TYPES,
)

DECLARATION_COLUMNS = DECLARATIONS + ["supersedes"]


def rows() -> dict[str, list[list[str]]]:
    return {
        "parties.csv": [
            ["UKR", "Ukraine", "Group B"],
            ["RUS", "Russian Federation", "Group B"],
            ["POL", "Poland", "Group A"],
        ],
        "treaties.csv": [["Settlement", "2020-01-01", "", "5"]],
        "ceilings.csv": [
            ["Settlement", "EAST", "tanks", "each", "100", "all", "", ""],
            ["Settlement", "EAST", "artillery", "Group B", "50", "active", "2020-01-01", ""],
        ],
        "declarations.csv": [
            [
                "UKR-N1",
                "UKR",
                "annual",
                "2024-01-01",
                "2023-12-15T09:00:00+00:00",
                "S1",
                "Depot one",
                "35.5",
                "48.5",
                "tanks",
                "40",
                "active",
                "",
            ],
            [
                "UKR-N1",
                "UKR",
                "annual",
                "2024-01-01",
                "2023-12-15T09:00:00+00:00",
                "S1",
                "Depot one",
                "35.5",
                "48.5",
                "tanks",
                "10",
                "storage",
                "",
            ],
            [
                "UKR-N1",
                "UKR",
                "annual",
                "2024-01-01",
                "2023-12-15T09:00:00+00:00",
                "S2",
                "Depot two",
                "36.25",
                "49.125",
                "artillery",
                "12",
                "active",
                "",
            ],
            [
                "UKR-N2",
                "UKR",
                "change",
                "2024-03-01",
                "2024-03-03T10:30:00+02:00",
                "S1",
                "Depot one",
                "35.5",
                "48.5",
                "tanks",
                "55",
                "active",
                "",
            ],
            [
                "UKR-N3",
                "UKR",
                "correction",
                "2024-03-01",
                "2024-03-05T08:00:00+00:00",
                "S1",
                "Depot one",
                "35.5",
                "48.5",
                "tanks",
                "50",
                "active",
                "UKR-N2",
            ],
            [
                "RUS-R1",
                "RUS",
                "annual",
                "2024-01-01",
                "2023-12-15T09:00:00+00:00",
                "S1",
                "Other depot",
                "37.0",
                "47.0",
                "tanks",
                "7",
                "active",
                "",
            ],
        ],
        "inspections.csv": [
            ["I1", "POL", "UKR", "declared_site", "2024-04-02", "S1", "", "tanks", "52"],
            ["I1", "POL", "UKR", "declared_site", "2024-04-02", "S1", "", "artillery", "0"],
            [
                "I2",
                "POL",
                "RUS",
                "challenge",
                "2024-05-01",
                "",
                "POLYGON ((37 47, 37.05 47, 37.05 47.05, 37 47.05, 37 47))",
                "tanks",
                "9",
            ],
        ],
        "observations.csv": [
            ["O1", "satellite, scene 42", "2024-04-20", "35.51", "48.49", "UKR", "tanks", "61", "0.8"]
        ],
    }


COLUMNS = {
    "parties.csv": PARTIES,
    "treaties.csv": TREATIES,
    "ceilings.csv": CEILINGS,
    "declarations.csv": DECLARATION_COLUMNS,
    "inspections.csv": INSPECTIONS,
    "observations.csv": OBSERVATIONS,
}


# Sites S1 and S2 of UKR in Ukrainian and Russian: an apostrophe (U+02BC) and quotes a CSV writer must keep.
ONE, TWO = ["Склад обʼєкта один", "Склад объекта один"], ['Депо «два», "Північ"', 'Депо «два», "Север"']

# Cells of the optional columns, by file, added to each row of rows() in order.
RECORD_COLUMNS = {
    "treaties.csv": (
        OPTIONAL["treaties.csv"],
        [
            ["working", "10", "42", "true", "nearest", "15", "50", "23"]
            + ["5", "30", "3", "1", "16", "2", "48", "24"]
            + ["48", "36", "10", "9", "2", "0.6", "Угода про врегулювання", "Соглашение об урегулировании"]
        ],
    ),
    "observations.csv": (
        OPTIONAL["observations.csv"],
        [
            ["Sentinel-2B MSI", "2024-04-20T08:30:00+00:00", "15"]
            + ["POLYGON ((35.5 48.48, 35.52 48.48, 35.52 48.5, 35.5 48.5, 35.5 48.48))"]
        ],
    ),
    "ceilings.csv": (
        OPTIONAL["ceilings.csv"],
        [["CFE Art. IV.1", "", "T-72B3", "0"], ["CFE Art. V.1(B)", "howitzer", "", "140"]],
    ),
    "declarations.csv": (
        ["unit", "object", "object_designation", "type", "site_name_uk", "site_name_ru"],
        [
            ["", "", "", "", *ONE],
            ["", "", "", "", *ONE],
            ["", "", "", "", *TWO],
            ["", "", "", "", *ONE],
            ["", "", "", "", *ONE],
            ["", "", "", "", "Інший склад", "Другой склад"],
        ],
    ),
    "parties.csv": (
        OPTIONAL["parties.csv"],
        [["Україна", "Украина"], ["Російська Федерація", "Российская Федерация"], ["Польща", "Польша"]],
    ),
}
# Added rows of declarations.csv (its columns with the optional ones): object B92 declared at S2, then
# relocated to S1 by UKR-N4, with a temporary deployment of tanks at S1.
RECORD_DECLARATIONS = [
    ["UKR-N1", "UKR", "annual", "2024-01-01", "2023-12-15T09:00:00+00:00", "S2", "Depot two", "36.25", "49.125"]
    + ["artillery", "4", "active", "", "", "B92", "92nd Brigade", "2S19 Msta-S", *TWO],
    ["UKR-N4", "UKR", "change", "2024-06-01", "2024-06-02T08:00:00+00:00", "S1", "Depot one", "35.5", "48.5"]
    + ["artillery", "4", "active", "", "", "B92", "92nd Brigade", "2S19 Msta-S", *ONE],
    ["UKR-N4", "UKR", "change", "2024-06-01", "2024-06-02T08:00:00+00:00", "S1", "Depot one", "35.5", "48.5"]
    + ["tanks", "5", "temporary", "", "", "", "", "T-72B3", *ONE],
]
RECORD_FILES = {
    "groups.csv": (GROUPS + OPTIONAL["groups.csv"], [["Group A", "Група А", "Группа А"], ["Group B", "", ""]]),
    "categories.csv": (
        CATEGORIES + OPTIONAL["categories.csv"],
        [["tanks", "Battle tank", "Бойовий танк", "Боевой танк"], ["artillery", "", "Артилерія", ""]],
    ),
    "types.csv": (
        TYPES,
        [
            ["T-72B3", "tanks", "", "125", "", "Protocol on Existing Types"],
            ["2S19 Msta-S", "artillery", "howitzer", "152", "25", ""],
            ["BM-21 Grad", "artillery", "mlrs", "122", "20", ""],
        ],
    ),
    "memberships.csv": (MEMBERSHIPS, [["Group B", "RUS", "", "2023-11-07"]]),
    "holidays.csv": (HOLIDAYS, [["UKR", "2024-01-01", "New Year's Day"], ["UKR", "2024-08-24", "Independence Day"]]),
    "thresholds.csv": (THRESHOLDS, [["Settlement", "UKR", "EAST", "5", "Flank Document, Section V"]]),
    "quotas.csv": (
        QUOTAS,
        [["Settlement", "UKR", "2024", "2", "UKR annual exchange 2024"], ["Settlement", "RUS", "2024", "7", ""]],
    ),
    "distance_rules.csv": (
        DISTANCE_RULES,
        [
            ["Settlement", "LOC", "25", "artillery", "", "", "100", "2024-01-01", "", "Minsk II, para. 2"],
            ["Settlement", "LOC", "35", "artillery", "mlrs", "BM-21 Grad", "", "", "", ""],
        ],
    ),
    "storage_sites.csv": (STORAGE_SITES, [["UKR", "S1", "2024-01-01", ""]]),
    "requests.csv": (
        REQUESTS,
        [
            ["POL-R1", "Settlement", "POL", "UKR", "declared_site", "2024-07-01T08:00:00+00:00", "Kyiv airport"]
            + ["2024-07-02T20:00:00+00:00", "Anna Nowak;Jan Kowalski", "2024-07-01T09:00:00+00:00"]
            + ["2024-07-02T20:00:00+00:00", "2024-07-02T22:00:00+00:00", "B92", "", "", "", ""]
            + ["2024-07-05T10:00:00+00:00"],
            ["POL-R2", "Settlement", "POL", "UKR", "challenge", "2024-09-01T08:00:00+00:00", "Kyiv airport"]
            + ["2024-09-02T20:00:00+00:00", "Anna Nowak", "2024-09-01T09:00:00+00:00"]
            + ["2024-09-02T20:00:00+00:00", "2024-09-02T22:00:00+00:00", ""]
            + ["POLYGON ((36 49, 36.05 49, 36.05 49.03, 36 49.03, 36 49))", "refused", "2024-09-02T23:00:00+00:00"]
            + ["no equipment limited by the treaty there", "2024-09-03T10:00:00+00:00"],
        ],
    ),
}


def tables(records: bool) -> dict[str, tuple[list[str], list[list[str]]]]:
    """Each file's columns and rows."""
    found = {name: (COLUMNS[name], table) for name, table in rows().items()}
    if records:
        for name, (columns, cells) in RECORD_COLUMNS.items():
            head, table = found[name]
            found[name] = (head + columns, [row + extra for row, extra in zip(table, cells)])
        head, table = found["declarations.csv"]
        found["declarations.csv"] = (head, table + [list(row) for row in RECORD_DECLARATIONS])
        found.update((name, (columns, [list(row) for row in table])) for name, (columns, table) in RECORD_FILES.items())
    return found


def write(folder: Path, changes: dict | None = None, records: bool = False) -> Path:
    """Write the bundle; ``changes`` maps (file, row as a spreadsheet numbers it, column) to a new value."""
    files = tables(records)
    for (name, row, column), value in (changes or {}).items():
        columns, table = files[name]
        table[row - 2][columns.index(column)] = value
    folder.mkdir(parents=True, exist_ok=True)
    for name, (columns, table) in files.items():
        with (folder / name).open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(columns)
            writer.writerows(table)
    zones = geopandas.GeoDataFrame(
        {
            "code": ["EAST", "WEST", "WEST"],
            "name": ["Eastern zone", "Western zone", "Western zone"],
            "kind": ["nested", "nested", "nested"],
            "valid_from": [None, None, "2024-02-01"],
            "valid_to": [None, "2024-01-31", None],
        },
        geometry=[box(30, 45, 40, 52), box(10, 45, 30, 55), box(12, 45, 30, 55)],
        crs="EPSG:4326",
    )
    if records:
        zones["name_uk"] = ["Східна зона", "Західна зона", "Західна зона"]
        zones["name_ru"] = ["Восточная зона", "Западная зона", "Западная зона"]
    zones.to_file(folder / "zones.geojson", driver="GeoJSON")
    if records:
        write_lines(folder)
    return folder


def write_lines(folder: Path, geometries: list | None = None) -> None:
    """lines.geojson: the line of contact LOC, moved on 2024-06-01."""
    lines = geopandas.GeoDataFrame(
        {
            "code": ["LOC", "LOC"],
            "name": ["Line of contact", "Line of contact"],
            "valid_from": [None, "2024-06-01"],
            "valid_to": ["2024-05-31", None],
            "source": ["OSCE SMM map", "OSCE SMM map"],
            "name_uk": ["Лінія зіткнення", "Лінія зіткнення"],
            "name_ru": ["Линия соприкосновения", "Линия соприкосновения"],
        },
        geometry=geometries or [LineString([(37.5, 46), (38, 49)]), LineString([(37.4, 46), (37.9, 49)])],
        crs="EPSG:4326",
    )
    lines.to_file(folder / "lines.geojson", driver="GeoJSON")
