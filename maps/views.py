"""The pages people open first: the map of zones as of a date, and one page per zone."""

import datetime
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from maps.finding_periods import period_chart
from tracker import concerns, findings_register
from tracker.compliance.shown import Labels, names_in_language
from tracker.dates import implausibility
from tracker.evidence import KINDS, admin_urls
from tracker.models import ConcernState, Finding, Grade
from tracker.models.parties import reads_everything, roles_of
from zones.models import Zone, ZoneKind


def login_to_admin(view):
    """Pages for signed-in users who hold a role in the tracker: no role, no data."""

    @login_required(login_url="admin:login")
    @wraps(view)
    def with_role(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not (reads_everything(request.user) or roles_of(request.user)):
            raise PermissionDenied(_("your account holds no role in the tracker"))
        return view(request, *args, **kwargs)

    return with_role


def requested_day(request: HttpRequest) -> datetime.date:
    """``as_of`` from the query string; today when absent, not a date or outside the plausible range
    (the page then shows today)."""
    try:
        day = datetime.date.fromisoformat(request.GET.get("as_of", ""))
    except ValueError:
        return timezone.localdate()
    return timezone.localdate() if implausibility(day) else day


def page_config(request: HttpRequest, zone: Zone | None = None) -> dict:
    """What the page's script needs: the date and zone shown, where to ask, and the words and names to show
    in the page's language (the API answers with codes and English names)."""
    return {
        "asOf": requested_day(request).isoformat(),
        "zone": zone.code if zone else request.GET.get("zone", ""),
        "api": reverse("api-root"),
        "map": reverse("map"),
        "zonePage": reverse("zone-page", args=["CODE"]),
        "evidence": reverse("evidence", args=["KIND", "NAME"]),
        "labels": Labels().for_script(),
        "zoneNames": names_in_language(Zone, "code"),
        "concernStates": {state: str(label) for state, label in ConcernState.choices},
        "zoneKinds": {kind: str(label) for kind, label in ZoneKind.choices},
    }


GRADE_FILTER = [
    ("", gettext_lazy("every grade")),
    (Grade.BREACH, gettext_lazy("breaches")),
    (Grade.INDICATOR, gettext_lazy("indicators")),
]


@login_to_admin
def zone_map(request: HttpRequest) -> HttpResponse:
    return render(request, "maps/map.html", {"config": page_config(request), "grades": GRADE_FILTER})


@login_to_admin
def zone_page(request: HttpRequest, code: str) -> HttpResponse:
    zone = get_object_or_404(Zone, code=code)
    grade = request.GET.get("grade", "")
    findings = findings_register.readable(Finding.objects.filter(zone=zone.code), request.user)
    if grade in Grade.values:
        findings = findings.filter(grade=grade)
    findings = list(findings.order_by("first_seen", "kind", "key"))
    context = {
        "zone": zone,
        "config": page_config(request, zone),
        "grade": grade if grade in Grade.values else "",
        "grades": GRADE_FILTER,
        "periods": period_chart(findings, timezone.localdate()),
        "concerns": concerns.open_in_zone(zone.code, request.user),
    }
    return render(request, "maps/zone.html", context)


@login_to_admin
def evidence(request: HttpRequest, kind: str, name: str) -> HttpResponse:
    """The admin page of a record a breach names as evidence (a list when a site code is not unique)."""
    if kind not in KINDS:
        raise Http404(f"no evidence of kind {kind!r}")
    url = admin_urls(kind, {name}, request.user).get(name)
    if url is None:
        raise Http404(f"no {kind} {name!r}")
    return redirect(url)
