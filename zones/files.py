"""Which files the importers open: local regular files, inside the folder they were given, in a
format on the list, and nothing that file could point GDAL to.

GDAL opens far more than files. A VRT reads whatever files or URLs it names, and GDAL recognises
one by its content, so a ``zones.geojson`` holding VRT XML is read as a VRT; ``/vsicurl/`` paths
and URLs go to the network, and so does a GeoJSON "crs" member of type "link" or "url"; a
symbolic link goes wherever it points. So each file is checked before GDAL sees it: its resolved
path must be a regular file inside the folder (for a Shapefile, its sidecar files too), its first
bytes must be those of the format its name gives, a GeoJSON may only name its CRS, and the driver
GDAL then reports must be that format's.
"""

import json
import re
from pathlib import Path

import pyogrio
from django.utils.translation import gettext as _

# A file's suffix: (the GDAL driver that must open it, how the format's files begin).
GIS_FORMATS = {
    ".geojson": ("GeoJSON", b"{"),
    ".gpkg": ("GPKG", b"SQLite format 3\x00"),
    ".shp": ("ESRI Shapefile", b"\x00\x00\x27\x0a"),  # the Shapefile file code, 9994
}

# /vsicurl/, /vsizip/ and the like; a URL (a path keeps one slash of "http://").
VIRTUAL = re.compile(r"/vsi|[a-z][a-z0-9+.-]*:/", re.IGNORECASE)


class RefusedFile(Exception):
    """A file an importer will not open; says which and why."""

    def __init__(self, path: Path, reason: str):
        self.name, self.reason = Path(path).name, reason
        super().__init__(_("%(file)s: %(reason)s") % {"file": self.name, "reason": reason})


def local_file(path: Path, folder: Path) -> Path:
    """``path`` resolved (links followed), when that is a regular file inside ``folder``."""
    resolved = Path(path).resolve()
    if any(VIRTUAL.match(str(name)) for name in (path, resolved)):
        raise RefusedFile(path, _("GDAL virtual paths and URLs are never read; give a local file"))
    if not resolved.is_relative_to(Path(folder).resolve()):
        raise RefusedFile(
            path,
            _("leads to %(target)s, outside %(folder)s; only files inside it are read")
            % {"target": resolved, "folder": folder},
        )
    if not resolved.is_file():
        raise RefusedFile(path, _("is not a regular file"))
    return resolved


def gis_file(path: Path, layer: str | None = None, folder: Path | None = None) -> Path:
    """The resolved path of a GIS file that GDAL may open: local, in a format on the list, pointing
    nowhere else. ``folder`` defaults to the one the file is in."""
    path = Path(path)
    if path.suffix.lower() not in GIS_FORMATS:
        accepted = ", ".join(GIS_FORMATS)
        raise RefusedFile(
            path, _("is not one of the formats read (%(accepted)s); convert it with ogr2ogr") % {"accepted": accepted}
        )
    driver, signature = GIS_FORMATS[path.suffix.lower()]
    folder = Path(folder) if folder is not None else path.resolve().parent
    resolved = local_file(path, folder)
    if driver == "ESRI Shapefile":
        for sidecar in resolved.parent.iterdir():
            if sidecar.stem.lower() == resolved.stem.lower():
                local_file(sidecar, folder)
    with resolved.open("rb") as handle:
        start = handle.read(64).removeprefix(b"\xef\xbb\xbf").lstrip()
    if not start.startswith(signature):
        raise RefusedFile(path, _("its content is not %(driver)s, as its name says") % {"driver": driver})
    if driver == "GeoJSON":
        refuse_linked_crs(path, resolved)
    opened = pyogrio.read_info(resolved, layer=layer)["driver"]  # a VRT no longer, but maybe a JSON cousin
    if opened != driver:
        raise RefusedFile(path, _("GDAL reads it as %(opened)s, not %(driver)s") % {"opened": opened, "driver": driver})
    return resolved


def refuse_linked_crs(path: Path, resolved: Path) -> None:
    """Refuse a GeoJSON with a CRS given other than by name, wherever it is: GDAL would fetch it."""

    def check(pairs: list[tuple]) -> dict:
        member = dict(pairs)
        crs = member.get("crs")
        if crs is not None and not (isinstance(crs, dict) and crs.get("type") == "name"):
            raise RefusedFile(
                path,
                _("its CRS %(crs)s is not a name (such as EPSG:4326); it is not fetched") % {"crs": json.dumps(crs)},
            )
        return member

    try:
        json.loads(resolved.read_bytes(), object_pairs_hook=check)
    except ValueError as error:
        raise RefusedFile(path, _("is not valid JSON (%(error)s)") % {"error": error}) from None
