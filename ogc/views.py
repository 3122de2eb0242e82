"""OGC API – Features (Part 1 Core, Part 2 CRS) on Django REST framework.

Authentication (token or session), the read-by-role permission and throttling are the REST API's
defaults; every collection reads through ``visible_records`` (see ``ogc.collections``).
"""

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.exceptions import NotFound
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param
from rest_framework.views import APIView

from ogc import crs, openapi, query
from ogc.collections import COLLECTIONS, Collection
from ogc.renderers import FeaturesRenderer, FormatParameter, OpenAPIRenderer, PageRenderer

CONFORMANCE = [
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
    "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs",
]
JSON, GEOJSON, HTML = "application/json", "application/geo+json", "text/html"
OPENAPI = "application/vnd.oai.openapi+json;version=3.0"


def link(href: str, rel: str, media_type: str, title: str | None = None) -> dict:
    return {"href": href, "rel": rel, "type": media_type, **({"title": title} if title else {})}


class OgcView(APIView):
    schema = None  # described by its own OpenAPI definition (ogc.openapi), not the REST API's
    renderer_classes = [JSONRenderer, PageRenderer]
    content_negotiation_class = FormatParameter
    template_name = ""
    title = ""

    def url(self, name: str, *args) -> str:
        return self.request.build_absolute_uri(reverse(name, args=args))

    def this_page(self) -> list[dict]:
        """``self`` in the representation served, ``alternate`` in each other one."""
        here = remove_query_param(self.request.build_absolute_uri(), "format")
        served = self.request.accepted_renderer.format
        media_types = {}
        for renderer in self.get_renderers():
            media_types.setdefault(renderer.format, renderer.media_type)
        return [
            link(replace_query_param(here, "f", format_), "self" if format_ == served else "alternate", media_type)
            for format_, media_type in media_types.items()
        ]

    def collection_document(self, collection: Collection, day: str | None = None) -> dict:
        items = self.url("ogc-items", collection.id)
        if day:
            # A client that builds its requests from this link reads the collection as of ``day``.
            items = replace_query_param(items, "datetime", day)
        return {
            "id": collection.id,
            "title": collection.title,
            "description": collection.description,
            "itemType": "feature",
            "crs": list(crs.SUPPORTED),
            "storageCrs": crs.CRS84.uri,
            "links": [
                link(self.url("ogc-collection", collection.id), "self", JSON),
                link(f"{self.url('ogc-collection', collection.id)}?f=html", "alternate", HTML),
                link(items, "items", GEOJSON, collection.title),
                link(replace_query_param(items, "f", "html"), "items", HTML, collection.title),
            ],
        }

    def page(self, document: dict, **headers) -> Response:
        return Response(document, template_name=self.template_name, headers=headers)


class LandingPage(OgcView):
    template_name = "ogc/landing.html"
    title = "Treaty-compliance tracker: OGC API – Features"

    def get(self, request):
        query.refuse_unknown(request.query_params, {"f", "format"})
        return self.page(
            {
                "title": self.title,
                "description": "Zones, declared sites and holdings, violations, inspections and observations, "
                "as of any day, for GIS clients.",
                "links": [
                    *self.this_page(),
                    link(self.url("ogc-openapi"), "service-desc", OPENAPI, "The API definition"),
                    link(self.url("ogc-api"), "service-doc", HTML, "What each collection and parameter means"),
                    link(self.url("ogc-conformance"), "conformance", JSON, "Conformance classes"),
                    link(self.url("ogc-collections"), "data", JSON, "Collections"),
                ],
            }
        )


class Conformance(OgcView):
    template_name = "ogc/conformance.html"
    title = "Conformance"

    def get(self, request):
        query.refuse_unknown(request.query_params, {"f", "format"})
        return self.page({"links": self.this_page(), "conformsTo": CONFORMANCE})


class Collections(OgcView):
    template_name = "ogc/collections.html"
    title = "Collections"

    def get(self, request):
        query.refuse_unknown(request.query_params, {"f", "format"})
        documents = [self.collection_document(collection) for collection in COLLECTIONS.values()]
        return self.page({"links": self.this_page(), "collections": documents})


