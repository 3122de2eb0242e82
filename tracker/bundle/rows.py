"""A bundle file's rows, read with typed accessors that report each bad value by file, row and field."""

import csv
import datetime
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.contrib.gis.geos import GEOSException, GEOSGeometry, Point, Polygon
from django.core.exceptions import ValidationError
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tracker.bundle.format import TYPE_SEPARATOR, RowError
from tracker.dates import implausibility
from tracker.models import EquipmentCategory, EquipmentType
from zones.geometry import coordinate_errors

BOOLEANS = {"true": True, "false": False}
# What ``Rows.lookup`` says of a value not found, by what it looks up.
UNKNOWN = {
    "party": gettext_lazy("unknown party %(value)r"),
    "zone": gettext_lazy("unknown zone %(value)r"),
    "treaty": gettext_lazy("unknown treaty %(value)r"),
    "category": gettext_lazy("unknown category %(value)r"),
    "line": gettext_lazy("unknown line %(value)r"),
}


def not_wkt(error: Exception) -> str:
    return _("is not valid WKT (%(error)s)") % {"error": error}


def unknown_site(code: str, party: str) -> str:
    return _("unknown site %(site)r of %(party)s") % {"site": code, "party": party}


def another_version(code: str) -> str:
    return _("another version of %(code)s is in force on some of these dates") % {"code": code}


