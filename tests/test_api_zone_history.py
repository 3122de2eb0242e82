import datetime

from tests import factories as f
from tracker.roles import Role

D = datetime.date


def test_history_steps_counted_against_limit_at_every_change():
    ukr = f.party("UKR")
    zone = f.zone("Z1", geom=f.square(35, 45, 40, 52))
    ceiling = f.ceiling(zone, 10, "tanks", applies_to="party", party=ukr)
    site = f.site(ukr, 36, 48)
    f.notification(ukr, D(2024, 1, 1), [(site, "tanks", 4)])
    f.notification(ukr, D(2024, 5, 1), [(site, "tanks", 11)])
    client = f.api(f.person("monitor", Role.MONITOR))

    body = client.get("/api/zones/Z1/history/", {"from": "2023-06-01", "to": "2024-12-31"}).json()

    assert body["zone"] == "Z1"
    (series,) = body["series"]
    assert series["ceiling"] == ceiling.pk
    assert (series["category"], series["party"], series["applies_to"]) == ("tanks", "UKR", "party")
    assert series["points"] == [
        {"date": "2023-06-01", "counted": 0, "limit": 10},
        {"date": "2024-01-01", "counted": 4, "limit": 10},
        {"date": "2024-05-01", "counted": 11, "limit": 10},
    ]


def test_history_refuses_a_range_that_ends_before_it_starts():
    f.zone("Z1")
    client = f.api(f.person("monitor", Role.MONITOR))
    response = client.get("/api/zones/Z1/history/", {"from": "2024-06-01", "to": "2024-01-01"})
    assert response.status_code == 400
    assert response.json() == {"to": ["must not be before from"]}
