"""Declared holdings in force on a day: per site, and totals by party, zone and category."""

import datetime

from django.db import connection
from django.db.models import Exists, OuterRef, Prefetch, QuerySet

from tracker import membership
from tracker.models import EquipmentCategory, Holding, Site, StateParty
from zones.models import Zone

GROUPS = {"party": "p.code", "zone": "z.code", "category": "c.code"}


def sites_holding(
    day: datetime.date,
    party: StateParty | None = None,
    zone: Zone | None = None,
    category: EquipmentCategory | None = None,
) -> QuerySet[Site]:
    """Sites with holdings in force on ``day``, each with those lines as ``in_force``."""
    lines = Holding.objects.as_of(day)
    if category is not None:
        lines = lines.filter(category=category)
    sites = Site.objects.filter(Exists(lines.filter(site=OuterRef("pk"))))
    if party is not None:
        sites = sites.filter(party=party)
    if zone is not None:
        sites = sites.filter(pk__in=membership.sites_in(zone, day).values("pk"))
    return sites.select_related("party").prefetch_related(
        Prefetch(
            "holdings",
            queryset=lines.select_related("category", "notification").order_by("category_id", "status"),
            to_attr="in_force",
        )
    )


def totals(
    day: datetime.date,
    group_by: list[str],
    party: StateParty | None = None,
    zone: Zone | None = None,
    category: EquipmentCategory | None = None,
) -> list[dict]:
    """Quantities in force on ``day`` summed per ``group_by`` (any of party, zone, category).

    A site counts in every zone whose version in force holds it (``tracker.membership``), so
    nested zones each count it. The ORM cannot join through that array of versions, hence SQL.
    """
    columns = [GROUPS[name] for name in group_by]
    by_zone = "zone" in group_by or zone is not None
    where = ["h.effective_from <= %(day)s", "(h.effective_to IS NULL OR h.effective_to > %(day)s)", "h.quantity > 0"]
    if party is not None:
        where.append("s.party_id = %(party)s")
    if category is not None:
        where.append("h.category_id = %(category)s")
    if zone is not None:
        where.append("v.zone_id = %(zone)s")
    zone_join = (
        """
        JOIN tracker_sitezones m ON m.site_id = s.id
        JOIN zones_zoneversion v ON v.id = ANY(m.versions)
             AND (v.valid_from IS NULL OR v.valid_from <= %(day)s) AND (v.valid_to IS NULL OR v.valid_to >= %(day)s)
        JOIN zones_zone z ON z.id = v.zone_id
        """
        if by_zone
        else ""
    )
    sql = f"""
        SELECT {", ".join(columns)}, SUM(h.quantity)
        FROM tracker_holding h
        JOIN tracker_site s ON s.id = h.site_id
        JOIN tracker_stateparty p ON p.id = s.party_id
        JOIN tracker_equipmentcategory c ON c.id = h.category_id
        {zone_join}
        WHERE {" AND ".join(where)}
        GROUP BY {", ".join(columns)}
        ORDER BY {", ".join(columns)}
    """
    params = {
        "day": day,
        "party": party and party.pk,
        "zone": zone and zone.pk,
        "category": category and category.pk,
    }
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [{**dict(zip(group_by, row[:-1])), "quantity": row[-1]} for row in cursor.fetchall()]
