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
    CATEGORIES,
    CEILINGS,
    DECLARATIONS,
    DISTANCE_RULES,
    GROUPS,
    HOLIDAYS,
    INSPECTIONS,
    LINE_PROPERTIES,
    MEMBERSHIPS,
    OBSERVATIONS,
    OPTIONAL,
    PARTIES,
    PLANS,
    QUOTAS,
    REQUESTS,
    STORAGE_SITES,
    THRESHOLDS,
    TREATIES,
    TREATY_INSPECTION_SETTINGS,
    TYPE_SEPARATOR,
    TYPES,
    ZONE_PROPERTIES,
)
from tracker.models import (
    Ceiling,
    ChangeThreshold,
    DistanceRule,
    EquipmentCategory,
    EquipmentType,
    GroupMembership,
    Holiday,
    Inspection,
    InspectionRequest,
    Observation,
    PartyGroup,
    PassiveQuota,
    PlannedInspection,
    Site,
    StateParty,
    Treaty,
)
from zones.models import ContactLineVersion, ZoneVersion


def text(value) -> str:
    """A cell: empty for None, ISO 8601 for dates, true or false, the shortest exact form for floats."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
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
            yield party.code, party.name, name, party.name_uk, party.name_ru


def groups():
    for group in PartyGroup.objects.order_by("name"):
        yield group.name, group.name_uk, group.name_ru


def categories():
    for category in EquipmentCategory.objects.order_by("code"):
        yield category.code, category.name, category.name_uk, category.name_ru


def write_geojson(path: Path, columns: list[str], features) -> int:
    """A FeatureCollection of (property values in ``columns``' order, geometry) pairs."""
    collection = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {
                    column: text(value) or None if column in DATES else value for column, value in zip(columns, values)
                },
                "geometry": json.loads(geom.json),
            }
            for values, geom in features
        ],
    }
    with path.open("w", encoding="utf-8") as handle:
        json.dump(collection, handle, ensure_ascii=False, indent=1)
        handle.write("\n")
    return len(collection["features"])


DATES = {"valid_from", "valid_to"}


def zones():
    versions = ZoneVersion.objects.select_related("zone").order_by("zone__code", F("valid_from").asc(nulls_first=True))
    for version in versions:
        zone = version.zone
        values = (zone.code, zone.name, zone.kind, version.valid_from, version.valid_to, version.source)
        yield (*values, zone.name_uk, zone.name_ru), version.geom


def lines():
    versions = ContactLineVersion.objects.select_related("line")
    for version in versions.order_by("line__code", F("valid_from").asc(nulls_first=True)):
        line = version.line
        values = (line.code, line.name, version.valid_from, version.valid_to, version.source)
        yield (*values, line.name_uk, line.name_ru), version.geom


def treaties():
    for treaty in Treaty.objects.order_by("name"):
        yield (
            treaty.name,
            treaty.in_force_from,
            treaty.in_force_to,
            treaty.notification_deadline_days,
            treaty.notification_deadline_unit,
            treaty.change_threshold_percent,
            treaty.object_notice_days,
            treaty.challenge_excludes_declared_sites,
            *(getattr(treaty, setting) for setting in TREATY_INSPECTION_SETTINGS),
            treaty.observation_confidence_floor,
            treaty.name_uk,
            treaty.name_ru,
        )


def type_names(record) -> str:
    return TYPE_SEPARATOR.join(sorted(kind.name for kind in record.types.all()))


def types():
    for kind in EquipmentType.objects.select_related("category").order_by("name"):
        yield kind.name, kind.category.code, kind.subtype, kind.calibre_mm, kind.range_km, kind.source


def ceilings():
    rows = Ceiling.objects.select_related("treaty", "zone", "category", "party", "group").prefetch_related("types")
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
            ceiling.subtype,
            type_names(ceiling),
            ceiling.temporary_allowance,
        )


def memberships():
    dated = GroupMembership.objects.exclude(valid_from=None, valid_to=None).select_related("partygroup", "stateparty")
    for membership in dated.order_by("partygroup__name", "stateparty__code"):
        yield membership.partygroup.name, membership.stateparty.code, membership.valid_from, membership.valid_to


def holidays():
    for holiday in Holiday.objects.select_related("party").order_by("party__code", "date"):
        yield holiday.party.code, holiday.date, holiday.name


def thresholds():
    rows = ChangeThreshold.objects.select_related("treaty", "party", "zone")
    for threshold in rows.order_by("treaty__name", "party__code", "zone__code"):
        yield threshold.treaty.name, threshold.party.code, threshold.zone.code, threshold.percent, threshold.source


def quotas():
    rows = PassiveQuota.objects.select_related("treaty", "party")
    for quota in rows.order_by("treaty__name", "year", "party__code"):
        yield quota.treaty.name, quota.party.code, quota.year, quota.announced, quota.source


def distance_rules():
    rows = DistanceRule.objects.select_related("treaty", "line", "category").prefetch_related("types")
    for rule in sorted(
        rows, key=lambda r: (r.treaty.name, r.line.code, r.distance_km, r.category_id, text(r.valid_from), r.id)
    ):
        yield (
            rule.treaty.name,
            rule.line.code,
            rule.distance_km,
            rule.category.code,
            rule.subtype,
            type_names(rule),
            rule.min_calibre_mm,
            rule.valid_from,
            rule.valid_to,
            rule.source,
        )


