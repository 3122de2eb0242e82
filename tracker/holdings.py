"""Declared holdings in force on a day: per site, and totals by party, zone, category and type.

Each function narrows by the same filters: party, zone, category, equipment type, and objects of
verification (ids: a record number names one object per party). Totals are summed per party and
added up (``merged``); the API's summary keeps each party's share against the party's row of the data
version (``kept_totals``, ``tracker.answers``), so a submission sums again only its own party's share.
"""

import datetime
import math
from dataclasses import dataclass

from django.contrib.gis.geos import Point, Polygon
from django.db import connection
from django.db.models import Exists, OuterRef, Prefetch, QuerySet

from tracker import answers, membership
from tracker.models import EquipmentCategory, EquipmentType, Holding, Site, StateParty
from tracker.models.declarations import holding_in_force_sql
from zones.in_force import VALID
from zones.models import Zone

GROUPS = {"party": "p.code", "zone": "z.code", "category": "c.code", "type": "e.name"}


def sites_holding(
    day: datetime.date,
    party: StateParty | None = None,
    zone: Zone | None = None,
    category: EquipmentCategory | None = None,
    equipment_type: EquipmentType | None = None,
    objects: list[int] | None = None,
) -> QuerySet[Site]:
    """Sites with holdings in force on ``day``, each with those lines as ``in_force``."""
    lines = Holding.objects.as_of(day)
    if category is not None:
        lines = lines.filter(category=category)
    if equipment_type is not None:
        lines = lines.filter(equipment_type=equipment_type)
    if objects is not None:
        lines = lines.filter(object_of_verification__in=objects)
    sites = Site.objects.filter(Exists(lines.filter(site=OuterRef("pk"))))
    if party is not None:
        sites = sites.filter(party=party)
    if zone is not None:
        sites = sites.filter(pk__in=membership.sites_in(zone, day).values("pk"))
    return sites.select_related("party").prefetch_related(
        Prefetch(
            "holdings",
            queryset=lines.select_related(
                "object_of_verification", "category", "equipment_type", "notification"
            ).order_by("object_of_verification__record_number", "category_id", "equipment_type__name", "status"),
            to_attr="in_force",
        )
    )


def totals(
    day: datetime.date,
    group_by: list[str],
    party: StateParty | None = None,
    zone: Zone | None = None,
    category: EquipmentCategory | None = None,
    equipment_type: EquipmentType | None = None,
    objects: list[int] | None = None,
) -> list[dict]:
    """Quantities in force on ``day`` summed per ``group_by`` (any of party, zone, category, type).

    A site counts in every zone whose version in force holds it, so nested zones each count
    it. Per zone, the sums come from the zone totals kept at write time (``ZoneTotal``), which
    are not kept per object of verification: for some objects, from their holdings and the zone
    versions their sites lie in (``SiteZones``). Otherwise from the holdings themselves, sites
    outside every zone included.
    """
    parties = None if party is None else [party.pk]
    found = totals_by_party(day, parties, tuple(group_by), zone, category, equipment_type, objects and tuple(objects))
    return merged(group_by, found.values())


def kept_totals(
    day: datetime.date, group_by: list[str], read: dict[str, int], party: StateParty | None = None, **filters
) -> list[dict]:
    """``totals``, made of each party's share kept against its own row of the data version in ``read``
    (``answers.versions()``): after a submission only its party's share is summed again."""
    parties = [party.pk] if party is not None else list(StateParty.objects.values_list("id", flat=True))
    objects = filters.pop("objects", None)
    found = answers.reused_each(
        "party {}",
        read,
        totals_by_party,
        day,
        parties,
        tuple(group_by),
        *(filters.get(name) for name in ("zone", "category", "equipment_type")),
        objects and tuple(objects),
    )
    return merged(group_by, found.values())


def merged(group_by: list[str], shares) -> list[dict]:
    """Parties' ``shares`` of ``totals`` as one: summed per group and in the groups' order, codes by code point
    and no type last, as PostgreSQL's C collation orders them."""
    summed: dict[tuple, int] = {}
    for rows in shares:
        for row in rows:
            key = tuple(row[name] for name in group_by)
            summed[key] = summed.get(key, 0) + row["quantity"]
    ordered = sorted(summed, key=lambda key: tuple((value is None, value or "") for value in key))
    return [{**dict(zip(group_by, key)), "quantity": summed[key]} for key in ordered]


