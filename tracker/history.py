"""Counted against limit over time: the step series a zone's chart draws."""

import datetime

from tracker import compliance
from tracker.compliance.ceilings import CeilingCount, CeilingStatus
from zones.models import Zone


def zone_history(zone: Zone, start: datetime.date | None, end: datetime.date) -> list[dict]:
    """One series per ceiling (and party, for ceilings that apply to each party) over the change dates,
    all counted in one query over the zone totals; each point's date in ISO form, written once per day rather
    than once per point by the API's renderer (three years of daily changes make a hundred thousand points)."""
    days = [day for day in compliance.change_dates() if (start is None or day >= start) and day <= end]
    if start is not None and (not days or days[0] != start):
        days.insert(0, start)
    counts = compliance.ceiling_counts_over(days, zone)
    series: dict[tuple, dict] = {}
    # Per count (a count unchanged from one day to the next is the same object): its series' points, counted
    # and limit.
    rows: dict[int, tuple[list, int, int]] = {}
    for day in days:
        date = day.isoformat()
        for count in counts.get(day, []):
            points, counted, limit = rows.get(id(count)) or rows.setdefault(id(count), _row(series, count))
            points.append({"date": date, "counted": counted, "limit": limit})
    return list(series.values())


def _row(series: dict[tuple, dict], count: CeilingCount) -> tuple[list, int, int]:
    """``count``'s series in ``series`` (added when missing): its points, and the count's counted and limit."""
    status = count.status()
    return line_of(series, status)["points"], status.counted, status.limit


def line_of(series: dict[tuple, dict], status: CeilingStatus) -> dict:
    """The series of ``status``'s ceiling (and party) in ``series``, keyed by both; added, without points, when missing."""
    return series.setdefault(
        (status.ceiling, status.party),
        {
            "ceiling": status.ceiling,
            "category": status.category,
            "party": status.party,
            "applies_to": status.applies_to,
            "points": [],
        },
    )
