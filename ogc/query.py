"""The query parameters OGC API – Features defines for items: limit, offset, bbox, bbox-crs, crs, datetime."""

import datetime
import re
from dataclasses import dataclass

from django.contrib.gis.geos import Polygon
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError

from ogc import crs as crs_
from tracker.api.pagination import MAX_PAGE_SIZE, PAGE_SIZE
from tracker.api.params import today
from zones.api.filters import BBoxFilter

# ``f`` and ``format`` choose the representation (JSON, GeoJSON or HTML).
ITEMS_PARAMETERS = ("limit", "offset", "bbox", "bbox-crs", "crs", "datetime", "f", "format")
FEATURE_PARAMETERS = ("crs", "datetime", "f", "format")
INSTANT = re.compile(r"(\d{4}-\d{2}-\d{2})(?:[Tt ][\d:.]+(?:[Zz]|[+-]\d{2}:\d{2})?)?")
OPEN = ("", "..")


@dataclass(frozen=True)
class Period:
    """The days ``datetime`` asks about, both ends inclusive; None is open."""

    start: datetime.date | None
    end: datetime.date | None

    @property
    def day(self) -> datetime.date:
        """The one day an as-of collection is read on: today when ``datetime`` is absent."""
        if self.start != self.end:
            raise ValidationError({"datetime": _("this collection is read as of one day: give a single date")})
        return self.start or today()


@dataclass(frozen=True)
class ItemsQuery:
    limit: int
    offset: int
    bbox: Polygon | None  # EPSG:4326
    crs: crs_.Crs
    period: Period


def refuse_unknown(params, known: set[str]) -> None:
    unknown = sorted(set(params) - known)
    if unknown:
        refusal = _("unknown parameter; known: %(known)s") % {"known": ", ".join(sorted(known))}
        raise ValidationError({name: refusal for name in unknown})


def whole_number(params, name: str, default: int, minimum: int) -> int:
    text = params.get(name)
    if text in (None, ""):
        return default
    try:
        value = int(text)
    except ValueError:
        raise ValidationError({name: _("expected a whole number, not %(text)s") % {"text": repr(text)}}) from None
    if value < minimum:
        raise ValidationError({name: _("must be at least %(minimum)d") % {"minimum": minimum}})
    return value


def day(text: str) -> datetime.date | None:
    if text in OPEN:
        return None
    match = INSTANT.fullmatch(text)
    try:
        return datetime.date.fromisoformat(match.group(1)) if match else None
    except ValueError:
        raise ValidationError(
            {"datetime": _("%(day)s is not a day of the calendar") % {"day": match.group(1)}}
        ) from None


def period(text: str | None) -> Period:
    """``datetime`` as an instant (``2024-06-01``) or an interval (``2024-01-01/..``); RFC 3339 times are read as their day."""
    if not text:
        return Period(None, None)
    ends = text.split("/")
    if len(ends) > 2 or (len(ends) == 1 and text in OPEN) or (len(ends) == 2 and ends[0] in OPEN and ends[1] in OPEN):
        raise ValidationError({"datetime": _("expected a date, or an interval start/end with .. for an open end")})
    days = [day(end) for end in ends]
    for end, parsed in zip(ends, days):
        if parsed is None and end not in OPEN:
            raise ValidationError({"datetime": _("%(end)s is not an RFC 3339 date or date-time") % {"end": repr(end)}})
    start, end = days if len(days) == 2 else (days[0], days[0])
    if start and end and start > end:
        raise ValidationError({"datetime": _("the interval ends before it starts")})
    return Period(start, end)


def bbox(request, bbox_crs: crs_.Crs) -> Polygon | None:
    text = request.query_params.get("bbox")
    if not text:
        return None
    if bbox_crs is crs_.CRS84:
        return BBoxFilter().get_filter_bbox(request)
    try:
        numbers = [float(n) for n in text.split(",")]
    except ValueError:
        numbers = []
    if len(numbers) != 4 or numbers[0] > numbers[2] or numbers[1] > numbers[3]:
        raise ValidationError(
            {"bbox": _("expected four numbers: the lower corner, then the upper, in bbox-crs axis order")}
        )
    return crs_.bbox_in_storage(numbers, bbox_crs)


def items_query(request) -> ItemsQuery:
    params = request.query_params
    return ItemsQuery(
        # A limit above the largest page is served as the largest page rather than refused, as the standard asks.
        limit=min(whole_number(params, "limit", PAGE_SIZE, 1), MAX_PAGE_SIZE),
        offset=whole_number(params, "offset", 0, 0),
        bbox=bbox(request, crs_.named(params.get("bbox-crs"), "bbox-crs")),
        crs=crs_.named(params.get("crs"), "crs"),
        period=period(params.get("datetime")),
    )
