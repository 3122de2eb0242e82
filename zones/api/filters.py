from django.contrib.gis.geos import Polygon
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework_gis.filters import InBBoxFilter


class BBoxFilter(InBBoxFilter):
    """``?bbox=west,south,east,north`` in degrees: features whose bounding box overlaps it."""

    bbox_param = "bbox"

    def get_filter_bbox(self, request) -> Polygon | None:
        text = request.query_params.get(self.bbox_param)
        if not text:
            return None
        try:
            west, south, east, north = (float(n) for n in text.split(","))
        except ValueError:
            raise ValidationError({"bbox": _("expected four numbers: west,south,east,north")}) from None
        errors = []
        if not (-180 <= west <= 180 and -180 <= east <= 180):
            errors.append(_("longitudes must be within [-180, 180]"))
        if not (-90 <= south <= 90 and -90 <= north <= 90):
            errors.append(_("latitudes must be within [-90, 90]"))
        if west > east or south > north:
            errors.append(_("west must not exceed east, nor south north"))
        if errors:
            raise ValidationError({"bbox": errors})
        return Polygon.from_bbox((west, south, east, north))
