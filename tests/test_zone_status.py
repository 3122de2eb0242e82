"""Per-zone status (counted, limit, headroom), zone states for the map, and the dates that matter."""

import datetime

from tests import factories as f
from tracker import compliance

D = datetime.date
DAY = D(2026, 6, 1)


def test_zone_status_lists_each_ceiling_with_its_headroom():
    ukr, pol = f.party("UKR"), f.party("POL")
    zone = f.zone("Z1")
    each = f.ceiling(zone, 50, applies_to="each")
    everyone = f.ceiling(zone, 200, category_code="artillery", applies_to="all", counting="active")
    f.notification(ukr, D(2026, 1, 1), [(f.site(ukr), "tanks", 60), (f.site(ukr), "artillery", 30)])
    f.notification(pol, D(2026, 1, 1), [(f.site(pol), "tanks", 45)])

    rows = [(s.ceiling, s.party, s.limit, s.counted, s.headroom) for s in compliance.zone_status(zone, DAY)]
    assert rows == [(each.id, "POL", 50, 45, 5), (each.id, "UKR", 50, 60, -10), (everyone.id, None, 200, 30, 170)]
    (row,) = [s for s in compliance.zone_status(zone, DAY) if s.applies_to == "all"]
    assert (row.treaty, row.zone, row.category, row.counting) == ("Settlement", "Z1", "artillery", "active")


def test_zone_states_tell_breached_near_within_and_none_apart():
    ukr = f.party("UKR")
    breached = f.zone("A", f.square(30, 45, 31, 46))
    near = f.zone("B", f.square(32, 45, 33, 46))
    within = f.zone("C", f.square(34, 45, 35, 46))
    f.zone("D", f.square(36, 45, 37, 46))
    f.ceiling(breached, 10)
    f.ceiling(near, 10)
    f.ceiling(within, 10)
    f.notification(
        ukr,
        D(2026, 1, 1),
        [
            (f.site(ukr, 30.5, 45.5), "tanks", 11),
            (f.site(ukr, 32.5, 45.5), "tanks", 9),
            (f.site(ukr, 34.5, 45.5), "tanks", 8),
        ],
    )

    assert compliance.zone_states(DAY) == {"A": "breached", "B": "near", "C": "within", "D": "none"}


def test_a_zone_whose_each_ceiling_nobody_uses_is_within_limits():
    f.ceiling(f.zone("DMZ", f.square(30, 45, 31, 46)), 0, applies_to="each")
    f.zone("ELSEWHERE", f.square(36, 45, 37, 46))

    assert compliance.zone_states(DAY) == {"DMZ": "within", "ELSEWHERE": "none"}


def test_a_zone_with_an_inspection_breach_is_breached():
    ukr, pol = f.party("UKR"), f.party("POL")
    f.zone("A", f.square(30, 45, 31, 46))
    base = f.site(ukr, 30.5, 45.5)
    f.inspection(pol, ukr, D(2026, 3, 1), {"tanks": 3}, site=base)

    assert compliance.zone_states(DAY) == {"A": "breached"}


def test_change_dates_are_every_day_something_starts_or_stops():
    ukr = f.party("UKR")
    f.treaty(in_force_from=D(2020, 1, 1), in_force_to=D(2030, 12, 31))
    zone = f.zone("Z1", valid_from=D(2021, 1, 1))
    f.ceiling(zone, 10, valid_from=D(2022, 1, 1), valid_to=D(2026, 12, 31))
    f.notification(
        ukr,
        D(2026, 1, 1),
        [(f.site(ukr), "tanks", 11)],
        submitted_at=f.timezone.make_aware(datetime.datetime(2026, 1, 3, 9)),
    )
    f.observation(D(2026, 5, 10), 35, 48, 3, owner=ukr)

    assert compliance.change_dates() == [
        D(2020, 1, 1),
        D(2021, 1, 1),
        D(2022, 1, 1),
        D(2026, 1, 1),
        D(2026, 1, 3),
        D(2026, 5, 10),
        D(2026, 6, 9),
        D(2027, 1, 1),
        D(2031, 1, 1),
    ]
