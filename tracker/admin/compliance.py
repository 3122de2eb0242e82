"""Compliance at a glance: the findings on a date with their grade and state, links to their evidence, and
each zone's ceilings."""

import datetime
import json
from dataclasses import dataclass

from django import forms
from django.core.exceptions import PermissionDenied
from django.db import models
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tracker import findings_register
from tracker.compliance import GRADE_LABELS, STATE_LABELS, Breach, evaluate, readable_by
from tracker.compliance.shown import Labels
from tracker.dates import validate_plausible
from tracker.evidence import REFERENCES, admin_urls, named
from tracker.models import AppliesTo, Ceiling

# A breach's geometry may be a whole zone: an outline to about a kilometre is plenty for a glance.
MAP_TOLERANCE_DEGREES = 0.01


@dataclass(frozen=True)
class Link:
    label: str
    url: str


def change_url(model: type[models.Model], pk) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[pk])


def counted_lines_url(breach: Breach) -> str:
    """The holdings API's list of the sites behind a ceiling breach too large to list them itself."""
    query = {"as_of": breach.as_of.isoformat(), "zone": breach.zone, "category": breach.category}
    if breach.evidence["applies_to"] in (AppliesTo.PARTY, AppliesTo.EACH):
        query["party"] = breach.party
    return f"{reverse('holding-list')}?{urlencode(query)}"


def evidence_links(breaches: list[Breach], user) -> list[list[Link]]:
    """Per breach, links to the ceiling, sites, notifications, inspection and observations it rests on."""
    wanted: dict[str, set[str]] = {kind: set() for kind in REFERENCES.values()}
    for breach in breaches:
        for key, kind in REFERENCES.items():
            wanted[kind].update(named(breach.evidence, key))
    urls = {kind: admin_urls(kind, names, user) for kind, names in wanted.items()}
    # Site codes are unique per party only: a search lists the one or few that carry the code.
    sites = reverse("admin:tracker_site_changelist")
    links = []
    for breach in breaches:
        row = []
        if "ceiling" in breach.evidence:
            ceiling = breach.evidence["ceiling"]
            row.append(Link(_("ceiling #%(number)s") % {"number": ceiling}, change_url(Ceiling, ceiling)))
        row += [Link(code, f"{sites}?{urlencode({'q': code})}") for code in named(breach.evidence, "sites")]
        if "lines" in breach.evidence and "sites" not in breach.evidence:
            label = _("the %(count)s lines counted, by site") % {"count": breach.evidence["lines"]}
            row.append(Link(label, counted_lines_url(breach)))
        for key, kind in REFERENCES.items():
            row += [Link(name, urls[kind][name]) for name in named(breach.evidence, key) if name in urls[kind]]
        links.append(row)
    return links


def breach_features(breaches: list[Breach], labels: Labels) -> dict:
    """The breaches that have a place, as GeoJSON for the dashboard's map."""
    features = [
        {
            "type": "Feature",
            "geometry": json.loads(breach.geometry.simplify(MAP_TOLERANCE_DEGREES, preserve_topology=True).geojson),
            "properties": {
                "label": _("%(kind)s (%(grade)s): %(zone)s %(party)s")
                % {
                    "kind": labels.kind(breach.kind),
                    "grade": labels.grade(breach.grade),
                    "zone": breach.zone or "",
                    "party": breach.party or "",
                }
            },
        }
        for breach in breaches
        if breach.geometry is not None
    ]
    return {"type": "FeatureCollection", "features": features}


def shown(breach: Breach, state: str, labels: Labels) -> dict[str, str]:
    """A row's words in the active language: kind, grade, state, party, category and treaty."""
    return {
        "kind": labels.kind(breach.kind),
        "grade": labels.grade(breach.grade),
        "state": labels.state(state) if state else "",
        "party": labels.party(breach.party),
        "category": labels.category(breach.category),
        "treaty": labels.treaty(breach.treaty),
    }


class AsOfForm(forms.Form):
    as_of = forms.DateField(
        label=gettext_lazy("As of"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        validators=[validate_plausible],
    )
    grade = forms.ChoiceField(
        label=gettext_lazy("Grade"), choices=[("", gettext_lazy("any")), *GRADE_LABELS.items()], required=False
    )
    state = forms.ChoiceField(
        label=gettext_lazy("State"), choices=[("", gettext_lazy("any")), *STATE_LABELS.items()], required=False
    )


def compliance_view(request, admin_site) -> TemplateResponse:
    """Every finding as of a date (today unless picked), of a grade and in a state if picked (the register's:
    a finding it does not hold has none), with its evidence one click away."""
    if not request.user.has_perm("tracker.view_ceiling"):
        raise PermissionDenied
    form = AsOfForm(request.GET or {"as_of": timezone.localdate()})
    as_of: datetime.date | None = form.cleaned_data["as_of"] if form.is_valid() else None
    breaches = readable_by(evaluate(as_of), request.user) if as_of else []
    states = findings_register.states_of(breaches)
    if as_of and form.cleaned_data["grade"]:
        breaches = [breach for breach in breaches if breach.grade == form.cleaned_data["grade"]]
    if as_of and form.cleaned_data["state"]:
        breaches = [breach for breach in breaches if states.get(breach.identity) == form.cleaned_data["state"]]
    labels = Labels()
    context = {
        **admin_site.each_context(request),
        "title": _("Compliance as of %(date)s") % {"date": date_format(as_of, "j E Y")} if as_of else _("Compliance"),
        "form": form,
        "as_of": as_of,
        "rows": [
            (breach, shown(breach, states.get(breach.identity, ""), labels), links)
            for breach, links in zip(breaches, evidence_links(breaches, request.user))
        ],
        "features": breach_features(breaches, labels),
    }
    return TemplateResponse(request, "admin/compliance.html", context)
