"""Declared sites gathered into map cells, so a map of 50,000 sites draws a few hundred markers.

A cell is a square of about ``CELL_PIXELS`` screen pixels at the map's zoom level, on the web
map's own projection (EPSG:3857), so cells look square on screen at every latitude. A cell
holding one site is that site, with its holdings; a cell holding more is a count and a total
placed at the mean position of its sites.
"""

import datetime
import math
from dataclasses import dataclass

from django.contrib.gis.geos import Point, Polygon
from django.db import connection

from tracker.models import EquipmentCategory, Holding, StateParty
from zones.models import Zone

CELL_PIXELS = 64
EARTH_CIRCUMFERENCE = 2 * math.pi * 6378137  # metres, on EPSG:3857's sphere
TILE_PIXELS = 256


def cell_size(zoom: int) -> float:
    """Width in EPSG:3857 metres of a cell of ``CELL_PIXELS`` pixels at web-map ``zoom``."""
    return CELL_PIXELS * EARTH_CIRCUMFERENCE / (TILE_PIXELS * 2**zoom)


@dataclass(frozen=True)
class SiteCell:
    location: Point
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
) -> list[SiteCell]:
    """Sites with holdings in force on ``day``, gathered per map cell at ``zoom``."""
    holdings = Holding.objects.as_of(day)
    if category is not None:
        holdings = holdings.filter(category=category)
    lines_sql, lines_params = holdings.values("site_id", "quantity").query.sql_with_params()
    where, where_params = ["TRUE"], []
    if bbox is not None:
        where.append("s.location && ST_GeomFromEWKB(%s)")
        where_params.append(bytes(bbox.ewkb))
    if party is not None:
        where.append("s.party_id = %s")
        where_params.append(party.pk)
    if zone is not None:
        version = zone.version_on(day)
        where.append("ST_Intersects(s.location, (SELECT geom FROM zones_zoneversion WHERE id = %s))")
        where_params.append(version.pk if version else None)
    # Raw SQL: the ORM cannot group sites by a cell computed over per-site totals. The holding
    # lines still come from Holding.objects.as_of(), the one definition of what is in force.
    sql = f"""
        WITH totals AS (
            SELECT site_id, sum(quantity) AS total FROM ({lines_sql}) lines GROUP BY site_id
        ), placed AS (
            SELECT s.id, ST_Transform(s.location, 3857) AS xy, totals.total
            FROM totals JOIN tracker_site s ON s.id = totals.site_id
            WHERE {" AND ".join(where)}
        )
        SELECT sites, total, site_id, ST_X(centre), ST_Y(centre)
        FROM (
            SELECT count(*) AS sites, sum(total) AS total, min(id) AS site_id,
                   ST_Transform(ST_Centroid(ST_Collect(xy)), 4326) AS centre
            FROM placed
            GROUP BY ST_SnapToGrid(xy, %s)
        ) cells
        ORDER BY site_id
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [*lines_params, *where_params, cell_size(zoom)])
        return [
            SiteCell(Point(x, y, srid=4326), sites, total, site_id if sites == 1 else None)
            for sites, total, site_id, x, y in cursor.fetchall()
        ]