class Rows:
    """A CSV file's rows with typed accessors that record, rather than raise, each bad value."""

    def __init__(self, name: str, errors: list[RowError], rows: list[tuple[int, dict]]):
        self.name, self.errors, self.rows = name, errors, rows

    @classmethod
    def from_csv(cls, path: Path, errors: list[RowError], required: list[str]) -> "Rows":
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            missing = [column for column in required if column not in (reader.fieldnames or [])]
            if missing:
                errors.append(RowError(path.name, 1, ", ".join(missing), _("missing column")))
                return cls(path.name, errors, [])
            return cls(path.name, errors, list(enumerate(reader, start=2)))

    def __iter__(self):
        return iter(self.rows)

    def fail(self, number: int, field: str, reason: str) -> None:
        self.errors.append(RowError(self.name, number, field, reason))

    @staticmethod
    def given(row: dict, field: str) -> bool:
        """Whether the cell holds a value: an optional column may be absent or its cell empty."""
        return bool((row.get(field) or "").strip())

    def given_values(self, number: int, row: dict, readers: dict[str, Callable]) -> dict | None:
        """The optional fields the row gives a value, each read by ``readers[field](number, row, field)``;
        one left empty or out is not among them, so that the model field's default applies. None when
        a given value is bad (it is reported)."""
        values = {field: read(number, row, field) for field, read in readers.items() if self.given(row, field)}
        return None if None in values.values() else values

    def text(self, number: int, row: dict, field: str) -> str | None:
        value = (row.get(field) or "").strip()
        if not value:
            self.fail(number, field, _("is empty"))
            return None
        return value

    def date(self, number: int, row: dict, field: str, optional: bool = False) -> datetime.date | None:
        value = (row.get(field) or "").strip()
        if not value:
            if not optional:
                self.fail(number, field, _("is empty"))
            return None
        try:
            day = datetime.date.fromisoformat(value)
        except ValueError:
            self.fail(number, field, _("%(value)r is not a date (YYYY-MM-DD)") % {"value": value})
            return None
        reason = implausibility(day)
        if reason:
            self.fail(number, field, reason)
            return None
        return day

    def period(
        self, number: int, row: dict, start: str = "valid_from", end: str = "valid_to"
    ) -> tuple[datetime.date | None, datetime.date | None] | None:
        """Two optional dates, both inclusive, the second not before the first; None when bad."""
        first, last = self.date(number, row, start, optional=True), self.date(number, row, end, optional=True)
        if (self.given(row, start) and first is None) or (self.given(row, end) and last is None):
            return None
        if first and last and last < first:
            self.fail(number, end, _("%(end)s must not be before %(start)s") % {"end": end, "start": start})
            return None
        return first, last

    def moment(self, number: int, row: dict, field: str, optional: bool = False) -> datetime.datetime | None:
        value = (row.get(field) or "").strip()
        if optional and not value:
            return None
        try:
            parsed = parse_datetime(value)
        except ValueError:
            parsed = None
        if parsed is None or parsed.tzinfo is None:
            self.fail(number, field, _("%(value)r is not an ISO 8601 date-time with a time zone") % {"value": value})
            return None
        return parsed

    def count(self, number: int, row: dict, field: str) -> int | None:
        value = (row.get(field) or "").strip()
        try:
            parsed = int(value)
        except ValueError:
            self.fail(number, field, _("%(value)r is not a whole number") % {"value": value})
            return None
        if parsed < 0:
            self.fail(number, field, _("%(value)s is negative") % {"value": parsed})
            return None
        return parsed

    def number(self, number: int, row: dict, field: str) -> float | None:
        value = (row.get(field) or "").strip()
        try:
            return float(value)
        except ValueError:
            self.fail(number, field, _("%(value)r is not a number") % {"value": value})
            return None

    def decimal(self, number: int, row: dict, field: str, most: int | None = None) -> Decimal | None:
        """A number above 0 (and at most ``most``), kept exactly as written: shares and distances."""
        value = (row.get(field) or "").strip()
        try:
            parsed = Decimal(value)
        except InvalidOperation:
            parsed = None
        if parsed is None or not parsed.is_finite():
            self.fail(number, field, _("%(value)r is not a number") % {"value": value})
            return None
        if parsed <= 0 or (most is not None and parsed > most):
            if most is None:
                reason = _("must be above 0, not %(value)s") % {"value": value}
            else:
                reason = _("must be above 0 and at most %(most)s, not %(value)s") % {"most": most, "value": value}
            self.fail(number, field, reason)
            return None
        return parsed

    def fraction(self, number: int, row: dict, field: str) -> Decimal | None:
        """A share written as a number from 0 to 1, both included: a confidence or its floor."""
        value = (row.get(field) or "").strip()
        try:
            parsed = Decimal(value)
        except InvalidOperation:
            parsed = None
        if parsed is None or not parsed.is_finite() or not 0 <= parsed <= 1:
            self.fail(number, field, _("must be a number from 0 to 1, not %(value)r") % {"value": value})
            return None
        return parsed

    def polygon(self, number: int, row: dict, field: str) -> Polygon | None:
        """A polygon in WKT, longitude/latitude."""
        value = (row.get(field) or "").strip()
        try:
            geometry = GEOSGeometry(value, srid=4326)
        except (GEOSException, ValueError) as error:
            self.fail(number, field, not_wkt(error))
            return None
        if not isinstance(geometry, Polygon):
            self.fail(number, field, _("must be a POLYGON, not a %(type)s") % {"type": geometry.geom_type.upper()})
            return None
        return geometry

    def boolean(self, number: int, row: dict, field: str) -> bool | None:
        value = (row.get(field) or "").strip()
        if value not in BOOLEANS:
            self.fail(number, field, _("%(value)r is neither true nor false") % {"value": value})
            return None
        return BOOLEANS[value]

    def choice(self, number: int, row: dict, field: str, choices) -> str | None:
        value = (row.get(field) or "").strip()
        if value not in choices.values:
            self.fail(
                number,
                field,
                _("%(value)r is not one of %(choices)s") % {"value": value, "choices": ", ".join(choices.values)},
            )
            return None
        return value

    def lookup(self, number: int, row: dict, field: str, table: dict, what: str):
        value = (row.get(field) or "").strip()
        if value not in table:
            self.fail(number, field, UNKNOWN[what] % {"value": value})
            return None
        return table[value]

    def types(
        self, number: int, row: dict, field: str, table: dict[str, EquipmentType], category: EquipmentCategory | None
    ) -> list[EquipmentType] | None:
        """Equipment type names separated by ``;``, each of ``category``; empty: none."""
        names = [name.strip() for name in (row.get(field) or "").split(TYPE_SEPARATOR) if name.strip()]
        found = []
        for name in names:
            kind = table.get(name)
            if kind is None:
                self.fail(number, field, _("unknown equipment type %(value)r") % {"value": name})
            elif category is not None and kind.category_id != category.pk:
                self.fail(
                    number,
                    field,
                    _("%(type)s is of %(found)s, not %(category)s")
                    % {"type": name, "found": kind.category.code, "category": category.code},
                )
            else:
                found.append(kind)
        return found if len(found) == len(names) else None

    def point(self, number: int, row: dict) -> Point | None:
        lon, lat = self.number(number, row, "lon"), self.number(number, row, "lat")
        if lon is None or lat is None:
            return None
        point = Point(lon, lat, srid=4326)
        for reason in coordinate_errors(point):
            self.fail(number, "lon/lat", reason)
        return None if coordinate_errors(point) else point


def model_errors(rows: Rows, number: int, instance, exclude: list[str] | None = None) -> bool:
    """Run the model's own validation; report each message against the row. True when clean."""
    try:
        instance.full_clean(exclude=exclude, validate_unique=False)
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            for message in messages:
                rows.fail(number, field, message)
        return False
    return True
