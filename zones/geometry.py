"""Geometry rules measured on the WGS84 ellipsoid, so sizes are true whatever the latitude."""

import math
from collections.abc import Iterator

import numpy
import shapely
from django.contrib.gis.geos import GEOSGeometry, MultiPolygon, Polygon
from pyproj import Geod

WGS84 = Geod(ellps="WGS84")

# Protocol on Inspection, Section I, paragraph 1(O): a specified area "shall not exceed 65
# square kilometres. No straight line between any two points in that area shall exceed 16
# kilometres." The protocol sets no number of vertices; SPECIFIED_AREA_MAX_VERTICES is ours: a
# boundary at most 16 km across is at most 16π ≈ 50 km long, so 10,000 vertices put one every
# 5 m, finer than any map an inspection team draws on, while the checks below stay well under
# a tenth of a second.
SPECIFIED_AREA_MAX_KM2 = 65.0
SPECIFIED_AREA_MAX_SPAN_KM = 16.0
SPECIFIED_AREA_MAX_VERTICES = 10_000


# Far beyond any real boundary or specified area: larger geometries are refused before the
# expensive checks run, and before PostGIS sees them.
MAX_VERTICES = 100_000


def positions(coordinates: object) -> Iterator[list]:
    """The positions of a GeoJSON ``coordinates`` array, read without building the geometry."""
    pending = [coordinates]
    while pending:
        item = pending.pop()
        if isinstance(item, list) and item and not isinstance(item[0], list):
            yield item
        elif isinstance(item, list):
            pending.extend(item)


def vertex_count(coordinates: object) -> int:
    return sum(1 for _ in positions(coordinates))


def position_errors(coordinates: object, bounds: tuple[float, float, float, float] | None, crs: str) -> list[str]:
    """Why the positions cannot be two finite numbers inside ``bounds`` (west, south, east, north in
    the CRS's own units; None: any): checked on the raw numbers, before anything transforms them,
    so that no absurd coordinate reaches PROJ."""
    west, south, east, north = bounds or (-math.inf, -math.inf, math.inf, math.inf)
    for position in positions(coordinates):
        if len(position) != 2:
            return [
                f"a position is [x, y] (longitude, latitude in EPSG:4326); {position!r} has {len(position)} numbers"
            ]
        if not all(isinstance(n, int | float) and not isinstance(n, bool) and math.isfinite(n) for n in position):
            return [f"a position holds two finite numbers; not {position!r}"]
        x, y = position
        if not (west <= x <= east and south <= y <= north):
            return [f"position {position!r} is outside {crs}'s bounds x [{west:g}, {east:g}], y [{south:g}, {north:g}]"]
    return []


def too_many_vertices(count: int) -> list[str]:
    return [f"geometry has {count:,} vertices; at most {MAX_VERTICES:,} are accepted"] if count > MAX_VERTICES else []


def coordinate_errors(geom: GEOSGeometry) -> list[str]:
    """Reasons a geometry's coordinates cannot be longitude/latitude in EPSG:4326."""
    xmin, ymin, xmax, ymax = geom.extent
    errors = []
    if xmin < -180 or xmax > 180:
        errors.append(f"longitude out of range [-180, 180] (found {xmin:g} to {xmax:g})")
    if ymin < -90 or ymax > 90:
        errors.append(f"latitude out of range [-90, 90] (found {ymin:g} to {ymax:g})")
    return errors


def validity_errors(geom: GEOSGeometry) -> list[str]:
    """Coordinate and topology problems, each as a sentence; empty when the geometry is usable."""
    if geom.empty:
        return ["geometry is empty"]
    if geom.num_coords > MAX_VERTICES:
        return too_many_vertices(geom.num_coords)
    errors = coordinate_errors(geom)
    if not geom.valid:
        errors.append(f"geometry is not valid: {geom.valid_reason}")
    return errors


def as_multipolygon(geom: GEOSGeometry) -> MultiPolygon:
    if isinstance(geom, Polygon):
        return MultiPolygon(geom, srid=geom.srid)
    return geom


def _rings(polygon: Polygon) -> list[numpy.ndarray]:
    """The polygon's rings as (n, 2) arrays, exterior first: read through shapely in one call per
    ring rather than one per vertex, as GEOSGeometry.coords does."""
    shape = shapely.from_wkb(bytes(polygon.wkb))
    holes = shapely.get_interior_ring(shape, range(shapely.get_num_interior_rings(shape)))
    return [shapely.get_coordinates(ring) for ring in [shapely.get_exterior_ring(shape), *holes]]