def totals_by_party(
    day: datetime.date,
    parties: list[int] | None,
    group_by: tuple[str, ...],
    zone: Zone | None = None,
    category: EquipmentCategory | None = None,
    equipment_type: EquipmentType | None = None,
    objects: tuple[int, ...] | None = None,
) -> dict[int, list[dict]]:
    """Each party's share of ``totals`` (all parties when ``parties`` is None), in one query. The ORM cannot
    join through the zone totals or the zone sets, hence SQL."""
    columns = [GROUPS[name] for name in group_by]
    params = {
        "day": day,
        "parties": parties,
        "zone": zone and zone.pk,
        "category": category and category.pk,
        "type": equipment_type and equipment_type.pk,
        "objects": objects and list(objects),
    }
    in_zones = "zone" in group_by or zone is not None
    if in_zones and objects is not None:
        source = f"""
            tracker_holding t
            JOIN tracker_sitezones m ON m.site_id = t.site_id
            JOIN tracker_zoneset zs ON zs.id = m.zone_set_id
            JOIN zones_zoneversion v ON v.id = ANY(zs.versions) AND {VALID.sql("v")}
            JOIN zones_zone z ON z.id = v.zone_id
        """
        where, having, party_column = [holding_in_force_sql("t")], "", "m.party_id"
    elif in_zones:
        source = f"""
            tracker_zonetotal t
            JOIN zones_zoneversion v ON v.id = t.zone_version_id AND {VALID.sql("v")}
            JOIN zones_zone z ON z.id = v.zone_id
        """
        where, having, party_column = ["t.day <= %(day)s"], "HAVING SUM(t.lines) > 0", "t.party_id"
    else:
        source = "tracker_holding t JOIN tracker_site s ON s.id = t.site_id"
        where = [holding_in_force_sql("t")]
        having, party_column = "", "s.party_id"
    if parties is not None and len(parties) == 1 and not in_zones:
        # One party's lines, as after its submission, through its sites' index: the planner, which cannot
        # tell how many lines the sites hold, would otherwise read every line for the party's few.
        where.append("t.site_id = ANY(ARRAY(SELECT id FROM tracker_site WHERE party_id = ANY(%(parties)s)))")
    elif parties is not None:
        where.append(f"{party_column} = ANY(%(parties)s)")
    if category is not None:
        where.append("t.category_id = %(category)s")
    if equipment_type is not None:
        where.append("t.equipment_type_id = %(type)s")
    if objects is not None:
        where.append("t.object_of_verification_id = ANY(%(objects)s)")
    if zone is not None:
        where.append("v.zone_id = %(zone)s")
    # Per party, a group's lines are never below 0, so a group is held by all when held by one.
    sql = f"""
        SELECT p.id, {", ".join(columns)}, SUM(t.quantity)
        FROM {source}
        JOIN tracker_stateparty p ON p.id = {party_column}
        JOIN tracker_equipmentcategory c ON c.id = t.category_id
        LEFT JOIN tracker_equipmenttype e ON e.id = t.equipment_type_id
        WHERE {" AND ".join(where)}
        GROUP BY p.id, {", ".join(columns)}
        {having}
    """
    found: dict[int, list[dict]] = {party: [] for party in parties or ()}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for party, *row in cursor.fetchall():
            found.setdefault(party, []).append({**dict(zip(group_by, row[:-1])), "quantity": row[-1]})
    return found


# Map cells: a square of about CELL_PIXELS screen pixels at a web map's zoom level, on the web
# map's own projection (EPSG:3857) so that cells look square at every latitude.
CELL_PIXELS = 64
EARTH_RADIUS = 6378137  # metres, EPSG:3857's sphere
EARTH_CIRCUMFERENCE = 2 * math.pi * EARTH_RADIUS
TILE_PIXELS = 256


def cell_size(zoom: int) -> float:
    """Width in EPSG:3857 metres of a map cell at web-map ``zoom``."""
    return CELL_PIXELS * EARTH_CIRCUMFERENCE / (TILE_PIXELS * 2**zoom)


@dataclass(frozen=True)
class SiteCell:
    location: Point  # the mean longitude and latitude of the cell's sites
    sites: int
    total: int
    site_id: int | None  # the site, when the cell holds only one


def site_cells(
    day: datetime.date,
    zoom: int,
    bbox: Polygon | None = None,
    party: StateParty | None = None,
    zone: Zone | None = None,
    category: EquipmentCategory | None = None,
    equipment_type: EquipmentType | None = None,
    objects: list[int] | None = None,
) -> list[SiteCell]:
    """Sites with holdings in force on ``day`` gathered per map cell at ``zoom``, so that a map of
    50,000 sites draws a few hundred markers. Sites are grouped after summing their lines, by a
    cell computed in SQL; the ORM cannot group by that, hence SQL."""
    where = [holding_in_force_sql("h")]
    if bbox is not None:
        where.append("s.location && ST_GeomFromEWKB(%(bbox)s)")
    if party is not None:
        where.append("s.party_id = %(party)s")
    if category is not None:
        where.append("h.category_id = %(category)s")
    if equipment_type is not None:
        where.append("h.equipment_type_id = %(type)s")
    if objects is not None:
        where.append("h.object_of_verification_id = ANY(%(objects)s)")
    if zone is not None:
        where.append(
            f"""ST_Intersects(s.location, (
                SELECT v.geom FROM zones_zoneversion v WHERE v.zone_id = %(zone)s AND {VALID.sql("v")}
            ))"""
        )
    # Cells are counted on web-Mercator metres from plain arithmetic on longitude and latitude:
    # ST_Transform on every site costs several times more and makes the planner reach for JIT.
    sql = f"""
        WITH placed AS (
            SELECT s.id, ST_X(s.location) AS lon, ST_Y(s.location) AS lat, SUM(h.quantity) AS total
            FROM tracker_holding h
            JOIN tracker_site s ON s.id = h.site_id
            WHERE {" AND ".join(where)}
            GROUP BY s.id
        )
        SELECT COUNT(*), SUM(total), MIN(id), AVG(lon), AVG(lat)
        FROM placed
        GROUP BY FLOOR(RADIANS(lon) * %(radius)s / %(cell)s),
                 FLOOR(LN(TAN(PI() / 4 + RADIANS(lat) / 2)) * %(radius)s / %(cell)s)
        ORDER BY MIN(id)
    """
    params = {
        "day": day,
        "cell": cell_size(zoom),
        "radius": EARTH_RADIUS,
        "bbox": bbox and bytes(bbox.ewkb),
        "party": party and party.pk,
        "zone": zone and zone.pk,
        "category": category and category.pk,
        "type": equipment_type and equipment_type.pk,
        "objects": objects,
    }
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [
            SiteCell(Point(x, y, srid=4326), sites, total, site_id if sites == 1 else None)
            for sites, total, site_id, x, y in cursor.fetchall()
        ]
