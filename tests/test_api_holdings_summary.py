import datetime

from tests import factories as f
from tracker.roles import Role

D = datetime.date


def client_with_holdings():
    ukr, rus = f.party("UKR"), f.party("RUS")
    f.zone("OUTER", geom=f.square(30, 45, 40, 52))
    f.zone("INNER", geom=f.square(36, 49, 37, 51))
    f.notification(ukr, D(2024, 1, 1), [(f.site(ukr, 30.5, 50.4), "tanks", 10), (f.site(ukr, 36.2, 50.0), "tanks", 5)])
    f.notification(rus, D(2024, 1, 1), [(f.site(rus, 36.6, 50.6), "tanks", 40), (f.site(rus, 36.6, 50.6), "acv", 3)])
    return f.api(f.person("monitor", Role.MONITOR))


def test_totals_by_party_by_default():
    body = client_with_holdings().get("/api/holdings/summary/", {"as_of": "2024-02-01"}).json()
    assert body == [{"party": "RUS", "quantity": 43}, {"party": "UKR", "quantity": 15}]


def test_a_site_counts_in_every_zone_that_holds_it():
    body = (
        client_with_holdings()
        .get("/api/holdings/summary/", {"as_of": "2024-02-01", "group_by": "zone,party", "category": "tanks"})
        .json()
    )
    assert body == [
        {"zone": "INNER", "party": "RUS", "quantity": 40},
        {"zone": "INNER", "party": "UKR", "quantity": 5},
        {"zone": "OUTER", "party": "RUS", "quantity": 40},
        {"zone": "OUTER", "party": "UKR", "quantity": 15},
    ]


def test_totals_by_category_within_one_zone():
    body = (
        client_with_holdings()
        .get("/api/holdings/summary/", {"as_of": "2024-02-01", "group_by": "category", "zone": "INNER"})
        .json()
    )
    assert body == [{"category": "acv", "quantity": 3}, {"category": "tanks", "quantity": 45}]


def test_an_unknown_grouping_is_refused():
    response = client_with_holdings().get("/api/holdings/summary/", {"group_by": "party,colour"})
    assert response.status_code == 400
    assert response.json() == {"group_by": ["group by any of party, zone, category, type; not colour"]}
