"""GeoJSON geometry in and out of the API, always as EPSG:4326 longitude/latitude."""

import functools
import json
import re

import pyproj
from django.contrib.gis.gdal import GDALException
from django.contrib.gis.geos import GEOSException, GEOSGeometry
from django.utils.translation import gettext as _
from rest_framework import serializers
from rest_framework_gis.fields import GeometryField

from zones.geometry import (
    position_errors,
    too_many_vertices,
    validity_errors,
    vertex_count,
)

CRS_NAME = re.compile(r"(?:^EPSG:+|^urn:ogc:def:crs:EPSG:[\d.]*:)(\d+)$")
CRS84 = ("urn:ogc:def:crs:OGC:1.3:CRS84", "urn:ogc:def:crs:OGC::CRS84", "OGC:CRS84")


@functools.cache
def crs_bounds(srid: int) -> tuple[float, float, float, float]:
    """West, south, east, north of the CRS's area of use in its own units (as x, y), widened by a
    tenth of its size on each side for data just past the edge; ValueError for a CRS that is not
    two-dimensional or has no area of use to check coordinates against."""
    try:
        crs = pyproj.CRS.from_epsg(srid)
    except pyproj.exceptions.CRSError:
        raise ValueError(_("unknown crs EPSG:%(srid)d") % {"srid": srid}) from None
    if not (crs.is_geographic or crs.is_projected) or len(crs.axis_info) != 2 or crs.area_of_use is None:
        raise ValueError(_("EPSG:%(srid)d is not a two-dimensional CRS with a known area of use") % {"srid": srid})
    to_crs = pyproj.Transformer.from_crs("EPSG:4326", crs, always_xy=True)
    west, south, east, north = to_crs.transform_bounds(*crs.area_of_use.bounds)
    margin_x, margin_y = (east - west) / 10, (north - south) / 10
    return west - margin_x, south - margin_y, east + margin_x, north + margin_y


def crs_srid(crs: object) -> int:
    """The SRID a GeoJSON ``crs`` member names (the 2008 GeoJSON form); ValueError when unusable."""
    name = crs.get("properties", {}).get("name") if isinstance(crs, dict) else None
    if not isinstance(name, str):
        raise ValueError(_('the crs member must be {"type": "name", "properties": {"name": "EPSG:<code>"}}'))
    if name in CRS84:
        return 4326
    match = CRS_NAME.match(name)
    if not match:
        raise ValueError(_("unknown crs %(name)s: name it as EPSG:<code>") % {"name": repr(name)})
    return int(match.group(1))


class LonLatGeometryField(GeometryField):
    """A GeoJSON geometry of one type, stored in EPSG:4326.

    GeoJSON is longitude/latitude on WGS84; a geometry in another CRS must say so in a ``crs``
    member and is transformed, never assumed. Coordinates outside longitude/latitude ranges are
    refused, which is how a projected geometry sent without its ``crs`` shows itself; those of
    another CRS are checked against its area of use before PROJ sees them (an absurd value such as
    1e19 in EPSG:3857 keeps PROJ busy for minutes).
    """

    def __init__(self, geom_type: str, **kwargs):
        self.geom_type = geom_type
        super().__init__(**kwargs)

    def to_internal_value(self, value):
        if not isinstance(value, dict) or "type" not in value:
            raise serializers.ValidationError(_("expected a GeoJSON %(type)s object") % {"type": self.geom_type})
        if value["type"] != self.geom_type:
            raise serializers.ValidationError(self.other_type(value["type"]))
        errors = too_many_vertices(vertex_count(value.get("coordinates")))
        if errors:
            raise serializers.ValidationError(errors)
        value = dict(value)
        srid = 4326
        try:
            if "crs" in value:
                srid = crs_srid(value.pop("crs"))
            # Longitude and latitude need no transform: validity_errors checks their ranges.
            bounds = None if srid == 4326 else crs_bounds(srid)
        except ValueError as error:
            raise serializers.ValidationError(str(error)) from None
        errors = position_errors(value.get("coordinates"), bounds, f"EPSG:{srid}")
        if errors:
            raise serializers.ValidationError(errors)
        try:
            geom = GEOSGeometry(json.dumps(value))
            geom.srid = srid
            if srid != 4326:
                geom.transform(4326)
        except (GEOSException, GDALException, ValueError, TypeError) as error:
            raise serializers.ValidationError(
                _("not a usable GeoJSON geometry: %(error)s") % {"error": error}
            ) from None
        if geom.geom_type != self.geom_type:
            raise serializers.ValidationError(self.other_type(geom.geom_type))
        errors = validity_errors(geom)
        if errors:
            raise serializers.ValidationError(errors)
        return geom

    def other_type(self, given: object) -> str:
        return _("expected a %(type)s, not a %(given)s") % {"type": self.geom_type, "given": given}


class GeoJSONTextField(GeometryField):
    """A geometry field read from the GeoJSON PostGIS has already written for it (``ZoneVersion.objects.
    with_map_geojson``), parsed, as ``map_geojson``: simplified and rounded in C rather than, vertex by
    vertex, in Python, and parsed once for as long as the caller keeps it. The schema still describes the
    model's field."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, **kwargs)

    def get_attribute(self, instance):
        return instance.map_geojson

    def to_representation(self, value):
        return value
