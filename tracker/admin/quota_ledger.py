"""The quota ledger: for a treaty and a year, each party's passive quota, what is used and planned of it
and what remains, with a bar for each drawn on the server (no script)."""

from dataclasses import dataclass

from django import forms
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from tracker.inspection_quotas import LedgerRow, as_seen_by, ledger
from tracker.models import PlannedInspection, Treaty
from tracker.models.inspection_requests import FIRST_YEAR, LAST_YEAR
from tracker.roles import may_read_quota_ledger

BAR_WIDTH = 120  # pixels for the largest figure of a row: its quota, or what is used and planned when more


@dataclass(frozen=True)
class Bar:
    """Used and planned as lengths beside the limit's mark, in pixels; ``over``: more used than the limit
    allows, ``planned_over``: the plans would take it beyond."""

    used: int
    planned: int
    limit: int
    over: bool
    planned_over: bool
    label: str


def bar(used: int, planned: int, limit: int) -> Bar:
    scale = BAR_WIDTH / max(limit, used + planned, 1)
    return Bar(
        used=round(used * scale),
        planned=round(planned * scale),
        limit=round(limit * scale),
        over=used > limit,
        planned_over=used + planned > limit,
        label=gettext("%(used)d used and %(planned)d planned of %(limit)d")
        % {"used": used, "planned": planned, "limit": limit},
    )


def default_treaty() -> Treaty | None:
    today = timezone.localdate()
    return Treaty.objects.in_force(today).first() or Treaty.objects.first()


class LedgerForm(forms.Form):
    treaty = forms.ModelChoiceField(Treaty.objects.all(), empty_label=None, label=_("Treaty"))
    year = forms.IntegerField(min_value=FIRST_YEAR, max_value=LAST_YEAR, label=_("Year"))


def rows_with_bars(rows: list[LedgerRow]) -> list[dict]:
    return [
        {
            "row": row,
            "bar": bar(row.used, row.planned, row.quota.in_force),
            "challenge_bar": bar(row.challenge_used, row.challenge_planned, row.quota.challenge),
            "inspecting": [(line, bar(line.used, line.planned, line.limit)) for line in row.inspecting],
        }
        for row in rows
    ]


def quota_ledger_view(request, admin_site) -> TemplateResponse:
    """Every party's quota for the year picked (this year by default), with what each may still use."""
    if not may_read_quota_ledger(request.user):
        raise PermissionDenied
    treaty = default_treaty()
    form = LedgerForm(request.GET or {"year": timezone.localdate().year, "treaty": treaty and treaty.pk})
    rows = []
    if form.is_valid():
        treaty, year = form.cleaned_data["treaty"], form.cleaned_data["year"]
        plans = PlannedInspection.objects.visible_to(request.user)
        rows = as_seen_by(ledger(treaty, year, plans), request.user)
    context = {
        **admin_site.each_context(request),
        "title": gettext("Inspection quotas %(year)s") % {"year": form.cleaned_data["year"]}
        if form.is_valid()
        else gettext("Inspection quotas"),
        "form": form,
        "treaty": treaty if form.is_valid() else None,
        "rows": rows_with_bars(rows),
        "bar_width": BAR_WIDTH,
    }
    return TemplateResponse(request, "admin/quota_ledger.html", context)
