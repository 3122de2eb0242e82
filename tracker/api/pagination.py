from rest_framework.pagination import PageNumberPagination
from rest_framework_gis.pagination import GeoJsonPagination

PAGE_SIZE = 100
MAX_PAGE_SIZE = 1000


class Pagination(PageNumberPagination):
    page_size = PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE


class FeaturePagination(GeoJsonPagination):
    """A page of a FeatureCollection: ``type``, ``count``, ``next``, ``previous``, ``features``."""

    page_size = PAGE_SIZE
    max_page_size = MAX_PAGE_SIZE

    def get_paginated_response_schema(self, schema: dict) -> dict:
        # drf-spectacular already describes the serialised list as a whole FeatureCollection
        # ({type, features: [...]}); a page is that collection plus the pagination members.
        page = super().get_paginated_response_schema(schema)
        members = {name: page["properties"][name] for name in ("count", "next", "previous")}
        return {"allOf": [schema, {"type": "object", "properties": members, "required": ["type", "count", "features"]}]}
