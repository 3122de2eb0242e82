"""Kept runs of the check show when each breach first appeared and when it was resolved."""

import datetime

from tests import factories as f
from tracker import runs

D = datetime.date


def test_a_breach_is_seen_from_its_first_run_until_the_first_run_without_it():
    ukr = f.party("UKR")
    f.ceiling(f.zone("Z1"), 100)
    base = f.site(ukr)
    f.notification(ukr, D(2026, 1, 1), [(base, "tanks", 90)], kind="annual")
    f.notification(ukr, D(2026, 2, 1), [(base, "tanks", 120)])
    f.notification(ukr, D(2026, 4, 1), [(base, "tanks", 95)])
    for day in (D(2026, 1, 15), D(2026, 2, 15), D(2026, 3, 15), D(2026, 4, 15)):
        runs.record_run(day)

    (period,) = [p for p in runs.breach_periods() if p.kind == "ceiling_exceeded"]
    assert (period.zone, period.party, period.category) == ("Z1", "UKR", "tanks")
    assert (period.first_seen, period.last_seen, period.resolved_on) == (D(2026, 2, 15), D(2026, 3, 15), D(2026, 4, 15))


def test_a_breach_still_present_in_the_latest_run_is_unresolved():
    ukr = f.party("UKR")
    f.ceiling(f.zone("Z1"), 100)
    f.notification(ukr, D(2026, 1, 1), [(f.site(ukr), "tanks", 120)], kind="annual")
    runs.record_run(D(2026, 1, 15))
    runs.record_run(D(2026, 2, 15))

    (period,) = [p for p in runs.breach_periods() if p.kind == "ceiling_exceeded"]
    assert (period.first_seen, period.last_seen, period.resolved_on) == (D(2026, 1, 15), D(2026, 2, 15), None)
