"""Zone boundaries from GIS files (GeoJSON, GeoPackage, Shapefile), reprojected to EPSG:4326.

A file is read with pyogrio (its own GDAL) and its shapes cross into GeoDjango (the system's
GEOS) as WKB, so the two libraries never share an object. A file that declares no CRS, or one
that cannot be read, is refused: guessing a CRS puts boundaries in the wrong place silently.
Invalid shapes are repaired with ``make_valid``, keeping only their polygonal parts (a bow-tie
becomes two triangles), or rejected; either way the report names the row.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import geopandas
import pyogrio
import pyproj
import shapely
from django.contrib.gis.geos import GEOSGeometry, MultiPolygon
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from zones.files import RefusedFile, gis_file
from zones.geometry import as_multipolygon, validity_errors
from zones.models import Zone, ZoneVersion

POLYGONAL = ("Polygon", "MultiPolygon")


class GISFileError(Exception):
    """The file as a whole cannot be used: unreadable, no CRS, a missing layer or field."""


@dataclass(frozen=True)
class Rejection:
    row: int  # the feature's position in its layer, counting from 1
    field: str
    reason: str

    def __str__(self) -> str:
        return _("row %(row)d, %(field)s: %(reason)s") % {"row": self.row, "field": self.field, "reason": self.reason}


class ZoneImportError(Exception):
    def __init__(self, rejections: list[Rejection]):
        self.rejections = rejections
        super().__init__("\n".join(str(rejection) for rejection in rejections))


def read_layer(path: Path, layer: str | None = None, folder: Path | None = None) -> geopandas.GeoDataFrame:
    """A layer in EPSG:4326; Shapefile text is decoded as its ``.cpg`` says. Only a local file in
    one of ``GIS_FORMATS``, inside ``folder`` (by default its own) and pointing nowhere else, is read."""
    path = Path(path)
    try:
        frame = geopandas.read_file(gis_file(path, layer, folder), layer=layer, engine="pyogrio")
    except RefusedFile as error:
        raise GISFileError(str(error)) from None
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as error:
        raise GISFileError(
            _("%(file)s: cannot be read as a GIS file (%(error)s)") % {"file": path.name, "error": error}
        ) from None
    if frame.crs is None:
        prj = path.with_suffix(".prj")
        if prj.exists():
            raise GISFileError(
                _("%(file)s: its CRS (%(prj)s) cannot be read; the CRS is never guessed")
                % {"file": path.name, "prj": prj.name}
            )
        raise GISFileError(
            _("%(file)s: the file declares no CRS; the CRS is never guessed (assign one, e.g. ogr2ogr -a_srs)")
            % {"file": path.name}
        )
    try:
        return frame.to_crs(4326)
    except (pyproj.exceptions.CRSError, pyproj.exceptions.ProjError) as error:
        raise GISFileError(
            _("%(file)s: its CRS %(crs)r cannot be read (%(error)s)")
            % {"file": path.name, "crs": frame.crs.name, "error": error}
        ) from None


def polygonal_part(shape: shapely.Geometry) -> shapely.Geometry:
    """The areas of a shape, dropping the points and lines ``make_valid`` may leave behind."""
    if shape.geom_type in POLYGONAL:
        return shape
    parts = [part for part in shapely.get_parts(shape) if part.geom_type in POLYGONAL]
    return shapely.union_all(parts) if parts else shapely.Polygon()


def as_zone_area(row: int, shape: shapely.Geometry | None, repair: bool) -> tuple[shapely.Geometry | None, str, str]:
    """(area, rejection reason, repair note) for one feature's shape."""
    if shape is None or shape.is_empty:
        return None, _("geometry is empty"), ""
    shape = shapely.force_2d(shape)
    if shape.geom_type not in POLYGONAL:
        return None, _("a zone is an area (Polygon or MultiPolygon), not a %(type)s") % {"type": shape.geom_type}, ""
    if shape.is_valid:
        return shape, "", ""
    reason = shapely.is_valid_reason(shape)
    if not repair:
        return None, _("geometry is not valid: %(reason)s") % {"reason": reason}, ""
    repaired = polygonal_part(shapely.make_valid(shape))
    if repaired.is_empty:
        return None, _("geometry is not valid (%(reason)s) and repairing it leaves no area") % {"reason": reason}, ""
    return repaired, "", _("row %(row)d: repaired (%(reason)s)") % {"row": row, "reason": reason}


def to_geos(shape: shapely.Geometry) -> MultiPolygon:
    return as_multipolygon(GEOSGeometry(memoryview(shapely.to_wkb(shape)), srid=4326))


@dataclass
class PlannedZone:
    code: str
    name: str
    rows: list[int]
    parts: list[shapely.Geometry] = field(default_factory=list)

    @cached_property
    def geometry(self) -> MultiPolygon:
        return to_geos(polygonal_part(shapely.union_all(self.parts)) if len(self.parts) > 1 else self.parts[0])


@dataclass
class ZoneImport:
    """What a file yields: zones to write, rejected rows, repairs made."""

    zones: list[PlannedZone]
    rejections: list[Rejection]
    repairs: list[str]


