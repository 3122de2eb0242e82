"""What a locked-out login is told, and which address a login attempt comes from (django-axes)."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


def _minutes() -> int:
    return int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)


def refusal(request: HttpRequest, original_response: HttpResponse | None = None, credentials: dict | None = None):
    """429 with how long to wait: JSON for the API, a page for the admin."""
    message = _(
        "Too many failed logins for this account from your address: logins are refused, right password included, "
        "until %(minutes)d minutes pass without another try. Ask an administrator if you cannot wait."
    ) % {"minutes": _minutes()}
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": message}, status=429)
    else:
        response = render(request, "accounts/locked_out.html", {"message": message}, status=429)
    response["Retry-After"] = str(_minutes() * 60)
    return response


def client_address(request: HttpRequest) -> str | None:
    """The client's address; behind the TLS proxy, the one the proxy appended to X-Forwarded-For.

    Only the last entry is the proxy's own: anything before it was sent by the client and could be forged.
    """
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if settings.BEHIND_TLS_PROXY and forwarded:
        return forwarded.rsplit(",", 1)[-1].strip()
    return request.META.get("REMOTE_ADDR")