def storage_sites():
    designated = Site.objects.exclude(storage_from=None).select_related("party").order_by("party__code", "code")
    for site in designated:
        yield site.party.code, site.code, site.storage_from, site.storage_to


# COPY streams millions of lines straight from the server; to_json gives ISO 8601 date-times.
DECLARATIONS_QUERY = """
SELECT n.reference, p.code, n.kind, n.effective_date, to_json(n.submitted_at) #>> '{}',
       s.code, s.name, ST_X(s.location), ST_Y(s.location), c.code, h.quantity, h.status,
       o.reference, s.unit, v.record_number, v.designation, t.name, s.name_uk, s.name_ru
FROM tracker_holding h
JOIN tracker_notification n ON n.id = h.notification_id
JOIN tracker_stateparty p ON p.id = n.party_id
JOIN tracker_site s ON s.id = h.site_id
JOIN tracker_objectofverification v ON v.id = h.object_of_verification_id
JOIN tracker_equipmentcategory c ON c.id = h.category_id
LEFT JOIN tracker_equipmenttype t ON t.id = h.equipment_type_id
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
    reports = Inspection.objects.select_related(
        "inspecting_party", "inspected_party", "site", "request"
    ).prefetch_related("findings__category")
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
        signatures = (
            inspection.request.reference if inspection.request else "",
            inspection.arrived_at.isoformat() if inspection.arrived_at else "",
            inspection.departed_at.isoformat() if inspection.departed_at else "",
            inspection.status,
            inspection.signed_at.isoformat() if inspection.signed_at else "",
            inspection.countersigned_at.isoformat() if inspection.countersigned_at else "",
            inspection.escort_comments,
        )
        findings = sorted(inspection.findings.all(), key=lambda finding: finding.category_id)
        for finding in findings:
            yield head + (finding.category.code, finding.observed) + signatures
        if not findings:
            yield head + ("", "") + signatures


def requests():
    rows = InspectionRequest.objects.select_related(
        "treaty", "inspecting_party", "inspected_party", "object_of_verification"
    ).order_by("notified_at", "reference")
    for request in rows:
        yield (
            request.reference,
            request.treaty.name,
            request.inspecting_party.code,
            request.inspected_party.code,
            request.kind,
            request.notified_at,
            request.point_of_entry,
            request.estimated_arrival,
            TYPE_SEPARATOR.join(request.team),
            request.acknowledged_at,
            request.arrived_at,
            request.designated_at,
            request.object_of_verification.record_number if request.object_of_verification else "",
            request.area.wkt if request.area else "",
            request.answer,
            request.answered_at,
            request.assurance,
            request.departed_at,
        )


def plans():
    rows = PlannedInspection.objects.select_related(
        "planning_party", "inspected_party", "treaty", "object_of_verification"
    ).order_by("window_from", "planning_party__code", "pk")
    for plan in rows:
        yield (
            plan.planning_party.code,
            plan.inspected_party.code,
            plan.treaty.name,
            plan.kind,
            plan.object_of_verification.record_number if plan.object_of_verification else "",
            plan.area.wkt if plan.area else "",
            plan.window_from,
            plan.window_to,
            "true" if plan.shared else "false",
            plan.note,
        )


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
            seen.sensor,
            seen.acquired_at.isoformat() if seen.acquired_at else "",
            "" if seen.accuracy_m is None else seen.accuracy_m,
            seen.footprint.wkt if seen.footprint else "",
        )


def export(folder: Path) -> dict[str, int]:
    """Write every file of the format into ``folder`` (created if need be); the row counts."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    tables = {
        "parties.csv": (PARTIES + OPTIONAL["parties.csv"], parties),
        "groups.csv": (GROUPS + OPTIONAL["groups.csv"], groups),
        "categories.csv": (CATEGORIES + OPTIONAL["categories.csv"], categories),
        "memberships.csv": (MEMBERSHIPS, memberships),
        "holidays.csv": (HOLIDAYS, holidays),
        "treaties.csv": (TREATIES + OPTIONAL["treaties.csv"], treaties),
        "types.csv": (TYPES, types),
        "ceilings.csv": (CEILINGS + OPTIONAL["ceilings.csv"], ceilings),
        "thresholds.csv": (THRESHOLDS, thresholds),
        "quotas.csv": (QUOTAS, quotas),
        "distance_rules.csv": (DISTANCE_RULES, distance_rules),
        "storage_sites.csv": (STORAGE_SITES, storage_sites),
        "inspections.csv": (INSPECTIONS + OPTIONAL["inspections.csv"], inspections),
        "requests.csv": (REQUESTS, requests),
        "plans.csv": (PLANS, plans),
        "observations.csv": (OBSERVATIONS + OPTIONAL["observations.csv"], observations),
    }
    with transaction.atomic():  # one snapshot of the database for every file
        counts = {name: write_csv(folder / name, columns, rows()) for name, (columns, rows) in tables.items()}
        counts["zones.geojson"] = write_geojson(folder / "zones.geojson", ZONE_PROPERTIES + OPTIONAL["zones"], zones())
        counts["lines.geojson"] = write_geojson(folder / "lines.geojson", LINE_PROPERTIES + OPTIONAL["lines"], lines())
        counts["declarations.csv"] = declarations_csv(folder / "declarations.csv")
    return counts
