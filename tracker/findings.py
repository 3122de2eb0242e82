"""Breaches for download: as plain rows (CSV, spreadsheets) or as a GeoDataFrame (GIS files).
The CSV and XLSX files are for spreadsheets, so their text cells are made inert (zones.spreadsheets).

Evidence is kept whole as a JSON text column; geometries (EPSG:4326) as WKT where the format has
no geometry of its own. ``export_findings`` writes files with these; the API's downloads can
reuse ``breach_rows`` and ``breaches_frame`` as they are.
"""

from collections.abc import Iterable
from pathlib import Path

import geopandas
import pandas
import shapely

from tracker.compliance import COLUMNS, Breach
from zones import spreadsheets

FORMATS = ["geojson", "gpkg", "csv", "xlsx"]


def breach_rows(breaches: Iterable[Breach], wkt: bool = True) -> list[dict]:
    """One dict per breach in COLUMNS order, plus ``geometry_wkt`` unless ``wkt`` is False."""
    rows = []
    for breach in breaches:
        row = breach.as_row(evidence_as_text=True)
        if wkt:
            row["geometry_wkt"] = breach.geometry.wkt if breach.geometry is not None else ""
        rows.append(row)
    return rows


def breaches_frame(breaches: Iterable[Breach]) -> geopandas.GeoDataFrame:
    """A GeoDataFrame in EPSG:4326; a breach without a place has an empty geometry."""
    breaches = list(breaches)
    # GEOS objects cross to shapely as WKB: the two libraries may be different builds.
    shapes = [shapely.from_wkb(bytes(b.geometry.wkb)) if b.geometry is not None else None for b in breaches]
    frame = pandas.DataFrame(breach_rows(breaches, wkt=False), columns=COLUMNS)
    return geopandas.GeoDataFrame(frame, geometry=geopandas.GeoSeries(shapes, crs="EPSG:4326"))


def write_findings(breaches: Iterable[Breach], path: Path, file_format: str) -> int:
    """Write the breaches to ``path`` as ``file_format`` (one of FORMATS); how many were written."""
    breaches = list(breaches)
    path = Path(path)
    if file_format in ("geojson", "gpkg"):
        frame = breaches_frame(breaches)
        driver = {"geojson": "GeoJSON", "gpkg": "GPKG"}[file_format]
        options = {"layer": "breaches"} if file_format == "gpkg" else {}
        # An empty geometry type would make GDAL guess from the first row; breaches mix kinds.
        frame.to_file(path, driver=driver, geometry_type="Unknown", **options)
    elif file_format == "csv":
        with path.open("w", newline="", encoding=spreadsheets.SPREADSHEET_ENCODING) as handle:
            spreadsheets.write_csv(handle, [*COLUMNS, "geometry_wkt"], breach_rows(breaches))
    elif file_format == "xlsx":
        spreadsheets.write_xlsx(path, "breaches", [*COLUMNS, "geometry_wkt"], breach_rows(breaches))
    else:
        raise ValueError(f"{file_format!r} is not one of {', '.join(FORMATS)}")
    return len(breaches)
