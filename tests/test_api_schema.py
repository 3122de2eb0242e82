"""The OpenAPI schema is committed: a change to the API shows here as a diff to review and accept.

Accept an intended change with ``UPDATE_SNAPSHOTS=1 pytest tests/test_api_schema.py``.
"""

import difflib
import functools
import os
from pathlib import Path

import yaml

from tests import factories as f

SNAPSHOT = Path(__file__).parent / "snapshots" / "openapi.yaml"


@functools.cache
def current_schema() -> str:
    response = f.api().get("/api/schema/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_schema_matches_the_committed_snapshot():
    schema = current_schema()
    if os.environ.get("UPDATE_SNAPSHOTS"):
        SNAPSHOT.write_text(schema)
    diff = "".join(
        difflib.unified_diff(SNAPSHOT.read_text().splitlines(True), schema.splitlines(True), "snapshot", "current")
    )
    assert not diff, f"the OpenAPI schema changed:\n{diff}"


def test_geojson_lists_are_typed_as_feature_collections():
    schemas = yaml.safe_load(current_schema())["components"]["schemas"]
    for name in ["PaginatedZoneFeatureList", "PaginatedSiteHoldingsList", "PaginatedSiteFeatureList"]:
        collection_ref, page = schemas[name]["allOf"]
        collection = schemas[collection_ref["$ref"].rsplit("/", 1)[1]]["properties"]
        assert collection["type"] == {"$ref": "#/components/schemas/GisFeatureCollectionEnum"}
        assert collection["features"]["type"] == "array"
        assert set(page["properties"]) == {"count", "next", "previous"}
    assert schemas["GisFeatureCollectionEnum"]["enum"] == ["FeatureCollection"]
    zone = schemas["ZoneFeature"]["properties"]
    assert zone["geometry"]["properties"]["type"]["enum"] == ["MultiPolygon"]
    assert set(zone["properties"]["properties"]) == {
        *("code", "name", "name_uk", "name_ru", "kind", "valid_from", "valid_to", "compliance")
    }
    breaches = schemas["BreachFeatureCollection"]["properties"]
    assert breaches["type"] == {"$ref": "#/components/schemas/GisFeatureCollectionEnum"}
    assert breaches["features"]["items"] == {"$ref": "#/components/schemas/BreachFeature"}
    assert schemas["BreachFeature"]["properties"]["geometry"]["properties"]["type"]["enum"] == [
        "Point",
        "MultiPoint",
        "Polygon",
        "MultiPolygon",
    ]


def test_throttled_responses_are_documented():
    paths = yaml.safe_load(current_schema())["paths"]
    assert paths["/api/violations/"]["get"]["responses"]["429"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Throttled"
    }
