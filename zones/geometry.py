"""Geometry rules measured on the WGS84 ellipsoid, so sizes are true whatever the latitude."""

from itertools import combinations

from django.contrib.gis.geos import GEOSGeometry, MultiPolygon, Polygon
from pyproj import Geod

WGS84 = Geod(ellps="WGS84")

# Protocol on Inspection, Section I: a specified area is at most 65 km², no straight line
# between two of its points longer than 16 km.
SPECIFIED_AREA_MAX_KM2 = 65.0
SPECIFIED_AREA_MAX_SPAN_KM = 16.0


# Far beyond any real boundary or specified area: larger geometries are refused before the
# expensive checks run, and before PostGIS sees them.
MAX_VERTICES = 100_000


def vertex_count(coordinates: object) -> int:
    """Positions in a GeoJSON ``coordinates`` array, counted without building the geometry."""
    count, pending = 0, [coordinates]
    while pending:
        item = pending.pop()
        if isinstance(item, list) and item and not isinstance(item[0], list):
            count += 1
        elif isinstance(item, list):
            pending.extend(item)
    return count


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


def area_km2(polygon: Polygon) -> float:
    area_m2, _ = WGS84.polygon_area_perimeter(*zip(*polygon.exterior_ring.coords))
    holes_m2 = sum(abs(WGS84.polygon_area_perimeter(*zip(*ring.coords))[0]) for ring in polygon[1:])
    return (abs(area_m2) - holes_m2) / 1e6


def span_km(polygon: Polygon) -> float:
    """The longest straight line between two points of the polygon: two vertices of its hull."""
    hull = polygon.convex_hull
    points = hull.exterior_ring.coords if isinstance(hull, Polygon) else hull.coords
    if len(points) < 2:
        return 0.0
    return max(WGS84.inv(a[0], a[1], b[0], b[1])[2] for a, b in combinations(points, 2)) / 1000


def specified_area_errors(polygon: GEOSGeometry) -> list[str]:
    """Why a challenge inspection's specified area breaks the protocol's size rules."""
    if not isinstance(polygon, Polygon):
        return [f"a specified area must be one Polygon, not a {polygon.geom_type}"]
    errors = validity_errors(polygon)
    if errors:
        return errors
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