def plan_zones(
    frame: geopandas.GeoDataFrame,
    code_field: str,
    name_field: str,
    dissolve_by: str | None = None,
    repair: bool = True,
) -> ZoneImport:
    """Read each feature into a zone; with ``dissolve_by``, features sharing that value make one zone."""
    missing = [name for name in (code_field, name_field, dissolve_by) if name and name not in frame.columns]
    if missing:
        fields = ", ".join(column for column in frame.columns if column != frame.geometry.name)
        raise GISFileError(
            _("no field %(missing)s in the layer (its fields: %(fields)s)")
            % {"missing": ", ".join(map(repr, missing)), "fields": fields}
        )
    zones: dict[str, PlannedZone] = {}
    rejections, repairs = [], []
    group_field = dissolve_by or code_field
    for row, (record, shape) in enumerate(zip(frame.to_dict("records"), frame.geometry), start=1):
        code, name, key = (text(record.get(column)) for column in (code_field, name_field, group_field))
        for value, column in ((code, code_field), (name, name_field), (key, group_field)):
            if not value:
                rejections.append(Rejection(row, column, _("is empty")))
        area, reason, note = as_zone_area(row, shape, repair)
        if reason:
            rejections.append(Rejection(row, "geometry", reason))
        if note:
            repairs.append(note)
        if not (code and name and key and area is not None):
            continue
        zone = zones.get(key)
        if zone is None:
            zones[key] = PlannedZone(code, name, [row], [area])
        elif dissolve_by is None:
            rejections.append(
                Rejection(
                    row,
                    code_field,
                    _("zone %(code)r is also on row %(row)d (--dissolve-by merges them)")
                    % {"code": code, "row": zone.rows[0]},
                )
            )
        elif (zone.code, zone.name) != (code, name):
            rejections.append(
                Rejection(
                    row,
                    code_field,
                    _("%(field)s=%(key)r gathers zone %(code)r on row %(row)d")
                    % {"field": dissolve_by, "key": key, "code": zone.code, "row": zone.rows[0]},
                )
            )
        else:
            zone.rows.append(row)
            zone.parts.append(area)
    for zone in zones.values():
        for reason in validity_errors(zone.geometry):
            rejections.append(
                Rejection(
                    zone.rows[0], "geometry", _("zone %(code)s: %(reason)s") % {"code": zone.code, "reason": reason}
                )
            )
    return ZoneImport(list(zones.values()), sorted(rejections, key=lambda r: r.row), repairs)


def text(value) -> str:
    """An attribute as text; GDAL reads date fields (GeoJSON, GeoPackage) as date-times at midnight."""
    if value is None or value != value:
        return ""
    if isinstance(value, datetime.datetime) and value.time() == datetime.time() and value.tzinfo is None:
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).strip()


def save_zones(
    planned: list[PlannedZone], kind: str, update: bool = False, valid_from: datetime.date | None = None
) -> dict[str, int]:
    """Write the zones in one transaction; a zone that exists needs ``update`` (a new version from
    ``valid_from``, or without it the latest version's boundary replaced)."""
    counts: dict[str, int] = defaultdict(int)
    rejections = []
    with transaction.atomic():
        existing = {zone.code: zone for zone in Zone.objects.filter(code__in=[p.code for p in planned])}
        for plan in planned:
            zone = existing.get(plan.code)
            if zone is None:
                zone = Zone.objects.create(code=plan.code, name=plan.name, kind=kind)
                ZoneVersion.objects.create(zone=zone, geom=plan.geometry, valid_from=valid_from)
                counts["zones created"] += 1
            elif not update:
                rejections.append(
                    Rejection(plan.rows[0], "code", _("zone %(code)s already exists (--update)") % {"code": plan.code})
                )
            else:
                reason = update_zone(zone, plan, kind, valid_from)
                if reason:
                    rejections.append(Rejection(plan.rows[0], "code", reason))
                counts["zones updated"] += 1
        if rejections:
            raise ZoneImportError(rejections)
    return dict(counts)


def update_zone(zone: Zone, plan: PlannedZone, kind: str, valid_from: datetime.date | None) -> str:
    """Apply a new boundary to an existing zone; the reason it cannot be, or ''."""
    zone.name, zone.kind = plan.name, kind
    zone.save(update_fields=["name", "kind"])
    if valid_from is None:
        latest = zone.versions.order_by(F("valid_from").desc(nulls_last=True)).first()
        latest.geom = plan.geometry
        latest.save(update_fields=["geom"])
        return ""
    if zone.versions.filter(valid_from__gte=valid_from).exists():
        return _("zone %(code)s already has a version from %(date)s or later") % {"code": zone.code, "date": valid_from}
    current = zone.versions.in_force(valid_from).first()
    valid_to = None
    if current is not None:
        valid_to, current.valid_to = current.valid_to, valid_from - datetime.timedelta(days=1)
        current.save(update_fields=["valid_to"])
    ZoneVersion.objects.create(zone=zone, geom=plan.geometry, valid_from=valid_from, valid_to=valid_to)
    return ""
