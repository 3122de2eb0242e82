"""Where a breach's evidence is read: the admin page of each record it names, among those the reader may see.

The dashboard links a whole table of breaches at once; ``/evidence/<kind>/<name>`` follows one
link from the map. Both ask ``admin_urls``, so they resolve names alike and hide alike.
"""

from django.db import models
from django.urls import reverse
from django.utils.http import urlencode

from tracker.models import Ceiling, Inspection, InspectionRequest, Notification, Observation, Site
from tracker.models.parties import visible_records
from zones.models import Zone

# Each kind of record evidence names, with the field its name is.
KINDS: dict[str, tuple[type[models.Model], str]] = {
    "notification": (Notification, "reference"),
    "inspection": (Inspection, "reference"),
    "request": (InspectionRequest, "reference"),
    "observation": (Observation, "reference"),
    "site": (Site, "code"),
    "ceiling": (Ceiling, "pk"),
    "zone": (Zone, "code"),
}
# Evidence keys naming records by reference, and the kind each names.
REFERENCES = {
    "notification": "notification",
    "notifications": "notification",
    "inspection": "inspection",
    "request": "request",
    "observations": "observation",
}


def admin_url(model: type[models.Model], view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def admin_urls(kind: str, names: set[str], user) -> dict[str, str]:
    """The admin page of each named record ``user`` may see; a search listing them where a name is
    not unique (site codes are unique per party only). Names of records out of sight are left out."""
    model, field = KINDS[kind]
    if field == "pk":
        names = {name for name in names if str(name).isdigit()}
    found: dict[str, list[int]] = {}
    for name, pk in visible_records(model, user).filter(**{f"{field}__in": names}).values_list(field, "pk"):
        found.setdefault(str(name), []).append(pk)
    return {
        name: admin_url(model, "change", pks[0])
        if len(pks) == 1
        else f"{admin_url(model, 'changelist')}?{urlencode({'q': name})}"
        for name, pks in found.items()
    }


def named(evidence: dict, key: str) -> list[str]:
    """The names under ``key``: a name, a list of names, or of records each naming itself under the
    singular key (``"sites": [{"site": "S1", "km": 3.2}]``)."""
    value = evidence.get(key)
    if value is None:
        return []
    singular = key.removesuffix("s")
    return [
        item[singular] if isinstance(item, dict) else item for item in (value if isinstance(value, list) else [value])
    ]
