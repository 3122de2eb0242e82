"""A ceiling counted over many days in one walk (``ceiling_counts_over``, the zone history) gives each day
what counting that day alone gives, whichever party's holdings changed in between."""

import datetime

from tests import factories as f
from tracker import compliance

D = datetime.date
DAYS = [D(2026, 1, 1), D(2026, 2, 1), D(2026, 2, 2), D(2026, 3, 1), D(2026, 4, 1)]


def counted(counts):
    return sorted((c.ceiling.applies_to, c.holder, c.counted, c.tally.lines) for c in counts)


def test_each_day_of_the_walk_counts_what_that_day_alone_counts_while_one_party_changes_and_another_does_not():
    ukr, pol = f.party("UKR"), f.party("POL")
    zone = f.zone("Z1")
    f.ceiling(zone, 100, applies_to="each")
    f.ceiling(zone, 150, applies_to="all")
    f.ceiling(zone, 120, applies_to="group", group=f.group("Eastern", ukr, pol))
    kyiv, krakow = f.site(ukr, code="KYIV"), f.site(pol, code="KRAKOW")
    f.notification(ukr, D(2026, 1, 1), [(kyiv, "tanks", 60)], kind="annual")
    f.notification(pol, D(2026, 1, 1), [(krakow, "tanks", 40)], kind="annual")
    f.notification(ukr, D(2026, 2, 2), [(kyiv, "tanks", 101)])
    f.notification(ukr, D(2026, 3, 1), [(kyiv, "tanks", 0)])

    over = compliance.ceiling_counts_over(DAYS, zone)

    for day in DAYS:
        assert counted(over[day]) == counted(compliance.ceiling_counts(day, zone)), day
    assert ("each", "POL", 40, 1) in counted(over[D(2026, 4, 1)])
    assert ("each", "UKR", 101, 1) in counted(over[D(2026, 2, 2)])
    assert ("all", None, 141, 2) in counted(over[D(2026, 2, 2)])
