"""Read answers rendered once per data version and sent again byte for byte.

The version is the one ``tracker.api.conditional`` read before the view ran, as answers are kept
against it (``answers.kept_version``): a draft, which no such answer reads, leaves them current. An
answer rendered at a later version, from committed data, is sent too (``answers.Kept``): it names that
version in ``X-Data-Version``, and carries the ETag of its own bytes.

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

        # The version tracker.api.conditional read before the view ran: the one the caller is told, unless
        # the answer served is of a later one (answers.Kept), which it then names instead.
        read = getattr(request, "data_version", None)

        def reread():
            # Read again just before rendering, and what the view reads from: the answer rendered is of it.
            request.data_version = answers.data_version_again()
            return answers.kept_version(request.data_version)

        def render():
            response = view.finalize_response(request, handler(view, request, *args, **kwargs), *args, **kwargs)
            response.render()
            headers = {name: response[name] for name in KEPT_HEADERS if name in response}
            headers["ETag"] = etag(response["Content-Type"], response.content)
            return response.status_code, response.content, response["Content-Type"], headers, request.data_version

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
        version = read and answers.kept_version(read)
        found = answers.responses.find(key, render, version, reread)
        (status, content, content_type, headers, computed_at), served = found
        response = HttpResponse(content, status=status, content_type=content_type, headers=headers)
        if read and served != version:
            response.data_version = computed_at
        return response

    return reusing
