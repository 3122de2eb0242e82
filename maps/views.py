"""The pages people open first: the map of zones as of a date, and one page per zone."""

import datetime
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Model
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from tracker.dates import implausibility
from tracker.models import Ceiling, Inspection, Notification, Observation, Site
from tracker.models.parties import reads_everything, roles_of, visible_records
from zones.models import Zone


def login_to_admin(view):
    """Pages for signed-in users who hold a role in the tracker: no role, no data."""

    @login_required(login_url="admin:login")
    @wraps(view)
    def with_role(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not (reads_everything(request.user) or roles_of(request.user)):
            raise PermissionDenied("your account holds no role in the tracker")
        return view(request, *args, **kwargs)

    return with_role


# What breach evidence names, and how to find it: model and the field its name is.
EVIDENCE = {
    "notification": (Notification, "reference"),
    "inspection": (Inspection, "reference"),
    "observation": (Observation, "reference"),
    "site": (Site, "code"),
    "ceiling": (Ceiling, "pk"),
    "zone": (Zone, "code"),
}


def requested_day(request: HttpRequest) -> datetime.date:
    """``as_of`` from the query string; today when absent, not a date or outside the plausible range
    (the page then shows today)."""
    try:
        day = datetime.date.fromisoformat(request.GET.get("as_of", ""))
    except ValueError:
        return timezone.localdate()
    return timezone.localdate() if implausibility(day) else day


def page_config(request: HttpRequest, zone: Zone | None = None) -> dict:
    """What the page's script needs: the date and zone shown, and where to ask."""
    return {
        "asOf": requested_day(request).isoformat(),
        "zone": zone.code if zone else request.GET.get("zone", ""),
        "api": "/api/",
        "map": reverse("map"),
        "zonePage": reverse("zone-page", args=["CODE"]),
        "evidence": reverse("evidence", args=["KIND", "NAME"]),
    }


@login_to_admin
def zone_map(request: HttpRequest) -> HttpResponse:
    return render(request, "maps/map.html", {"config": page_config(request)})


@login_to_admin
def zone_page(request: HttpRequest, code: str) -> HttpResponse:
    zone = get_object_or_404(Zone, code=code)
    return render(request, "maps/zone.html", {"zone": zone, "config": page_config(request, zone)})


@login_to_admin
def evidence(request: HttpRequest, kind: str, name: str) -> HttpResponse:
    """The admin page of a record a breach names as evidence (a list when a site code is not unique)."""
    if kind not in EVIDENCE:
        raise Http404(f"no evidence of kind {kind!r}")
    model, field = EVIDENCE[kind]
    if field == "pk" and not name.isdigit():
        raise Http404(f"{kind} {name!r} is not an id")
    matches = list(visible_records(model, request.user).filter(**{field: name})[:2])
    if not matches:
        raise Http404(f"no {kind} {name!r}")
    if len(matches) > 1:
        return redirect(f"{admin_url(model, 'changelist')}?q={name}")
    return redirect(admin_url(model, "change", matches[0].pk))


def admin_url(model: type[Model], view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)
