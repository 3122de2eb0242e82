"""Requests the service cannot take answer in JSON with a status that tells the client what to do.

- The database is lost or refuses connections: 503 with Retry-After. Writes run in transactions,
  so such a request has stored nothing; Django closes the broken connection at the end of the
  request and the next request connects afresh (CONN_HEALTH_CHECKS), without a restart.
- The body is larger than DATA_UPLOAD_MAX_MEMORY_SIZE: 413, before anything parses it.
"""

import logging
import sys

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views import defaults

logger = logging.getLogger(__name__)

DATABASE_ERRORS = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 5


def refusal(request: HttpRequest, exception: BaseException) -> JsonResponse | None:
    if isinstance(exception, DATABASE_ERRORS):
        logger.warning("database unavailable during %s %s: %s", request.method, request.path, exception)
        response = JsonResponse(
            {"detail": "the database is unavailable; nothing was stored, try again shortly"}, status=503
        )
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    if isinstance(exception, RequestDataTooBig):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        return JsonResponse({"detail": f"the request body is larger than the {limit:,} bytes accepted"}, status=413)
    return None


class RefusalMiddleware:
    """Answers a view (the API's included) that loses the database or gets an oversized body."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        return refusal(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: also catches the database lost outside a view (loading the session user, say)."""
    return refusal(request, sys.exc_info()[1]) or defaults.server_error(request)
