import datetime

from tests import factories as f
from tracker.roles import Role

D = datetime.date


def setup_holdings():
    ukr, rus = f.party("UKR"), f.party("RUS")
    f.zone("EAST", geom=f.square(35, 45, 40, 52))
    kyiv, kharkiv, belgorod = f.site(ukr, 30.5, 50.4, "KYV"), f.site(ukr, 36.2, 50.0, "KHA"), f.site(rus, 36.6, 50.6)
    f.notification(
        ukr, D(2024, 1, 1), [(kyiv, "tanks", 10), (kharkiv, "tanks", 5), (kharkiv, "artillery", 7, "storage")]
    )
    f.notification(ukr, D(2024, 6, 1), [(kharkiv, "tanks", 9)])
    f.notification(rus, D(2024, 1, 1), [(belgorod, "tanks", 40)])
    return f.api(f.person("monitor", Role.MONITOR))


def test_holdings_are_site_points_with_the_lines_in_force_on_the_day():
    client = setup_holdings()
    body = client.get("/api/holdings/", {"as_of": "2024-03-01", "party": "UKR"}).json()
    assert body["type"] == "FeatureCollection"
    kharkiv = next(feature for feature in body["features"] if feature["properties"]["site"] == "KHA")
    assert kharkiv["geometry"] == {"type": "Point", "coordinates": [36.2, 50.0]}
    assert kharkiv["properties"]["party"] == "UKR"
    assert kharkiv["properties"]["total"] == 12
    lines = {(line["category"], line["status"]): line["quantity"] for line in kharkiv["properties"]["holdings"]}
    assert lines == {("tanks", "active"): 5, ("artillery", "storage"): 7}


def test_a_later_notification_replaces_the_line_from_its_effective_date():
    client = setup_holdings()
    body = client.get("/api/holdings/", {"as_of": "2024-06-01", "party": "UKR", "category": "tanks"}).json()
    totals = {feature["properties"]["site"]: feature["properties"]["total"] for feature in body["features"]}
    assert totals == {"KHA": 9, "KYV": 10}


def test_holdings_filter_by_zone():
    client = setup_holdings()
    body = client.get("/api/holdings/", {"as_of": "2024-03-01", "zone": "EAST"}).json()
    assert sorted(feature["properties"]["party"] for feature in body["features"]) == ["RUS", "UKR"]
    assert body["count"] == 2


def test_nothing_is_held_before_the_first_notification():
    client = setup_holdings()
    assert client.get("/api/holdings/", {"as_of": "2023-12-31"}).json()["features"] == []


def test_unknown_codes_and_impossible_dates_are_refused_by_name():
    client = setup_holdings()
    response = client.get(
        "/api/holdings/", {"as_of": "2024-13-01", "party": "XXX", "zone": "NOPE", "category": "ships"}
    )
    assert response.status_code == 400
    assert response.json()["party"] == ["unknown state party code 'XXX'"]
    assert response.json()["zone"] == ["unknown zone code 'NOPE'"]
    assert response.json()["category"] == ["unknown equipment category code 'ships'"]
    assert "as_of" in response.json()
