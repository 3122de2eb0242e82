"""``GET /api/holdings/cells/``: declared sites gathered per map cell, for maps of many sites."""

from django.contrib.gis.geos import Polygon
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

from maps.cells import SiteCell, site_cells
from tracker.api.params import HoldingParams, read
from tracker.models import Holding


class CellParams(HoldingParams):
    zoom = serializers.IntegerField(min_value=0, max_value=22, help_text="The web map's zoom level")
    bbox = serializers.CharField(required=False, help_text="west,south,east,north in degrees")

    def validate_bbox(self, value: str) -> Polygon:
        try:
            west, south, east, north = (float(part) for part in value.split(","))
        except ValueError:
            raise serializers.ValidationError("expected four numbers: west,south,east,north") from None
        if west > east or south > north:
            raise serializers.ValidationError("west must not exceed east, nor south north")
        return Polygon.from_bbox((west, south, east, north))


@extend_schema(parameters=[CellParams], responses={200: dict})
@api_view(["GET"])
def holding_cells(request: Request) -> Response:
    """Sites with holdings as of a date, one GeoJSON Point per map cell of about 64 pixels at ``zoom``.

    A cell with one site carries the site's properties as ``/api/holdings/`` gives them; a cell with
    more carries ``sites`` (how many) and ``total`` (their holdings together).
    """
    params = read(CellParams, request)
    filters = {name: params.get(name) for name in ("party", "zone", "category")}
    cells = site_cells(params["as_of"], params["zoom"], bbox=params.get("bbox"), **filters)
    holdings = holdings_by_site(params, [cell.site_id for cell in cells if cell.site_id])
    return Response({"type": "FeatureCollection", "features": [feature(cell, holdings) for cell in cells]})


def holdings_by_site(params: dict, site_ids: list[int]) -> dict[int, list[Holding]]:
    lines = Holding.objects.as_of(params["as_of"]).filter(site_id__in=site_ids)
    if params.get("category"):
        lines = lines.filter(category=params["category"])
    by_site: dict[int, list[Holding]] = {}
    for line in lines.select_related("site__party", "category", "notification").order_by("category_id", "status"):
        by_site.setdefault(line.site_id, []).append(line)
    return by_site


def feature(cell: SiteCell, holdings: dict[int, list[Holding]]) -> dict:
    properties = {"sites": cell.sites, "total": cell.total}
    if cell.site_id:
        lines = holdings[cell.site_id]
        site = lines[0].site
        properties |= {
            "site": site.code,
            "name": site.name,
            "party": site.party.code,
            "unit": site.unit,
            "holdings": [
                {
                    "category": line.category.code,
                    "status": line.status,
                    "quantity": line.quantity,
                    "notification": line.notification.reference,
                }
                for line in lines
            ],
        }
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [round(cell.location.x, 6), round(cell.location.y, 6)]},
        "properties": properties,
    }
