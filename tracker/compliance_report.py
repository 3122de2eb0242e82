"""The periodic compliance report for diplomats: for a period and, optionally, one party, the findings of
the register by grade and state, the concerns raised and their steps, each ceiling's count and headroom
on the period's last day with a bar of counted against limit, and a map of the zones, drawn on the server
(SVG, no tiles, no network).

The report is drawn for a user (none: the command run on the server, which shows everything) and shows only what they may read: each record narrows through its
model's ``visible_to`` (``visible_records``), and a finding whose evidence names an inspection report or
request hidden from them is left out (``compliance.readable_by``), with the concerns about it.
``to_pdf`` prints it with WeasyPrint, fetching nothing but ``data:`` URIs and the tracker's own static
files, in the DejaVu fonts Debian installs.
"""

import datetime
import math
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from django.contrib.gis.geos import GEOSGeometry, MultiPolygon
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from tracker.compliance import CeilingStatus, ceiling_counts, readable_by
from tracker.compliance.shown import Labels
from tracker.models import StateParty
from tracker.models.concerns import Concern, Finding, FindingState, Grade
from tracker.models.parties import visible_records
from zones.models import ZoneVersion
from zones.names import name_in

MAP_WIDTH, MAP_HEIGHT = 640, 360
BAR_WIDTH, BAR_HEIGHT, LABEL_WIDTH, CHART_ROWS = 320, 14, 210, 40
# Zone outlines are simplified to this many degrees before drawing: a page needs no finer line.
MAP_TOLERANCE = 0.01
# Colours as SVG attributes, which both WeasyPrint and browsers read (a page's CSS does not reach into WeasyPrint's SVG).
ZONE_FILLS = {"zone": "#dddddd", "limited": "#85c1e9", "finding": "#e74c3c"}
TEXT = 'font-family="DejaVu Sans" font-size="9" fill="#111"'


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date

    def __post_init__(self):
        if self.start > self.end:
            raise ValueError(f"the period starts ({self.start}) after it ends ({self.end})")


@dataclass
class Report:
    period: Period
    party: StateParty | None
    findings: list[Finding]
    concerns: list[Concern]
    ceilings: list[CeilingStatus]
    by_grade_and_state: list[tuple[str, list[int]]] = field(default_factory=list)
    zone_map: SafeString = mark_safe("")
    charts: list[SafeString] = field(default_factory=list)


def _readable(model, user):
    """Every record of ``model`` that ``user`` may read; all of them for no user (the command run on the server)."""
    return model.objects.all() if user is None else visible_records(model, user)


def readable_findings(period: Period, party: StateParty | None, user) -> list[Finding]:
    """The register's findings seen at some time in the period (of ``party`` only, if given) that ``user``
    may read."""
    findings = _readable(Finding, user).filter(first_seen__lte=period.end, last_seen__gte=period.start)
    if party is not None:
        findings = findings.filter(party=party.code)
    findings = list(findings.order_by("grade", "state", "kind", "zone", "key"))
    return findings if user is None else readable_by(findings, user)


def readable_concerns(findings: list[Finding], party: StateParty | None, user) -> list[Concern]:
    """The concerns about ``findings`` (raised by or against ``party``, if given) that ``user`` may read,
    each with only the findings among ``findings``, and its steps."""
    concerns = (
        _readable(Concern, user)
        .filter(findings__in=findings)
        .distinct()
        .select_related("raised_by", "raised_against")
        .prefetch_related("steps__party", "steps__attachments")
        .order_by("reference")
    )
    if party is not None:
        concerns = concerns.filter(Q(raised_by=party) | Q(raised_against=party))
    shown = {finding.pk for finding in findings}
    result = []
    for concern in concerns:
        concern.shown_findings = [f for f in concern.findings.all() if f.pk in shown]
        result.append(concern)
    return result


