import datetime

from tests import factories as f
from tracker.roles import Role

D = datetime.date


def test_dates_are_every_day_something_changes_in_order():
    ukr = f.party("UKR")
    f.zone("Z1", valid_to=D(2024, 12, 31))
    site = f.site(ukr)
    f.notification(ukr, D(2024, 5, 1), [(site, "tanks", 4)])
    f.notification(ukr, D(2024, 1, 1), [(site, "tanks", 3)])
    body = f.api(f.person("monitor", Role.MONITOR)).get("/api/dates/").json()
    assert {"2024-01-01", "2024-05-01", "2025-01-01"} <= set(body["dates"])
    assert body["dates"] == sorted(body["dates"])
