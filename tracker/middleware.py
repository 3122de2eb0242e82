"""A request that loses the database answers 503, so clients know to retry and that nothing was stored.

Writes run in transactions, so a request failing this way has stored nothing; Django closes the
broken connection at the end of the request and the next request connects afresh.
"""

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views import defaults

logger = logging.getLogger(__name__)

DATABASE_ERRORS = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 5


def database_unavailable(request: HttpRequest, exception: Exception) -> JsonResponse:
    logger.warning("database unavailable during %s %s: %s", request.method, request.path, exception)
    response = JsonResponse(
        {"detail": "the database is unavailable; nothing was stored, try again shortly"}, status=503
    )
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


class DatabaseUnavailableMiddleware:
    """Answers 503 for a view (the API's included) that loses the database."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        return database_unavailable(request, exception) if isinstance(exception, DATABASE_ERRORS) else None


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: also catches the database lost outside a view (loading the session user, say)."""
    exception = sys.exc_info()[1]
    if isinstance(exception, DATABASE_ERRORS):
        return database_unavailable(request, exception)
    return defaults.server_error(request)
