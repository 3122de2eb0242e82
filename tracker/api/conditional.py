"""Every API answer names the data version it comes from; reads carry a strong ETag and answer
``If-None-Match`` with a bodiless 304.

``X-Data-Version`` (``tracker.answers.published``) is read before a read's answer is computed, so
the answer is of that version or a later one (a kept answer of a later version, computed from committed
data, names its own: ``tracker.answers.Kept``), and after a write has committed, so it is at least the
version the write made. A client that was told version n, by a write or by any answer, never gets an
answer of a version below n afterwards.

The ETag is the SHA-256 of the media type and the bytes sent, so it changes exactly when the caller's
own answer does. One made of the data version would move with every write anywhere, another party's
drafts included: every poller's 304 would turn into a 200 whenever anyone saved anything. The data
version is one counter for the whole tracker: it tells that something was written, never what or by
whom, and it is what lets a reader check that an answer is no older than a write it knows of.

Answers kept per data version (``tracker.api.reuse``) carry the ETag computed when they were rendered,
so a matching poll is answered 304 without computing anything; other reads are computed, then not
sent. Pages of the browsable API name their user and carry a CSRF token: no ETag, always sent.
Only a caller who signed in is told the data version.
"""

import hashlib

from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response

from tracker import answers

API = "/api/"
# The API's own description is the same whatever the data: no version to name, no database to ask.
DESCRIPTION = ("/api/schema/", "/api/docs/")
READS = ("GET", "HEAD")
VERSION_HEADER = "X-Data-Version"


def etag(content_type: str, content: bytes) -> str:
    """A strong ETag of one representation: its media type and its bytes."""
    return '"' + hashlib.sha256(content_type.encode() + b"\n" + content).hexdigest()[:32] + '"'


def tagged(response: HttpResponse) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and not response.get("Content-Type", "").startswith("text/html")
    )


def signed_in(request: HttpRequest) -> bool:
    """Whether the caller signed in, by session or by the token the API's views authenticated."""
    user = getattr(request, "user", None)
    return user is not None and user.is_authenticated


class DataVersionMiddleware:
    """The data version on every successful API answer; ETags and 304s on the API's reads."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(API) or request.path.startswith(DESCRIPTION):
            return self.get_response(request)
        if request.method not in READS:
            response = self.get_response(request)
            if 200 <= response.status_code < 300 and signed_in(request):
                response[VERSION_HEADER] = str(answers.published(answers.data_version()))
            return response

        with answers.read_once():
            request.data_version = answers.data_version()
            response = self.get_response(request)
        # A kept answer of a later version than the one read (tracker.api.reuse) names its own.
        version = getattr(response, "data_version", request.data_version)
        if tagged(response):
            # Answers differ by who asks: no shared cache keeps them, and a client asks again each time.
            response.setdefault("Cache-Control", "private, no-cache")
            if "ETag" not in response:
                response["ETag"] = etag(response["Content-Type"], response.content)
            response = get_conditional_response(request, etag=response["ETag"], response=response)
        if response.status_code in (200, 304) and signed_in(request):
            response[VERSION_HEADER] = str(answers.published(version))
        return response
