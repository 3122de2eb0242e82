"""``inspection_discrepancy``: an inspection observed more of a category than the inspected party had
declared there as of the inspection date. Fewer observed than declared is an ambiguity
(``inspection_ambiguity``), not a breach. Only signed reports count, countersigned or not (Protocol on
Inspection, Section XII.2); the evidence says which.

Declared there: at a declared site, what the party declared at it. In the specified area of a challenge
inspection, nothing: "all declared sites within a specified area are excluded from an inspection of the
specified area" (Final Document 1996, Annex B §7), so what the team finds there is outside every declared
site — when every treaty in force on the inspection date reads it so
(``Treaty.challenge_excludes_declared_sites``), or none is in force. If a treaty in force does not, what
the party declared at its sites inside the area. The finding's evidence names the rule applied.

Every inspection up to a date is compared in three queries, however many there are.
"""

import datetime
import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db import connection

from tracker.compliance.breach import INSPECTION_AMBIGUITY, INSPECTION_DISCREPANCY, Breach, innermost_zone_sql
from tracker.models import Inspection, InspectionKind, ReportStatus, Treaty
from tracker.models.declarations import holding_in_force_sql
from tracker.models.treaties import TREATY_IN_FORCE

SITES_EXCLUDED = "Final Document 1996, Annex B §7"
# Only what a team leader signed is the team's finding (Protocol on Inspection, Section XII.2); a draft is
# still being written. The evidence says whether the escort has countersigned it too (VI.39).
SIGNED = [ReportStatus.SIGNED, ReportStatus.COUNTERSIGNED]
REPORT_STATES = {
    ReportStatus.SIGNED: "signed by the team leader, not countersigned",
    ReportStatus.COUNTERSIGNED: "countersigned (locked)",
}
SITES_INSIDE = "declared holdings inside the area"


def challenge_rule(treaties: Sequence[Treaty], day: datetime.date) -> str:
    """What a challenge inspection on ``day`` is compared with: ``SITES_EXCLUDED`` (nothing declared) unless a
    treaty in force that day opts out of Annex B §7 (``SITES_INSIDE``)."""
    in_force = [t for t in treaties if TREATY_IN_FORCE.holds(t, day)]
    return SITES_EXCLUDED if all(t.challenge_excludes_declared_sites for t in in_force) else SITES_INSIDE


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
                "place": place_of(inspection).hexewkb.decode(),
                "day": inspection.date.isoformat(),
            }
            for n, inspection in enumerate(inspections)
        ]
    )


def place_of(inspection: Inspection):
    return inspection.site.location if inspection.kind == InspectionKind.DECLARED_SITE else inspection.area


PLACES = "jsonb_to_recordset(%(places)s::jsonb) AS b(n int, party bigint, site bigint, area text, place text, day date)"


def rules_of(inspections: Sequence[Inspection]) -> list[str | None]:
    """For each of ``inspections``, the rule its specified area is compared by (None at a declared site)."""
    if all(inspection.kind == InspectionKind.DECLARED_SITE for inspection in inspections):
        return [None] * len(inspections)
    treaties = list(Treaty.objects.all())
    return [
        None if inspection.kind == InspectionKind.DECLARED_SITE else challenge_rule(treaties, inspection.date)
        for inspection in inspections
    ]


def declared_at(inspections: Sequence[Inspection], rules: Sequence[str | None] | None = None) -> list[Declared]:
    """For each of ``inspections``, what the inspected party had declared there as of the inspection date
    (module docstring); ``rules`` from ``rules_of``, when at hand. In at most two queries."""
    found = [Declared() for _ in inspections]
    rules = rules_of(inspections) if rules is None else rules
    compared = [(n, inspection) for n, inspection in enumerate(inspections) if rules[n] != SITES_EXCLUDED]
    if not compared:
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
            {"places": _places([inspection for _, inspection in compared])},
        )
        for k, category, quantity, sites, references in cursor:
            n = compared[k][0]
            found[n].quantities[category] += int(quantity)
            found[n].sites.update(sites)
            found[n].notifications.update(references)
    return found


def declared_where_inspected(inspection: Inspection) -> tuple[dict[int, int], set[str], set[str]]:
    """What the inspected party had declared there as of the inspection date (module docstring)."""
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
            SELECT b.n, {innermost_zone_sql("ST_GeomFromEWKB(decode(b.place, 'hex'))", "b.day")}
            FROM {PLACES}
            """,
            {"places": _places(inspections)},
        )
        found = dict(cursor.fetchall())
    return [found[n] for n in range(len(inspections))]


def inspection_findings(as_of: datetime.date, ambiguity: bool) -> list[Breach]:
    """Inspections up to ``as_of`` that saw more than declared (or, with ``ambiguity``, fewer)."""
    inspections = list(
        Inspection.objects.filter(date__lte=as_of, status__in=SIGNED)
        .select_related("inspected_party", "site")
        .prefetch_related("findings__category")
        .order_by("date", "reference")
    )
    rules = rules_of(inspections)
    results = []
    for inspection, rule, declared, zone in zip(
        inspections, rules, declared_at(inspections, rules), smallest_zones(inspections)
    ):
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
                            "report": REPORT_STATES[inspection.status],
                            **({"rule": rule} if rule else {}),
                        },
                        geometry=place_of(inspection),
                    )
                )
    return results
