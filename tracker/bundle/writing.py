"""Writing the database out as a bundle, in an order fixed by the data alone, so that exporting,
loading the result into an empty database and exporting again gives the same files byte for byte.

Draft notifications are work in progress, not part of an exchange, and are left out; superseded
ones are written with their corrections, which name them in ``supersedes``.
"""

import csv
import json
from pathlib import Path

from django.db import connection, transaction
from django.db.models import F

from tracker.bundle.format import (
    CEILINGS,
    DECLARATIONS,
    INSPECTIONS,
    OBSERVATIONS,
    OPTIONAL,
    PARTIES,
    TREATIES,
    ZONE_PROPERTIES,
)
from tracker.models import Ceiling, Inspection, Observation, StateParty, Treaty
from zones.models import ZoneVersion


def text(value) -> str:
    """A cell: empty for None, ISO 8601 for dates, the shortest exact form for floats."""
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def write_csv(path: Path, columns: list[str], rows) -> int:
    count = 0
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow([text(value) for value in row])
            count += 1
    return count


def parties():
    for party in StateParty.objects.prefetch_related("groups").order_by("code"):
        names = sorted(group.name for group in party.groups.all()) or [""]
        for name in names:
            yield party.code, party.name, name


def zones_geojson(path: Path) -> int:
    versions = ZoneVersion.objects.select_related("zone").order_by("zone__code", F("valid_from").asc(nulls_first=True))
    features = [
        {
            "type": "Feature",
            "properties": dict(
                zip(
                    ZONE_PROPERTIES + OPTIONAL["zones"],
                    [
                        version.zone.code,
                        version.zone.name,
                        version.zone.kind,
                        text(version.valid_from) or None,
                        text(version.valid_to) or None,
                        version.source,
                    ],
                )
            ),
            "geometry": json.loads(version.geom.json),
        }
        for version in versions
    ]
    with path.open("w", encoding="utf-8") as handle:
        json.dump({"type": "FeatureCollection", "features": features}, handle, ensure_ascii=False, indent=1)
        handle.write("\n")
    return len(features)


def treaties():
    for treaty in Treaty.objects.order_by("name"):
        yield treaty.name, treaty.in_force_from, treaty.in_force_to, treaty.notification_deadline_days


def ceilings():
    rows = Ceiling.objects.select_related("treaty", "zone", "category", "party", "group")
    for ceiling in sorted(
        rows, key=lambda c: (c.treaty.name, c.zone.code, c.category_id, c.holder, text(c.valid_from), c.id)
    ):
        yield (
            ceiling.treaty.name,
            ceiling.zone.code,
            ceiling.category.code,
            ceiling.holder,
            ceiling.limit,
            ceiling.counting,
            ceiling.valid_from,
            ceiling.valid_to,
            ceiling.source,
        )


# COPY streams millions of lines straight from the server; to_json gives ISO 8601 date-times.
DECLARATIONS_QUERY = """
SELECT n.reference, p.code, n.kind, n.effective_date, to_json(n.submitted_at) #>> '{}',
       s.code, s.name, ST_X(s.location), ST_Y(s.location), c.code, h.quantity, h.status,
       o.reference, s.unit
FROM tracker_holding h
JOIN tracker_notification n ON n.id = h.notification_id
JOIN tracker_stateparty p ON p.id = n.party_id
JOIN tracker_site s ON s.id = h.site_id
JOIN tracker_equipmentcategory c ON c.id = h.category_id
LEFT JOIN tracker_notification o ON o.id = n.supersedes_id
WHERE n.status IN ('submitted', 'superseded')
ORDER BY n.submitted_at, n.reference, h.id
"""


def declarations_csv(path: Path) -> int:
    with path.open("wb") as handle, connection.cursor() as cursor:
        cursor.execute("SET LOCAL extra_float_digits = 1")
        handle.write((",".join(DECLARATIONS + OPTIONAL["declarations.csv"]) + "\n").encode())
        with cursor.cursor.copy(f"COPY ({DECLARATIONS_QUERY}) TO STDOUT (FORMAT csv)") as copy:
            for block in copy:
                handle.write(block)
        return cursor.cursor.rowcount


def inspections():
    reports = Inspection.objects.select_related("inspecting_party", "inspected_party", "site").prefetch_related(
        "findings__category"
    )
    for inspection in reports.order_by("date", "reference"):
        head = (
            inspection.reference,
            inspection.inspecting_party.code,
            inspection.inspected_party.code,
            inspection.kind,
            inspection.date,
            inspection.site.code if inspection.site else "",
            inspection.area.wkt if inspection.area else "",
        )
        findings = sorted(inspection.findings.all(), key=lambda finding: finding.category_id)
        for finding in findings:
            yield head + (finding.category.code, finding.observed)
        if not findings:
            yield head + ("", "")


def observations():
    for seen in Observation.objects.select_related("category", "party").order_by("observed_on", "reference"):
        yield (
            seen.reference,
            seen.source,
            seen.observed_on,
            seen.location.x,
            seen.location.y,
            seen.party.code if seen.party else "",
            seen.category.code,
            seen.count,
            seen.confidence,
        )


def export(folder: Path) -> dict[str, int]:
    """Write every file of the format into ``folder`` (created if need be); the row counts."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    with transaction.atomic():  # one snapshot of the database for every file
        return {
            "parties.csv": write_csv(folder / "parties.csv", PARTIES, parties()),
            "zones.geojson": zones_geojson(folder / "zones.geojson"),
            "treaties.csv": write_csv(folder / "treaties.csv", TREATIES, treaties()),
            "ceilings.csv": write_csv(folder / "ceilings.csv", CEILINGS + OPTIONAL["ceilings.csv"], ceilings()),
            "declarations.csv": declarations_csv(folder / "declarations.csv"),
            "inspections.csv": write_csv(folder / "inspections.csv", INSPECTIONS, inspections()),
            "observations.csv": write_csv(folder / "observations.csv", OBSERVATIONS, observations()),
        }
