from rest_framework.renderers import JSONRenderer, TemplateHTMLRenderer

from tracker.api.negotiation import FormatFirst


class FeaturesRenderer(JSONRenderer):
    """Features as GeoJSON, for ``f=json`` too: OGC API – Features names its JSON encoding ``json``."""

    media_type = "application/geo+json"
    format = "json"


class OpenAPIRenderer(JSONRenderer):
    """An OpenAPI definition. Its ``version`` parameter is set on the response: DRF would match a renderer
    whose type has parameters only to a request that names them all."""

    media_type = "application/vnd.oai.openapi+json"
    version = "3.0"


class PageRenderer(TemplateHTMLRenderer):
    """The HTML representation: the same document, read by a template as ``doc``."""

    format = "html"

    def get_template_context(self, data, renderer_context):
        view = renderer_context["view"]
        return {"doc": data, "title": getattr(view, "title", ""), "view": view}


class FormatParameter(FormatFirst):
    """``f=json``/``f=html``, the parameter OGC API clients use; ``format`` as across the REST API."""

    format_parameters = ("f", "format")
