"""The period of each finding in a zone as a bar, first seen to resolved (or to today), drawn on the server as
SVG: no script, no fonts or libraries from elsewhere, and the same picture in a print."""

import datetime

from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from tracker.compliance.shown import Labels
from tracker.models import Finding
from tracker.templatetags.figures import shown_date

WIDTH, LABEL, ROW, TOP, BOTTOM = 1100, 400, 22, 8, 28
MOST_TICKS = 8


def period_chart(findings: list[Finding], today: datetime.date) -> SafeString:
    """One row per finding: its label (kind, party, category, grade, state) and its bar on a common time axis."""
    if not findings:
        return format_html('<p class="empty">{}</p>', _("No finding has been registered in this zone."))
    start = min(finding.first_seen for finding in findings)
    end = max([today, *(finding.resolved_on or finding.last_seen for finding in findings)])
    days = max((end - start).days, 1)

    def x(day: datetime.date) -> float:
        return LABEL + (WIDTH - LABEL - 10) * (day - start).days / days

    height = TOP + ROW * len(findings) + BOTTOM
    labels = Labels()
    rows = format_html_join(
        "\n", "{}", ((_row(finding, index, today, x, labels),) for index, finding in enumerate(findings))
    )
    axis_y = TOP + ROW * len(findings) + 4
    ticks = format_html_join(
        "",
        '<line class="axis" x1="{0}" x2="{0}" y1="{1}" y2="{2}"/><text x="{0}" y="{3}" text-anchor="middle">{4}</text>',
        ((f"{x(day):.1f}", TOP, axis_y, axis_y + 16, date_format(day, "M Y")) for day in _months(start, end)),
    )
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" '
        'aria-label="{label}">{ticks}{rows}'
        '<line class="axis" x1="{left}" x2="{right}" y1="{y}" y2="{y}"/></svg>',
        w=WIDTH,
        h=height,
        label=_("Periods of the findings in this zone"),
        ticks=ticks,
        rows=rows,
        left=LABEL,
        right=f"{x(end):.1f}",
        y=axis_y,
    )


def _months(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    """First days of months between ``start`` and ``end``, spaced so at most MOST_TICKS are labelled."""
    months = (end.year - start.year) * 12 + end.month - start.month
    step = max(1, -(-months // MOST_TICKS))
    days, index = [], (start.year * 12 + start.month) // step * step + step
    while (day := datetime.date(index // 12, index % 12 + 1, 1)) <= end:
        days.append(day)
        index += step
    return days


def _row(finding: Finding, index: int, today: datetime.date, x, labels: Labels) -> SafeString:
    until = finding.resolved_on or max(today, finding.last_seen)
    top = TOP + ROW * index
    left = x(finding.first_seen)
    width = max(x(until) - left, 3)
    who = " ".join(part for part in (finding.party, labels.category(finding.category)) if part)
    words = {
        "kind": labels.kind(finding.kind),
        "who": who or _("all parties"),
        "grade": labels.grade(finding.grade),
        "state": labels.state(finding.state),
        "first": shown_date(finding.first_seen),
        "resolved": shown_date(finding.resolved_on),
        "last": shown_date(finding.last_seen),
    }
    if finding.resolved_on:
        title = _("%(kind)s: %(who)s — %(grade)s, %(state)s; first seen %(first)s, resolved %(resolved)s") % words
    else:
        title = _("%(kind)s: %(who)s — %(grade)s, %(state)s; first seen %(first)s, last seen %(last)s") % words
    return format_html(
        '<g class="finding" data-kind="{kind}" data-grade="{grade}" data-state="{state}">'
        "<title>{title}</title>"
        '<text x="0" y="{ty}">{label}</text>'
        '<rect class="bar {grade} {state}" x="{x}" y="{y}" width="{width}" height="{h}" rx="2"/></g>',
        kind=finding.kind,
        grade=finding.grade,
        state=finding.state,
        title=title,
        label=_("%(kind)s · %(who)s · %(grade)s · %(state)s") % words,
        ty=top + 14,
        x=f"{left:.1f}",
        y=top + 3,
        width=f"{width:.1f}",
        h=ROW - 6,
    )
