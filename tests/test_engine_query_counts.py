"""The engine asks the database a fixed number of times, however many inspections, observation
breaches or change dates there are: a query per record fails here."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories as f
from tracker import compliance, history

D = datetime.date
DAY = D(2026, 6, 1)


def queries(question) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as captured:
        answer = question()
    return len(captured), answer


def test_four_inspections_cost_the_same_queries_as_one():
    # Specified areas compared with the declared sites inside them: the query that reads them runs.
    f.treaty(challenge_excludes_declared_sites=False)
    ukr, rus = f.party("UKR"), f.party("RUS")
    f.zone("Z1", f.square(30, 45, 40, 52))

    def inspect(n: int) -> None:
        site = f.site(ukr, 31 + n, 46)
        f.notification(ukr, D(2026, 1, 1), [(site, "tanks", 5)])
        if n % 2:
            f.inspection(rus, ukr, D(2026, 3, n + 1), {"tanks": 9}, site=site)
        else:
            area = f.square(30.9 + n, 45.9, 31.1 + n, 46.1)[0]
            f.inspection(rus, ukr, D(2026, 3, n + 1), {"tanks": 9}, area=area)

    inspect(0)
    one, found = queries(lambda: compliance.inspection_findings(DAY, ambiguity=False))
    assert [(b.limit, b.counted, b.zone) for b in found] == [(5, 9, "Z1")]
    for n in range(1, 4):
        inspect(n)
    four, found = queries(lambda: compliance.inspection_findings(DAY, ambiguity=False))
    assert [(b.limit, b.counted, b.zone) for b in found] == [(5, 9, "Z1")] * 4
    assert four == one, (one, four)


def test_four_observation_breaches_cost_the_same_queries_as_one():
    ukr = f.party("UKR")

    def see(n: int) -> None:
        f.zone(f"Z{n}", f.square(30 + n, 45, 30.9 + n, 46))
        site = f.site(ukr, 30.5 + n, 45.5)
        f.notification(ukr, D(2026, 1, 1), [(site, "tanks", 5)])
        f.observation(D(2026, 5, 20), 30.5 + n, 45.5, 8, owner=ukr)

    see(0)
    one, found = queries(lambda: compliance.observation_breaches(DAY))
    assert [(b.zone, b.limit, b.counted) for b in found] == [("Z0", 5, 8)]
    for n in range(1, 4):
        see(n)
    four, found = queries(lambda: compliance.observation_breaches(DAY))
    assert sorted((b.zone, b.limit, b.counted) for b in found) == [(f"Z{n}", 5, 8) for n in range(4)]
    assert four == one, (one, four)


def test_a_zone_history_costs_the_same_queries_for_any_number_of_change_dates():
    ukr = f.party("UKR")
    zone = f.zone("Z1", f.square(30, 45, 40, 52))
    f.ceiling(zone, 10, applies_to="party", party=ukr)
    site = f.site(ukr, 35, 48)
    f.notification(ukr, D(2024, 1, 1), [(site, "tanks", 1)])
    one, (series,) = queries(lambda: history.zone_history(zone, None, DAY))
    for month in range(2, 8):
        f.notification(ukr, D(2024, month, 1), [(site, "tanks", month)])
    seven, (series,) = queries(lambda: history.zone_history(zone, None, DAY))
    assert [point["counted"] for point in series["points"]][-7:] == [1, 2, 3, 4, 5, 6, 7]
    assert seven == one, (one, seven)
