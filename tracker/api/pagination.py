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

    def get_paginated_response_schema(self, view) -> dict:
        schema = super().get_paginated_response_schema(view)
        schema["required"] = ["type", "count", "features"]
        return schema