def area_km2(polygon: Polygon) -> float:
    exterior, *holes = _rings(polygon)
    area_m2, _ = WGS84.polygon_area_perimeter(exterior[:, 0], exterior[:, 1])
    holes_m2 = sum(abs(WGS84.polygon_area_perimeter(ring[:, 0], ring[:, 1])[0]) for ring in holes)
    return (abs(area_m2) - holes_m2) / 1e6


def _antipodal_pairs(xs: list[float], ys: list[float]) -> tuple[list[int], list[int]]:
    """Indices of the vertex pairs of a convex polygon (counter-clockwise, not closed) that admit
    parallel lines of support: its diameter is one of them (rotating calipers, Shamos 1978)."""
    n = len(xs)

    def height(i: int, j: int) -> float:  # twice the area of (i, i+1, j): j's distance from edge i
        k, j = (i + 1) % n, j % n
        return abs((xs[k] - xs[i]) * (ys[j] - ys[i]) - (ys[k] - ys[i]) * (xs[j] - xs[i]))

    first, second, j = [], [], 1
    for i in range(n):
        while height(i, j + 1) > height(i, j):
            j += 1
        first += [i, (i + 1) % n]
        second += [j % n, j % n]
    return first, second


def span_km(polygon: Polygon) -> float:
    """The longest straight line between two points of the polygon, in O(n log n): of the vertex
    pairs of its hull (GEOS) that face each other, the longest on the ellipsoid."""
    hull = polygon.convex_hull
    if not isinstance(hull, Polygon):
        lons, lats = shapely.get_coordinates(shapely.from_wkb(bytes(hull.wkb))).T
        if len(lons) < 2:
            return 0.0
        return float(WGS84.line_length(lons[[0, -1]], lats[[0, -1]])) / 1000
    lons, lats = _rings(hull)[0][:-1].T
    if not hull.exterior_ring.is_counterclockwise:
        lons, lats = lons[::-1], lats[::-1]
    # Locally, degrees of longitude shrink by cos(latitude): scaled so, the hull is true to shape
    # within a fraction of a percent over a specified area's few kilometres.
    xs = (lons - lons[0]) * math.cos(math.radians(float(lats.mean())))
    first, second = _antipodal_pairs(xs.tolist(), lats.tolist())
    _, _, metres = WGS84.inv(lons[first], lats[first], lons[second], lats[second])
    return float(numpy.max(metres)) / 1000


def crosses_antimeridian(geom: GEOSGeometry) -> bool:
    """True when the geometry's longitudes span more than half the globe. PostGIS reads such a
    polygon the long way round, as a band across every meridian; CFE's area of application (from
    the Atlantic to the Urals, Article II(1)(B)) is nowhere near 180°, so such input is a mistake."""
    xmin, _, xmax, _ = geom.extent
    return xmax - xmin > 180


def specified_area_errors(polygon: GEOSGeometry) -> list[str]:
    """Why a challenge inspection's specified area breaks the protocol's size rules."""
    if not isinstance(polygon, Polygon):
        return [f"a specified area must be one Polygon, not a {polygon.geom_type}"]
    if polygon.num_coords > SPECIFIED_AREA_MAX_VERTICES:
        return [
            f"specified area has {polygon.num_coords:,} vertices; at most {SPECIFIED_AREA_MAX_VERTICES:,} are accepted"
        ]
    errors = validity_errors(polygon)
    if errors:
        return errors
    if crosses_antimeridian(polygon):
        xmin, _, xmax, _ = polygon.extent
        return [
            f"specified area spans {xmax - xmin:g}° of longitude: an area across the antimeridian (180°) "
            "would be read as a band around the globe; give one on the treaty's side of it"
        ]
    errors = []
    area = area_km2(polygon)
    if area > SPECIFIED_AREA_MAX_KM2:
        errors.append(
            f"specified area is {area:.1f} km², more than the {SPECIFIED_AREA_MAX_KM2:g} km² "
            "the Protocol on Inspection allows"
        )
    span = span_km(polygon)
    if span > SPECIFIED_AREA_MAX_SPAN_KM:
        errors.append(
            f"specified area is {span:.1f} km across, more than the "
            f"{SPECIFIED_AREA_MAX_SPAN_KM:g} km the Protocol on Inspection allows"
        )
    return errors
