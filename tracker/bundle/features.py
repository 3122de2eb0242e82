"""A bundle's GIS files (``zones.*``, ``lines.*``): one layer of features, read under zones.files' rules."""

from pathlib import Path

from django.contrib.gis.geos import GEOSGeometry
from django.utils.translation import gettext as _

from tracker.bundle.format import RowError
from tracker.bundle.rows import Rows
from zones.files import GIS_FORMATS
from zones.importing import GISFileError, read_layer, text


def read_features(
    folder: Path, stem: str, errors: list[RowError], required: bool
) -> tuple[Rows, list[GEOSGeometry | None]] | None:
    """The features of ``stem``.geojson, .gpkg or .shp in ``folder`` (EPSG:4326), their properties as
    rows numbered from 1 beside their shapes; None, the reason reported, when there is none to read."""
    paths = sorted(folder.glob(f"{stem}.*"))
    path = next((p for p in paths if p.suffix.lower() in GIS_FORMATS), None)
    if path is None:
        accepted = ", ".join(f"{stem}{suffix}" for suffix in GIS_FORMATS)
        for other in paths:
            reason = _("is not one of the %(stem)s files read (%(accepted)s)") % {"stem": stem, "accepted": accepted}
            errors.append(RowError(other.name, 0, "-", reason))
        if not paths and required:
            errors.append(RowError(f"{stem}.*", 0, "-", _("file is missing from the bundle")))
        return None
    try:
        frame = read_layer(path, folder=folder)
    except GISFileError as error:
        errors.append(RowError(path.name, 0, "geometry", str(error)))
        return None
    records = [
        {key: text(value) for key, value in feature.items() if key != "geometry"}
        for feature in frame.to_dict("records")
    ]
    shapes = [None if shape is None else GEOSGeometry(memoryview(shape.wkb), srid=4326) for shape in frame.geometry]
    return Rows(path.name, errors, list(enumerate(records, start=1))), shapes
