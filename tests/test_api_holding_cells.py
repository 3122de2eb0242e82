"""GET /api/holdings/cells/: sites gathered per map cell, so a map of many sites stays light."""

import datetime

from tests import factories as f
from tracker.roles import Role

D = datetime.date
DAY = D(2026, 6, 1)


def cells(client, **query):
    response = client.get("/api/holdings/cells/", {"as_of": DAY.isoformat(), **query})
    assert response.status_code == 200, response.content
    return response.json()["features"]


def declared(owner, lon, lat, tanks):
    site = f.site(owner, lon, lat)
    f.notification(owner, D(2026, 1, 1), [(site, "tanks", tanks)])
    return site


def test_nearby_sites_share_a_cell_at_low_zoom_and_stand_alone_when_zoomed_in():
    ukr = f.party("UKR")
    declared(ukr, 30.00, 50.00, 10)
    declared(ukr, 30.01, 50.01, 20)
    far = declared(ukr, 40.0, 45.0, 5)
    client = f.api(f.person("monitor", Role.MONITOR))

    overview = cells(client, zoom=5)
    assert sorted((cell["properties"]["sites"], cell["properties"]["total"]) for cell in overview) == [(1, 5), (2, 30)]
    (pair,) = [cell for cell in overview if cell["properties"]["sites"] == 2]
    assert pair["geometry"]["coordinates"] == [30.005, 50.005]

    close_up = cells(client, zoom=14)
    assert sorted(cell["properties"]["total"] for cell in close_up) == [5, 10, 20]
    (alone,) = [cell for cell in close_up if cell["properties"]["total"] == 5]
    assert alone["properties"]["site"] == far.code
    assert alone["properties"]["holdings"][0]["category"] == "tanks"
    assert alone["properties"]["holdings"][0]["quantity"] == 5
    assert alone["geometry"]["coordinates"] == [40.0, 45.0]


def test_only_sites_in_the_bounding_box_and_with_holdings_that_day_are_gathered():
    ukr = f.party("UKR")
    declared(ukr, 30.0, 50.0, 10)
    declared(ukr, 40.0, 45.0, 5)
    f.site(ukr, 31.0, 50.0)  # declared, never notified
    client = f.api(f.person("monitor", Role.MONITOR))

    assert [cell["properties"]["total"] for cell in cells(client, zoom=5, bbox="29,49,32,51")] == [10]
    assert cells(client, zoom=5, as_of="2025-12-31") == []


def test_a_zone_keeps_only_the_sites_inside_it():
    ukr = f.party("UKR")
    f.zone("DMZ", f.square(29, 49, 31, 51), kind="demilitarized")
    declared(ukr, 30.0, 50.0, 10)
    declared(ukr, 40.0, 45.0, 5)

    assert [
        cell["properties"]["total"] for cell in cells(f.api(f.person("monitor", Role.MONITOR)), zoom=5, zone="DMZ")
    ] == [10]


def test_a_missing_zoom_or_a_bad_bounding_box_is_refused_naming_it():
    client = f.api(f.person("monitor", Role.MONITOR))

    assert client.get("/api/holdings/cells/").json() == {"zoom": ["This field is required."]}
    answer = client.get("/api/holdings/cells/", {"zoom": 23, "bbox": "1,2,3"})
    assert answer.status_code == 400
    assert "zoom" in answer.json()
    answer = client.get("/api/holdings/cells/", {"zoom": 3, "bbox": "1,2,3"})
    assert answer.json() == {"bbox": "expected four numbers: west,south,east,north"}