def ceilings_on(day: datetime.date, party: StateParty | None) -> list[CeilingStatus]:
    """Each ceiling in force on ``day``, counted per holder; for ``party``, those its holdings count for."""
    counts = ceiling_counts(day)
    if party is not None:
        counts = [count for count in counts if party.pk in count.parties or count.holder == party.code]
    return [count.status() for count in counts]


def gather(start: datetime.date, end: datetime.date, party: StateParty | None, user) -> Report:
    period = Period(start, end)
    findings = readable_findings(period, party, user)
    ceilings = ceilings_on(end, party)
    tally = Counter((finding.grade, finding.state) for finding in findings)
    return Report(
        period=period,
        party=party,
        findings=findings,
        concerns=readable_concerns(findings, party, user),
        ceilings=ceilings,
        by_grade_and_state=[
            (grade.label, [tally[grade.value, state.value] for state in FindingState]) for grade in Grade
        ],
        zone_map=zone_map_svg(end, {c.zone for c in ceilings}, {f.zone for f in findings if f.zone}),
        charts=ceiling_chart_svg(ceilings, Labels()),
    )


def _projection(extent: tuple[float, float, float, float]):
    """Longitude/latitude to SVG pixels: equirectangular, shrunk east-west by the cosine of the middle
    latitude, fitted to the map's box."""
    xmin, ymin, xmax, ymax = extent
    stretch = math.cos(math.radians((ymin + ymax) / 2))
    scale = min(MAP_WIDTH / max((xmax - xmin) * stretch, 1e-6), MAP_HEIGHT / max(ymax - ymin, 1e-6))

    def project(x: float, y: float) -> tuple[float, float]:
        return round((x - xmin) * stretch * scale, 1), round((ymax - y) * scale, 1)

    return project


def _path(geometry: GEOSGeometry, project) -> str:
    polygons = geometry if isinstance(geometry, MultiPolygon) else [geometry]
    rings = []
    for polygon in polygons:
        for ring in polygon:
            points = [project(x, y) for x, y in ring.coords]
            rings.append("M" + " L".join(f"{x},{y}" for x, y in points) + " Z")
    return " ".join(rings)


def zone_map_svg(day: datetime.date, limited: set[str], with_findings: set[str]) -> SafeString:
    """The zones in force on ``day`` as outlines, labelled by code; shaded where a ceiling applies, in red
    where the report lists a finding. Largest first, so that nested zones are drawn on top."""
    versions = sorted(ZoneVersion.objects.in_force(day).select_related("zone"), key=lambda version: -version.geom.area)
    if not versions:
        return mark_safe("")
    shapes = [(version.zone.code, version.geom.simplify(MAP_TOLERANCE, preserve_topology=True)) for version in versions]
    xmin = min(shape.extent[0] for _, shape in shapes)
    ymin = min(shape.extent[1] for _, shape in shapes)
    xmax = max(shape.extent[2] for _, shape in shapes)
    ymax = max(shape.extent[3] for _, shape in shapes)
    project = _projection((xmin, ymin, xmax, ymax))
    width, height = project(xmax, ymin)
    parts = []
    for code, shape in shapes:
        fill = ZONE_FILLS["finding" if code in with_findings else "limited" if code in limited else "zone"]
        parts.append(
            f'<path d="{_path(shape, project)}" fill="{fill}" fill-opacity="0.35" stroke="#555" stroke-width="0.6">'
            f"<title>{escape(code)}</title></path>"
        )
    for code, shape in shapes:
        x, y = project(*shape.point_on_surface.coords)
        parts.append(f'<text x="{x}" y="{y}" {TEXT}>{escape(code)}</text>')
    return mark_safe(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="zone-map" viewBox="-4 -4 {width + 8} {height + 8}" '
        f'width="{width + 8}" height="{height + 8}" role="img" aria-label="{escape(_("Map of the zones"))}">'
        f"{''.join(parts)}</svg>"
    )


