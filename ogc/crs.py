"""The coordinate reference systems features are served in (OGC API – Features Part 2).

Storage stays EPSG:4326; a feature or a bbox in another system is transformed by PostGIS at the
edge. Coordinates follow each system's own axis order, as Part 2 requires: CRS84 is
longitude/latitude, EPSG:4326 latitude/longitude, EPSG:3035 northing/easting.
"""

import json
from dataclasses import dataclass

from django.contrib.gis.geos import GEOSGeometry, Polygon
from django.db import connection
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError


@dataclass(frozen=True)
class Crs:
    uri: str
    srid: int
    north_first: bool
    decimals: int  # enough for a centimetre

    @property
    def header(self) -> str:
        return f"<{self.uri}>"


CRS84 = Crs("http://www.opengis.net/def/crs/OGC/1.3/CRS84", 4326, north_first=False, decimals=7)
EPSG_4326 = Crs("http://www.opengis.net/def/crs/EPSG/0/4326", 4326, north_first=True, decimals=7)
EPSG_3035 = Crs("http://www.opengis.net/def/crs/EPSG/0/3035", 3035, north_first=True, decimals=2)
SUPPORTED = {crs.uri: crs for crs in (CRS84, EPSG_4326, EPSG_3035)}


def named(uri: str | None, parameter: str) -> Crs:
    """The supported CRS ``uri`` names (CRS84 when absent); a 400 naming ``parameter`` otherwise."""
    if not uri:
        return CRS84
    try:
        return SUPPORTED[uri]
    except KeyError:
        refusal = _("unsupported CRS %(crs)s: use one of %(supported)s") % {
            "crs": repr(uri),
            "supported": ", ".join(SUPPORTED),
        }
        raise ValidationError({parameter: refusal}) from None


def as_geojson(geometries: list[GEOSGeometry | None], crs: Crs) -> list[dict | None]:
    """Each geometry (EPSG:4326) as a GeoJSON geometry in ``crs``, transformed by PostGIS in one query."""
    flip = "ST_FlipCoordinates(g)" if crs.north_first else "g"
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT ST_AsGeoJSON({flip}, %(decimals)s)
            FROM unnest(%(geometries)s::bytea[]) WITH ORDINALITY AS given(wkb, n),
                 LATERAL ST_Transform(ST_GeomFromEWKB(given.wkb), %(srid)s) AS g
            ORDER BY n
            """,
            {
                "geometries": [bytes(geometry.ewkb) if geometry is not None else None for geometry in geometries],
                "srid": crs.srid,
                "decimals": crs.decimals,
            },
        )
        return [json.loads(text) if text else None for (text,) in cursor.fetchall()]


def bbox_in_storage(numbers: list[float], crs: Crs) -> Polygon:
    """The box ``numbers`` (lower corner, upper corner, in ``crs``'s axis order) as a polygon in EPSG:4326."""
    if crs.north_first:
        south, west, north, east = numbers
    else:
        west, south, east, north = numbers
    box = Polygon.from_bbox((west, south, east, north))
    box.srid = crs.srid
    if crs.srid == 4326:
        return box
    with connection.cursor() as cursor:
        # Edges densified first: a straight side in EPSG:3035 is a curve in longitude and latitude.
        cursor.execute(
            "SELECT ST_AsEWKB(ST_Transform(ST_Segmentize(ST_GeomFromEWKB(%s), %s), 4326))",
            [bytes(box.ewkb), max(east - west, north - south) / 16 or 1],
        )
        return GEOSGeometry(memoryview(bytes(cursor.fetchone()[0])))
