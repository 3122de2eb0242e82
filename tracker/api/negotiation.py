from rest_framework.negotiation import DefaultContentNegotiation


class FormatFirst(DefaultContentNegotiation):
    """A format named in the URL (``?format=geojson``) is served whatever ``Accept`` says: GIS clients send
    ``Accept: application/json`` with every request, and the URL is all their users can change."""

    format_parameters = ("format",)

    def select_renderer(self, request, renderers, format_suffix=None):
        named = format_suffix or next(
            (request.query_params[name] for name in self.format_parameters if request.query_params.get(name)), None
        )
        if not named:
            return super().select_renderer(request, renderers, format_suffix)
        renderer = self.filter_renderers(renderers, named)[0]
        return renderer, renderer.media_type
