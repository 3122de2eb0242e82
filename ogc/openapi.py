"""The OpenAPI 3.0 definition of /ogc/ (its ``service-desc``), built from the collections it serves.

QGIS reads it before any collection; GDAL reads each items path's parameters from it to send an
attribute filter to the server rather than filter every feature itself.
"""

from ogc import crs
from ogc.collections import COLLECTIONS
from tracker.api.pagination import MAX_PAGE_SIZE, PAGE_SIZE

PARAMETERS = {
    "limit": {
        "name": "limit",
        "in": "query",
        "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE, "default": PAGE_SIZE},
        "style": "form",
        "explode": False,
    },
    "offset": {"name": "offset", "in": "query", "schema": {"type": "integer", "minimum": 0, "default": 0}},
    "bbox": {
        "name": "bbox",
        "in": "query",
        "schema": {"type": "array", "minItems": 4, "maxItems": 4, "items": {"type": "number"}},
        "style": "form",
        "explode": False,
    },
    "bbox-crs": {"name": "bbox-crs", "in": "query", "schema": {"type": "string", "enum": list(crs.SUPPORTED)}},
    "crs": {"name": "crs", "in": "query", "schema": {"type": "string", "enum": list(crs.SUPPORTED)}},
    "datetime": {"name": "datetime", "in": "query", "schema": {"type": "string"}},
    "f": {"name": "f", "in": "query", "schema": {"type": "string", "enum": ["json", "html"]}},
}


def ref(name: str) -> dict:
    return {"$ref": f"#/components/parameters/{name}"}


def answer(description: str, media_type: str = "application/json") -> dict:
    return {"200": {"description": description, "content": {media_type: {}, "text/html": {}}}}


def document(server: str) -> dict:
    paths = {
        "/": {"get": {"summary": "Landing page", "responses": answer("Links to the API's resources")}},
        "/conformance": {"get": {"summary": "Conformance classes", "responses": answer("conformsTo")}},
        "/collections": {"get": {"summary": "Collections", "responses": answer("The collections")}},
    }
    for collection in COLLECTIONS.values():
        filters = [
            {"name": name, "in": "query", "schema": {"type": "string"}} for name in sorted(collection.filter_names())
        ]
        base = f"/collections/{collection.id}"
        paths[base] = {
            "get": {
                "summary": collection.title,
                "parameters": [ref("datetime"), ref("f")],
                "responses": answer(collection.description),
            }
        }
        paths[f"{base}/items"] = {
            "get": {
                "summary": f"{collection.title}: features",
                "parameters": [*(ref(name) for name in PARAMETERS), *filters],
                "responses": answer("A page of features", "application/geo+json"),
            }
        }
        paths[f"{base}/items/{{featureId}}"] = {
            "get": {
                "summary": f"{collection.title}: one feature",
                "parameters": [
                    {"name": "featureId", "in": "path", "required": True, "schema": {"type": "string"}},
                    ref("crs"),
                    ref("datetime"),
                    ref("f"),
                ],
                "responses": answer("The feature", "application/geo+json"),
            }
        }
    return {
        "openapi": "3.0.3",
        "info": {"title": "Treaty-compliance tracker: OGC API – Features", "version": "1.0.0"},
        "servers": [{"url": server}],
        "security": [{"token": []}, {"session": []}],
        "components": {
            "parameters": PARAMETERS,
            "securitySchemes": {
                "token": {"type": "apiKey", "in": "header", "name": "Authorization", "description": "Token <key>"},
                "session": {"type": "apiKey", "in": "cookie", "name": "sessionid"},
            },
        },
        "paths": paths,
    }
