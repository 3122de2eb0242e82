"""A small, valid bundle written on the fly; a test changes one cell to make it bad."""

import csv
from pathlib import Path

import geopandas
from shapely.geometry import box

from tracker.bundle.format import CEILINGS, DECLARATIONS, INSPECTIONS, OBSERVATIONS, PARTIES, TREATIES

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


def write(folder: Path, changes: dict | None = None) -> Path:
    """Write the bundle; ``changes`` maps (file, row as a spreadsheet numbers it, column) to a new value."""
    tables = rows()
    for (name, row, column), value in (changes or {}).items():
        tables[name][row - 2][COLUMNS[name].index(column)] = value
    folder.mkdir(parents=True, exist_ok=True)
    for name, table in tables.items():
        with (folder / name).open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(COLUMNS[name])
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
    zones.to_file(folder / "zones.geojson", driver="GeoJSON")
    return folder
