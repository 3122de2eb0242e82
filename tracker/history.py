"""Counted against limit over time: the step series a zone's chart draws."""

import datetime

from tracker import compliance
from tracker.compliance.ceilings import CeilingStatus
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
    statuses: dict[int, CeilingStatus] = {}  # a count unchanged from one day to the next is the same object
    for day in days:
        date = day.isoformat()
        for count in counts.get(day, []):
            status = statuses.get(id(count)) or statuses.setdefault(id(count), count.status())
            line = series.setdefault(
                (status.ceiling, status.party),
                {
                    "ceiling": status.ceiling,
                    "category": status.category,
                    "party": status.party,
                    "applies_to": status.applies_to,
                    "points": [],
                },
            )
            line["points"].append({"date": date, "counted": status.counted, "limit": status.limit})
    return list(series.values())
