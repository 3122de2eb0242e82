"""The dates the tracker accepts, and date arithmetic that cannot overflow.

Every date a person or a file gives (a notification's effective date, an inspection's or an
observation's day, a ceiling's or a treaty's validity, an ``as_of`` question) must fall in the
treaty regime's plausible range: from the signature of the Treaty on Conventional Armed Forces
in Europe (Paris, 19 November 1990), before which none of its notifications, inspections or
ceilings can exist, to ``YEARS_AHEAD`` years after today, far enough for a notification of a
planned change and for ceilings agreed ahead, near enough that a mistyped year is caught.
Models (and so the admin and the bundle), the API's fields and query parameters all check it
here; the engine does not rely on it and saturates its arithmetic at the calendar's ends, so
rows stored before the rule, or written by SQL, cannot make it fail.
"""

import datetime
from collections.abc import Collection

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy, ngettext_lazy

# Treaty on Conventional Armed Forces in Europe, signed at Paris on 19 November 1990.
EARLIEST = datetime.date(1990, 11, 19)
YEARS_AHEAD = 5
SATURDAY = 5  # datetime.date.weekday(): Monday is 0
BEFORE = gettext_lazy("%(day)s is before %(earliest)s, when the CFE Treaty was signed")
AHEAD = ngettext_lazy(
    "%(day)s is more than %(years)d year ahead (after %(latest)s)",
    "%(day)s is more than %(years)d years ahead (after %(latest)s)",
    "years",
)


def latest() -> datetime.date:
    """The last plausible date: ``YEARS_AHEAD`` years after today (28 February for 29 February)."""
    today = timezone.localdate()
    try:
        return today.replace(year=today.year + YEARS_AHEAD)
    except ValueError:
        return today.replace(year=today.year + YEARS_AHEAD, day=28)


def implausibility(day: datetime.date, before=BEFORE, ahead=AHEAD) -> str | None:
    """Why ``day`` is outside the plausible range, or None when it is inside; ``before`` and ``ahead`` say it
    (placeholders ``day``, ``earliest``; ``day``, ``years``, ``latest``) where the date's name goes with it."""
    if isinstance(day, datetime.datetime):
        day = day.date()
    if day < EARLIEST:
        return before % {"day": day.isoformat(), "earliest": EARLIEST.isoformat()}
    if day > latest():
        return ahead % {"day": day.isoformat(), "years": YEARS_AHEAD, "latest": latest().isoformat()}
    return None


def validate_plausible(day: datetime.date) -> None:
    """A model field validator: the admin, the API's model fields and the bundle's rows all use it."""
    reason = implausibility(day)
    if reason:
        raise ValidationError(reason, code="implausible_date")


def shifted(day: datetime.date, days: int) -> datetime.date:
    """``day`` moved by ``days``, held at the calendar's first or last day instead of overflowing."""
    try:
        return day + datetime.timedelta(days=days)
    except OverflowError:
        return datetime.date.max if days > 0 else datetime.date.min


def working_days_after(day: datetime.date, n: int, holidays: Collection[datetime.date] = ()) -> datetime.date:
    """The ``n``-th working day after ``day``: Monday to Friday, except ``holidays`` (the notifying party's,
    given with its annual exchange: Final Document 1996, Annex B §5); ``day`` itself for ``n`` = 0.
    Held at the calendar's last day instead of overflowing."""
    counted = 0
    while counted < n and day < datetime.date.max:
        day = shifted(day, 1)
        if day.weekday() < SATURDAY and day not in holidays:
            counted += 1
    return day
