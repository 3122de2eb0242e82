"""Read answers rendered once per data version and sent again byte for byte.

The version is the one ``tracker.api.conditional`` read before the view ran, as answers are kept
against it (``answers.kept_version``): a draft, which no such answer reads, leaves them current.

Serialising a zone layer of 100 detailed outlines, or every breach with its evidence, costs far
more than the query behind it once that is reused (``tracker.answers``): under a crowd of
monitors asking the same questions, rendering is what a server would spend its time on.
"""

import functools

from django.http import HttpResponse
from django.utils import timezone, translation

from tracker import answers
from tracker.api.conditional import etag
from tracker.models.inspections import reports_read_as

# Headers a rendered answer carries besides its body and type.
KEPT_HEADERS = ("Content-Disposition", "Link")


def rendered_once(handler):
    """Keep the rendered answers of a GET ``handler`` whose answer is the same for every caller
    allowed to ask who reads the same records; authentication, permissions and throttling still run for every request. The
    browsable API names its user, so it is always rendered afresh."""

    @functools.wraps(handler)
    def reusing(view, request, *args, **kwargs):
        if request.accepted_renderer.format == "api":
            return handler(view, request, *args, **kwargs)

        def render():
            response = view.finalize_response(request, handler(view, request, *args, **kwargs), *args, **kwargs)
            response.render()
            headers = {name: response[name] for name in KEPT_HEADERS if name in response}
            headers["ETag"] = etag(response["Content-Type"], response.content)
            return response.status_code, response.content, response["Content-Type"], headers

        # The caller's language: messages and names are in it. Today's date: a question without ``as_of``
        # asks about today. And which reports the caller reads: findings that name a draft or signed
        # report, or another party's, go to its readers only.
        key = (
            handler.__qualname__,
            request.get_full_path(),
            request.accepted_media_type,
            translation.get_language(),
            timezone.localdate(),
            reports_read_as(request.user),
        )
        # The version tracker.api.conditional read before the view ran: the one the caller is told.
        version = getattr(request, "data_version", None)
        version = version and answers.kept_version(version)
        status, content, content_type, headers = answers.responses.get(key, render, version)
        return HttpResponse(content, status=status, content_type=content_type, headers=headers)

    return reusing
