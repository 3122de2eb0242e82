"""``inspection_discrepancy``: an inspection observed more of a category than the inspected party had
declared, as of the inspection date, at the site or at all its sites inside the specified area.
Fewer observed than declared is an ambiguity (``inspection_ambiguity``), not a breach.

Every inspection up to a date is compared in two queries, however many there are.
"""

import datetime
import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db import connection

from tracker.compliance.breach import INSPECTION_AMBIGUITY, INSPECTION_DISCREPANCY, Breach
from tracker.models import Inspection, InspectionKind
from tracker.models.declarations import holding_in_force_sql
from zones.in_force import VALID


@dataclass
class Declared:
    """What a party had declared somewhere on a day: quantity per category id, the sites, the notifications."""

    quantities: dict[int, int] = field(default_factory=lambda: defaultdict(int))
    sites: set[str] = field(default_factory=set)
    notifications: set[str] = field(default_factory=set)


def _places(inspections: Sequence[Inspection]) -> str:
    """The inspections as JSON rows for the queries below: where (a site, or an area) and when."""
    return json.dumps(
        [
            {
                "n": n,
                "party": inspection.inspected_party_id,
                "site": inspection.site_id if inspection.kind == InspectionKind.DECLARED_SITE else None,
                "area": inspection.area.hexewkb.decode() if inspection.kind != InspectionKind.DECLARED_SITE else None,
                "place": _place(inspection).hexewkb.decode(),
                "day": inspection.date.isoformat(),
            }
            for n, inspection in enumerate(inspections)
        ]
    )


def _place(inspection: Inspection):
    return inspection.site.location if inspection.kind == InspectionKind.DECLARED_SITE else inspection.area


PLACES = "jsonb_to_recordset(%(places)s::jsonb) AS b(n int, party bigint, site bigint, area text, place text, day date)"


def declared_at(inspections: Sequence[Inspection]) -> list[Declared]:
    """For each of ``inspections``, what the inspected party had declared, as of the inspection date,
    at the site or inside the specified area; in one query."""
    found = [Declared() for _ in inspections]
    if not inspections:
        return found
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT b.n, h.category_id, sum(h.quantity), array_agg(DISTINCT s.code), array_agg(DISTINCT n.reference)
            FROM {PLACES}
            JOIN LATERAL (
                SELECT s.id, s.code, s.party_id FROM tracker_site s WHERE s.id = b.site
                UNION ALL
                SELECT s.id, s.code, s.party_id FROM tracker_site s
                WHERE b.site IS NULL AND ST_Intersects(s.location, ST_GeomFromEWKB(decode(b.area, 'hex')))
            ) s ON s.party_id = b.party
            JOIN tracker_holding h ON h.site_id = s.id AND {holding_in_force_sql("h", "b.day")}
            JOIN tracker_notification n ON n.id = h.notification_id
            GROUP BY b.n, h.category_id
            """,
            {"places": _places(inspections)},
        )
        for n, category, quantity, sites, references in cursor:
            found[n].quantities[category] += int(quantity)
            found[n].sites.update(sites)
            found[n].notifications.update(references)
    return found


def declared_where_inspected(inspection: Inspection) -> tuple[dict[int, int], set[str], set[str]]:
    """What the inspected party had declared, as of the inspection date, at the site or inside the specified area."""
    (declared,) = declared_at([inspection])
    return declared.quantities, declared.sites, declared.notifications


def smallest_zones(inspections: Sequence[Inspection]) -> list[str | None]:
    """For each of ``inspections``, the innermost zone in force that day that its site or area
    touches: where the finding is. In one query."""
    if not inspections:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT b.n, (
                SELECT z.code FROM zones_zoneversion v JOIN zones_zone z ON z.id = v.zone_id
                WHERE {VALID.sql("v", "b.day")} AND ST_Intersects(v.geom, ST_GeomFromEWKB(decode(b.place, 'hex')))
                ORDER BY ST_Area(v.geom), z.code LIMIT 1
            )
            FROM {PLACES}
            """,
            {"places": _places(inspections)},
        )
        found = dict(cursor.fetchall())
    return [found[n] for n in range(len(inspections))]


def inspection_findings(as_of: datetime.date, ambiguity: bool) -> list[Breach]:
    """Inspections up to ``as_of`` that saw more than declared (or, with ``ambiguity``, fewer)."""
    inspections = list(
        Inspection.objects.filter(date__lte=as_of)
        .select_related("inspected_party", "site")
        .prefetch_related("findings__category")
        .order_by("date", "reference")
    )
    results = []
    for inspection, declared, zone in zip(inspections, declared_at(inspections), smallest_zones(inspections)):
        for finding in inspection.findings.all():
            expected = declared.quantities.get(finding.category_id, 0)
            if (finding.observed < expected) if ambiguity else (finding.observed > expected):
                results.append(
                    Breach(
                        kind=INSPECTION_AMBIGUITY if ambiguity else INSPECTION_DISCREPANCY,
                        as_of=as_of,
                        zone=zone,
                        party=inspection.inspected_party.code,
                        category=finding.category.code,
                        limit=expected,
                        counted=finding.observed,
                        excess=finding.observed - expected,
                        treaty=None,
                        evidence={
                            "inspection": inspection.reference,
                            "date": inspection.date.isoformat(),
                            "sites": sorted(declared.sites),
                            "notifications": sorted(declared.notifications),
                        },
                        geometry=_place(inspection),
                    )
                )
    return results
