"""Checks over a whole column of a large CSV file (declarations.csv): each value is tested once
per distinct value, and each failure is reported by row and field."""

import datetime
from collections.abc import Callable

import pandas
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from tracker.bundle.format import RowError
from tracker.dates import implausibility


class Checks:
    """Collects the errors of column-wide tests, each naming the row and field."""

    def __init__(self, file: str, frame: pandas.DataFrame, errors: list[RowError]):
        self.file, self.frame, self.errors = file, frame, errors
        self.found = 0

    def fail(self, mask, field: str, reason: Callable[[str], str] | str | pandas.Series) -> None:
        """Report the rows under ``mask``; ``reason`` is a sentence, a function of the field's value,
        or a column of sentences."""
        bad = self.frame.loc[mask, ["row", field]]
        if isinstance(reason, pandas.Series):
            bad[field] = reason.loc[bad.index]
        self.found += len(bad)
        for row, value in bad.itertuples(index=False):
            text = value if isinstance(reason, pandas.Series) else reason(value) if callable(reason) else reason
            self.errors.append(RowError(self.file, row, field, text))

    def add(self, row: int, field: str, reason: str) -> None:
        self.found += 1
        self.errors.append(RowError(self.file, row, field, reason))

    def required(self, field: str) -> pandas.Series:
        """True where the field has a value; an empty one is reported."""
        present = self.frame[field] != ""
        self.fail(~present, field, _("is empty"))
        return present

    def member(self, field: str, allowed, describe: Callable[[str], str]) -> None:
        self.fail(~self.frame[field].isin(allowed), field, describe)

    def parsed(self, field: str, parse: Callable[[str], str | None], describe: Callable[[str], str]) -> None:
        """Replace the column by ``parse`` of each distinct value, reporting those it rejects (None)."""
        present = self.required(field)
        normal = {value: parse(value) for value in self.frame.loc[present, field].unique()}
        self.fail(present & self.frame[field].map(normal).isna(), field, describe)
        self.frame[field] = self.frame[field].map(normal)
        rewrite(self.frame, field, normal)

    def plausible(self, field: str, day_of: Callable[[str], datetime.date]) -> None:
        """Report the parsed dates outside the treaty's plausible range (``tracker.dates``)."""
        reasons = {}
        for value in self.frame[field].unique():
            try:
                reasons[value] = implausibility(day_of(value))
            except (ValueError, TypeError):
                continue  # reported as malformed already
        reasons = {value: reason for value, reason in reasons.items() if reason}
        if reasons:
            column = self.frame[field]
            self.fail(column.isin(list(reasons)), field, column.map(reasons))


def rewrite(frame: pandas.DataFrame, column: str, normal: dict[str, str | None]) -> None:
    """Note how values of ``column`` as the file spells them are to be rewritten once staged."""
    fixes = frame.attrs.setdefault("fixes", {})
    stripped = fixes.get(column, {})
    composed = {raw: normal.get(value) or value for raw, value in stripped.items()}
    composed.update((value, spelled) for value, spelled in normal.items() if spelled)
    fixes[column] = {raw: spelled for raw, spelled in composed.items() if raw != spelled}


def iso_date(value: str) -> str | None:
    try:
        return datetime.date.fromisoformat(value).isoformat()
    except ValueError:
        return None


def iso_moment(value: str) -> str | None:
    try:
        parsed = parse_datetime(value)
    except ValueError:
        return None
    return parsed.isoformat() if parsed is not None and parsed.tzinfo is not None else None


def choices(options) -> str:
    return ", ".join(options.values)