def ceiling_chart_svg(ceilings: list[CeilingStatus], labels: Labels) -> list[SafeString]:
    """One bar per ceiling: what is counted against a mark at its limit, red where it is above; in charts of
    at most CHART_ROWS bars, each of which fits a page."""
    charts = []
    for first in range(0, len(ceilings), CHART_ROWS):
        rows = []
        shown = ceilings[first : first + CHART_ROWS]
        for n, status in enumerate(shown):
            scale = BAR_WIDTH / max(status.limit, status.counted, 1)
            y = n * (BAR_HEIGHT + 6)
            label = _("%(zone)s %(category)s (%(holder)s)") % {
                "zone": status.zone,
                "category": labels.category(status.category),
                "holder": labels.holder(status.applies_to, status.party),
            }
            fill = "#c0392b" if status.counted > status.limit else "#2e86c1"
            limit_x = LABEL_WIDTH + round(status.limit * scale, 1)
            rows.append(
                f'<text x="0" y="{y + BAR_HEIGHT - 3}" {TEXT}>{escape(label)}</text>'
                f'<rect x="{LABEL_WIDTH}" y="{y}" width="{round(status.counted * scale, 1)}" '
                f'height="{BAR_HEIGHT}" fill="{fill}"/>'
                f'<line x1="{limit_x}" x2="{limit_x}" y1="{y - 2}" y2="{y + BAR_HEIGHT + 2}" stroke="#111" '
                f'stroke-width="1.5"/>'
                f'<text x="{LABEL_WIDTH + BAR_WIDTH + 8}" y="{y + BAR_HEIGHT - 3}" {TEXT}>'
                f"{status.counted} / {status.limit}</text>"
            )
        height = len(shown) * (BAR_HEIGHT + 6)
        width = LABEL_WIDTH + BAR_WIDTH + 80
        charts.append(
            mark_safe(
                f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 -4 {width} {height + 4}" width="{width}" '
                f'height="{height + 4}" role="img" aria-label="{escape(_("Counted against limit"))}">{"".join(rows)}</svg>'
            )
        )
    return charts


def template_context(report: Report) -> dict:
    """The report's words in the active language beside its records: kinds, grades and states by their
    labels, categories, treaties and holders by their names."""
    labels = Labels()
    return {
        "report": report,
        "states": [state.label for state in FindingState],
        "findings": [
            {
                "finding": finding,
                "kind": labels.kind(finding.kind),
                "grade": labels.grade(finding.grade),
                "state": labels.state(finding.state),
                "category": labels.category(finding.category),
            }
            for finding in report.findings
        ],
        "ceilings": [
            {
                "status": status,
                "treaty": labels.treaty(status.treaty),
                "category": labels.category(status.category),
                "holder": labels.holder(status.applies_to, status.party),
                "counting": labels.counting(status.counting),
            }
            for status in report.ceilings
        ],
        "party_name": name_in(report.party) if report.party else "",
    }


def to_html(report: Report) -> str:
    return render_to_string("tracker/compliance_report.html", template_context(report))


STATIC = Path(__file__).resolve().parent / "static"


class LocalOnly(URLFetcher):
    """WeasyPrint's fetcher for the report: ``data:`` URIs and the tracker's own static files, nothing else."""

    def fetch(self, url: str, headers=None):
        if url.startswith("data:"):
            return super().fetch(url, headers)
        if url.startswith("file:"):
            path = Path(url2pathname(urlsplit(url).path)).resolve()
            if path.is_relative_to(STATIC) and path.is_file():
                return super().fetch(url, headers)
        raise ValueError(f"the report fetches no {url!r}: only data: URIs and the tracker's static files")


def to_pdf(report: Report) -> bytes:
    """The report printed in the active language (the admin's, or the command's ``--language``)."""
    return HTML(string=to_html(report), base_url=STATIC.as_uri() + "/", url_fetcher=LocalOnly()).write_pdf()
