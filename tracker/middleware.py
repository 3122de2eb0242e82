"""Requests the service cannot take answer in JSON with a status that tells the client what to do.

- The database is lost or refuses connections: 503 with Retry-After. Writes run in transactions,
  so such a request has stored nothing; Django closes the broken connection at the end of the
  request and the next request connects afresh (CONN_HEALTH_CHECKS), without a restart.
- The body is larger than DATA_UPLOAD_MAX_MEMORY_SIZE: 413, before anything parses it; multipart
  bodies included (Django's own check leaves their files out), by the declared Content-Length, with
  room for one attachment of ATTACHMENT_MAX_BYTES more.
- A statement runs past the web process's statement_timeout (settings.WEB_STATEMENT_TIMEOUT_MS):
  503. PostgreSQL cancelled it and the transaction rolled back, so nothing was stored; the answer
  is the server's limit, not the client's mistake, and a later try may find the server less busy.
- The path holds a NUL character, which no URL of the site has and PostgreSQL text cannot hold:
  400, before a view looks anything up by it.
"""

import logging
import sys

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults
from psycopg.errors import QueryCanceled

logger = logging.getLogger(__name__)

DATABASE_ERRORS = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 5


def body_limit(request: HttpRequest) -> int:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    if request.content_type == "multipart/form-data":
        limit += settings.ATTACHMENT_MAX_BYTES
    return limit


def too_large(request: HttpRequest) -> JsonResponse:
    limit = body_limit(request)
    detail = _("the request body is larger than the %(limit)s bytes accepted") % {"limit": f"{limit:,}"}
    return JsonResponse({"detail": detail}, status=413)


def refusal(request: HttpRequest, exception: BaseException) -> JsonResponse | None:
    if isinstance(exception, OperationalError) and isinstance(exception.__cause__, QueryCanceled):
        logger.warning("statement cut off during %s %s: %s", request.method, request.path, exception)
        seconds = settings.WEB_STATEMENT_TIMEOUT_MS / 1000
        return JsonResponse(
            {
                "detail": _(
                    "the request needed more than the %(seconds)s s of database time a request may use; "
                    "nothing was stored"
                )
                % {"seconds": f"{seconds:g}"}
            },
            status=503,
        )
    if isinstance(exception, DATABASE_ERRORS):
        logger.warning("database unavailable during %s %s: %s", request.method, request.path, exception)
        response = JsonResponse(
            {"detail": _("the database is unavailable; nothing was stored, try again shortly")}, status=503
        )
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    if isinstance(exception, RequestDataTooBig):
        return too_large(request)
    return None


def declared_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


class RefusalMiddleware:
    """Answers a request the service cannot take (see the module's docstring), the API's included."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path:
            return JsonResponse({"detail": _("a path has no NUL characters")}, status=400)
        if declared_length(request) > body_limit(request):
            return too_large(request)
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        return refusal(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: also catches the database lost outside a view (loading the session user, say)."""
    return refusal(request, sys.exc_info()[1]) or defaults.server_error(request)
