"""Observations by national technical means compared with what the party declared in the zone."""

import datetime

from tests import factories as f
from tracker import compliance

D = datetime.date


def discrepancies(day):
    return [
        (b.zone, b.party, b.category, b.limit, b.counted, b.evidence["date"])
        for b in compliance.evaluate(day)
        if b.kind == "observation_discrepancy"
    ]


def test_the_busiest_single_day_is_compared_not_the_sum_of_days():
    ukr = f.party("UKR")
    f.zone("DMZ", f.square(30, 45, 31, 46))
    base = f.site(ukr, 30.5, 45.5)
    f.notification(ukr, D(2026, 1, 1), [(base, "tanks", 20)])
    # The same 15 tanks seen on two days: 30 in sum, but never more than 20 on one day.
    f.observation(D(2026, 5, 10), 30.5, 45.5, 15, owner=ukr)
    f.observation(D(2026, 5, 20), 30.5, 45.5, 15, owner=ukr)

    assert discrepancies(D(2026, 5, 25)) == []


def test_more_seen_on_one_day_than_declared_in_the_zone_is_a_breach():
    ukr = f.party("UKR")
    f.zone("DMZ", f.square(30, 45, 31, 46))
    base = f.site(ukr, 30.5, 45.5, code="B1")
    f.notification(ukr, D(2026, 1, 1), [(base, "tanks", 20)])
    first = f.observation(D(2026, 5, 10), 30.2, 45.2, 14, owner=ukr)
    second = f.observation(D(2026, 5, 10), 30.8, 45.8, 12, owner=ukr)

    assert discrepancies(D(2026, 5, 25)) == [("DMZ", "UKR", "tanks", 20, 26, "2026-05-10")]
    (breach,) = [b for b in compliance.evaluate(D(2026, 5, 25)) if b.kind == "observation_discrepancy"]
    assert breach.evidence["observations"] == sorted([first.reference, second.reference])
    assert breach.evidence["sites"] == ["B1"]
    assert breach.geometry.num_geom == 2


def test_observations_outside_the_window_or_unattributed_do_not_count():
    ukr = f.party("UKR")
    f.zone("DMZ", f.square(30, 45, 31, 46))
    f.observation(D(2026, 4, 1), 30.5, 45.5, 50, owner=ukr)
    f.observation(D(2026, 5, 10), 30.5, 45.5, 50, owner=None)

    assert discrepancies(D(2026, 5, 25)) == []
    assert discrepancies(D(2026, 4, 30)) == [("DMZ", "UKR", "tanks", 0, 50, "2026-04-01")]
    assert discrepancies(D(2026, 5, 1)) == []


def test_observations_outside_every_zone_are_no_breach():
    ukr = f.party("UKR")
    f.zone("DMZ", f.square(30, 45, 31, 46))
    f.observation(D(2026, 5, 10), 10, 10, 50, owner=ukr)

    assert discrepancies(D(2026, 5, 25)) == []