def collection_named(collection_id: str) -> Collection:
    try:
        return COLLECTIONS[collection_id]
    except KeyError:
        raise NotFound(
            _("no collection %(collection)s; there are: %(collections)s")
            % {"collection": repr(collection_id), "collections": ", ".join(COLLECTIONS)}
        ) from None


class CollectionView(OgcView):
    template_name = "ogc/collection.html"

    def get(self, request, collection_id):
        query.refuse_unknown(request.query_params, {"f", "format", "datetime"})
        collection = collection_named(collection_id)
        self.title = collection.title
        day = request.query_params.get("datetime")
        query.period(day)
        document = self.collection_document(collection, day)
        return self.page({**document, "links": [*self.this_page(), *document["links"][2:]]})


class Features(OgcView):
    renderer_classes = [FeaturesRenderer, JSONRenderer, PageRenderer]
    template_name = "ogc/items.html"

    def features(self, collection: Collection, records: list, items_query: query.ItemsQuery) -> list[dict]:
        context = collection.page_context(items_query)
        geometries = crs.as_geojson([collection.geometry(record) for record in records], items_query.crs)
        return [
            {
                "type": "Feature",
                "id": collection.feature_id(record),
                "geometry": geometry,
                "properties": collection.properties(record, context),
            }
            for record, geometry in zip(records, geometries)
        ]


class Items(Features):
    def get(self, request, collection_id):
        collection = collection_named(collection_id)
        self.title = collection.title
        query.refuse_unknown(request.query_params, {*query.ITEMS_PARAMETERS, *collection.filter_names()})
        items_query = query.items_query(request)
        records = collection.records(request, items_query)
        matched = records.count() if isinstance(records, QuerySet) else len(records)
        start, end = items_query.offset, items_query.offset + items_query.limit
        features = self.features(collection, list(records[start:end]), items_query)
        here = request.build_absolute_uri()
        links = self.this_page()
        served = request.accepted_renderer.media_type
        if end < matched:
            links.append(link(replace_query_param(here, "offset", end), "next", served, "next page"))
        if start > 0:
            links.append(link(replace_query_param(here, "offset", max(start - items_query.limit, 0)), "prev", served))
        links.append(link(self.url("ogc-collection", collection.id), "collection", JSON, collection.title))
        document = {
            "type": "FeatureCollection",
            "timeStamp": timezone.now().isoformat(timespec="seconds"),
            "numberMatched": matched,
            "numberReturned": len(features),
            "features": features,
            "links": links,
        }
        return self.page(document, **{"Content-Crs": items_query.crs.header})


class Item(Features):
    template_name = "ogc/items.html"

    def get(self, request, collection_id, feature_id):
        collection = collection_named(collection_id)
        self.title = collection.title
        query.refuse_unknown(request.query_params, set(query.FEATURE_PARAMETERS))
        items_query = query.ItemsQuery(
            limit=1,
            offset=0,
            bbox=None,
            crs=crs.named(request.query_params.get("crs"), "crs"),
            period=query.period(request.query_params.get("datetime")),
        )
        record = collection.record(request, items_query, feature_id)
        if record is None:
            raise NotFound(
                _("no feature %(feature)s in %(collection)s")
                % {"feature": repr(feature_id), "collection": collection.id}
            )
        feature = self.features(collection, [record], items_query)[0]
        feature["links"] = [
            *self.this_page(),
            link(self.url("ogc-collection", collection.id), "collection", JSON, collection.title),
        ]
        return self.page(feature, **{"Content-Crs": items_query.crs.header})


class ApiDocument(OgcView):
    """What each collection holds and which parameters it takes, for people."""

    renderer_classes = [PageRenderer]
    template_name = "ogc/api.html"
    title = "Collections and parameters"

    def get(self, request):
        collections = [
            {
                "id": collection.id,
                "title": collection.title,
                "description": collection.description,
                "filters": sorted(collection.filter_names()),
            }
            for collection in COLLECTIONS.values()
        ]
        return self.page({"collections": collections, "crs": list(crs.SUPPORTED)})


class ApiDefinition(OgcView):
    renderer_classes = [OpenAPIRenderer, JSONRenderer]

    def get(self, request):
        renderer = request.accepted_renderer
        media_type = f"{renderer.media_type};version={renderer.version}" if hasattr(renderer, "version") else None
        return Response(openapi.document(self.url("ogc-landing").rstrip("/")), content_type=media_type)
