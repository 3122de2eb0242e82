import io
import json

from rest_framework.renderers import BaseRenderer, BrowsableAPIRenderer, JSONRenderer

from zones import spreadsheets


class GeoJSONRenderer(JSONRenderer):
    """``?format=geojson`` or ``Accept: application/geo+json``."""

    media_type = "application/geo+json"
    format = "geojson"


class CSVRenderer(BaseRenderer):
    """``?format=csv`` or ``Accept: text/csv``: a list of flat rows as a download; nested values as JSON.

    A download is opened in a spreadsheet: text that would read as a formula is made inert, and the
    bytes begin with UTF-8's byte order mark so that Excel reads Cyrillic as Cyrillic."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        if isinstance(data, dict):  # an error body
            data = [data]
        columns = list(dict.fromkeys(key for row in data for key in row))
        out = io.StringIO()
        spreadsheets.write_csv(
            out,
            columns,
            (
                {key: json.dumps(value) if isinstance(value, dict | list) else value for key, value in row.items()}
                for row in data
            ),
        )
        return out.getvalue().encode(spreadsheets.SPREADSHEET_ENCODING)


class ComputedListBrowsableRenderer(BrowsableAPIRenderer):
    """The browsable API for a list the engine computes rather than a queryset: no filter form to build."""

    def get_filter_form(self, data, view, request):
        return None
