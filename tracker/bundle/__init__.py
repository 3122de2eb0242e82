"""The interchange format (docs/bundle.md): a folder of CSV files and one GIS file of zones."""

from tracker.bundle.format import BundleError, RowError
from tracker.bundle.reading import load
from tracker.bundle.writing import export

__all__ = ["BundleError", "RowError", "export", "load"]
