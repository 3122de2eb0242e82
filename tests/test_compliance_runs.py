"""Kept runs of the check show when each breach first appeared and when it was resolved."""

import datetime

from tests import factories as f
from tracker import runs
from tracker.roles import Role

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


def test_monitors_read_when_each_breach_began_and_ended_from_the_api():
    ukr = f.party("UKR")
    f.ceiling(f.zone("Z1"), 100)
    base = f.site(ukr)
    f.notification(ukr, D(2026, 1, 1), [(base, "tanks", 90)], kind="annual")
    f.notification(ukr, D(2026, 2, 1), [(base, "tanks", 120)])
    f.notification(ukr, D(2026, 4, 1), [(base, "tanks", 95)])
    for day in (D(2026, 1, 15), D(2026, 2, 15), D(2026, 3, 15), D(2026, 4, 15)):
        runs.record_run(day)

    response = f.api(f.person("monitor", Role.MONITOR)).get("/api/violations/periods/")

    assert response.status_code == 200
    (period,) = [p for p in response.json()["results"] if p["kind"] == "ceiling_exceeded"]
    assert period == {
        "key": period["key"],
        "kind": "ceiling_exceeded",
        "zone": "Z1",
        "party": "UKR",
        "category": "tanks",
        "first_seen": "2026-02-15",
        "last_seen": "2026-03-15",
        "resolved_on": "2026-04-15",
    }


def test_a_lasting_breach_without_a_zone_is_served_with_nulls():
    f.treaty(deadline=5)
    ukr = f.party("UKR")
    late = f.notification(
        ukr,
        D(2026, 1, 10),
        [(f.site(ukr), "tanks", 1)],
        submitted_at=datetime.datetime(2026, 2, 1, tzinfo=datetime.UTC),
    )
    runs.record_run(D(2026, 2, 15))

    body = f.api(f.person("monitor", Role.MONITOR)).get("/api/violations/periods/").json()

    (period,) = [p for p in body["results"] if p["key"].endswith(f"notification={late.reference}")]
    assert (period["zone"], period["category"], period["party"]) == (None, None, "UKR")
    assert (period["first_seen"], period["resolved_on"]) == ("2026-02-15", None)
