"""A zone's history (the zone page's charts, ``/api/zones/<code>/history/``) counts its ceilings on every change
date in one walk, keeping counts from one day to the next while nothing they rest on changed: each point is
what counting that day alone gives, across a ceiling's first and last day in force, a new zone version, a
member leaving a group, a correction, and days on which only another zone changed."""

import datetime

import pytest

from tests import factories as f
from tracker import compliance, history, services
from tracker.models import GroupMembership
from tracker.roles import Role
from zones.models import ZoneVersion

D = datetime.date
END = D(2026, 12, 31)


def counted_day_by_day(zone, days):
    """The series as counting each day on its own gives it."""
    series = {}
    for day in days:
        for status in compliance.zone_status(zone, day):
            line = history.line_of(series, status)
            line["points"].append({"date": day.isoformat(), "counted": status.counted, "limit": status.limit})
    return list(series.values())


def points(series, applies_to, party=None):
    (line,) = [s for s in series if s["applies_to"] == applies_to and s["party"] == party]
    return {point["date"]: point["counted"] for point in line["points"]}


@pytest.fixture
def zone():
    ukr, pol, rus = f.party("UKR"), f.party("POL"), f.party("RUS")
    zone = f.zone("Z1", geom=f.square(30, 45, 40, 52), valid_to=D(2026, 5, 31))
    # From 1 June the zone ends at 36° E: Lviv (38° E) is no longer in it.
    ZoneVersion.objects.create(zone=zone, geom=f.square(30, 45, 36, 52), valid_from=D(2026, 6, 1))
    f.zone("Z2", geom=f.square(10, 45, 20, 52))
    eastern = f.group("Eastern", ukr, rus)
    GroupMembership.objects.filter(partygroup=eastern, stateparty=rus).update(valid_to=D(2026, 7, 14))
    f.ceiling(zone, 100, applies_to="each", valid_from=D(2026, 2, 1), valid_to=D(2026, 9, 30))
    f.ceiling(zone, 150, applies_to="all")
    f.ceiling(zone, 120, applies_to="group", group=eastern)
    f.ceiling(zone, 50, "artillery", applies_to="party", party=pol)
    kyiv, lviv = f.site(ukr, 35, 48, "KYIV"), f.site(ukr, 38, 49, "LVIV")
    krakow, moscow = f.site(pol, 34, 50, "KRAKOW"), f.site(rus, 33, 47, "MOSCOW")
    berlin = f.site(pol, 15, 50, "BERLIN")
    f.notification(ukr, D(2026, 1, 1), [(kyiv, "tanks", 60), (lviv, "tanks", 20)], kind="annual")
    f.notification(pol, D(2026, 1, 1), [(krakow, "tanks", 40), (krakow, "artillery", 45)], kind="annual")
    f.notification(rus, D(2026, 1, 1), [(moscow, "tanks", 30)], kind="annual")
    original = f.notification(ukr, D(2026, 3, 1), [(kyiv, "tanks", 101)])
    correction = services.correct(original, reference="UKR-FIX")
    correction.holdings.update(quantity=95)
    services.submit(correction, submitted_at=datetime.datetime(2026, 3, 10, 9, tzinfo=datetime.UTC))
    f.notification(pol, D(2026, 4, 1), [(krakow, "artillery", 51)])
    f.notification(pol, D(2026, 4, 20), [(berlin, "tanks", 5)])  # another zone's change only
    f.notification(rus, D(2026, 8, 1), [(moscow, "tanks", 0)])
    return zone


def test_every_point_of_the_history_is_what_that_day_alone_counts(zone):
    days = [day for day in compliance.change_dates() if day <= END]

    assert history.zone_history(zone, None, END) == counted_day_by_day(zone, days)


def test_the_history_api_gives_the_same_series_from_a_day_that_is_no_change_date(zone):
    client = f.api(f.person("monitor", Role.MONITOR))
    days = [D(2026, 2, 15)] + [day for day in compliance.change_dates() if D(2026, 2, 15) < day <= END]

    body = client.get("/api/zones/Z1/history/", {"from": "2026-02-15", "to": END.isoformat()}).json()

    assert body == {"zone": "Z1", "series": counted_day_by_day(zone, days)}


def test_the_history_steps_at_each_boundary_and_repeats_a_point_where_only_another_zone_changed(zone):
    series = history.zone_history(zone, None, END)

    each_ukr = points(series, "each", "UKR")
    assert "2026-01-01" not in each_ukr  # the ceiling for each party enters into force on 1 February
    assert (each_ukr["2026-02-01"], each_ukr["2026-03-01"], each_ukr["2026-03-10"]) == (80, 115, 115)
    assert "2026-10-01" not in each_ukr  # ... and is out of force the day after 30 September
    all_parties = points(series, "all")
    assert all_parties["2026-03-01"] == 185  # the correction's 95 at Kyiv, not the 101 it superseded
    assert all_parties["2026-04-20"] == all_parties["2026-04-01"] == 185  # only Berlin, in Z2, changed
    assert all_parties["2026-06-01"] == 165  # Lviv is outside the zone's new version
    group = points(series, "group", "Eastern")
    assert (group["2026-06-01"], group["2026-07-15"]) == (125, 95)  # Russia a member until 14 July
    assert points(series, "party", "POL")["2026-04-01"] == 51
