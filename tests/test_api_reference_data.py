import datetime

from tests import factories as f
from tracker.roles import Role

D = datetime.date


def monitor():
    return f.api(f.person("monitor", Role.MONITOR))


def test_parties_list_with_their_groups_and_open_by_code():
    ukr, rus = f.party("UKR", "Ukraine"), f.party("RUS", "Russia")
    f.group("Budapest/Tashkent group", rus)
    client = monitor()
    assert client.get("/api/parties/").json()["results"] == [
        {"code": "RUS", "name": "Russia", "groups": ["Budapest/Tashkent group"]},
        {"code": "UKR", "name": "Ukraine", "groups": []},
    ]
    assert client.get(f"/api/parties/{ukr.code}/").json()["name"] == "Ukraine"


def test_categories_are_the_treaty_limited_equipment():
    body = monitor().get("/api/categories/").json()
    assert {"tanks", "acv", "artillery", "aircraft", "helicopters"} <= {row["code"] for row in body["results"]}


def test_treaties_open_by_name():
    f.treaty("CFE Treaty", in_force_from=D(1992, 11, 9), deadline=5)
    body = monitor().get("/api/treaties/CFE Treaty/").json()
    assert body == {
        "name": "CFE Treaty",
        "in_force_from": "1992-11-09",
        "in_force_to": None,
        "notification_deadline_days": 5,
        "notification_deadline_unit": "calendar",
        "change_threshold_percent": "10.00",
        "object_notice_days": 42,
        "challenge_excludes_declared_sites": True,
    }


def test_ceilings_filter_by_zone_category_and_day_in_force():
    zone, other = f.zone("IV.4"), f.zone("FLANK", geom=f.square(40, 40, 45, 45))
    f.ceiling(zone, 7500, "tanks", applies_to="all", valid_to=D(2007, 12, 12))
    f.ceiling(other, 4700, "tanks", applies_to="group", group=f.group("Western", f.party("DEU")))
    client = monitor()
    rows = client.get("/api/ceilings/", {"zone": "FLANK"}).json()["results"]
    assert [(row["zone"], row["group"], row["limit"]) for row in rows] == [("FLANK", "Western", 4700)]
    assert client.get("/api/ceilings/", {"as_of": "2020-01-01"}).json()["count"] == 1
    assert client.get("/api/ceilings/", {"category": "tanks"}).json()["count"] == 2
    response = client.get("/api/ceilings/", {"zone": "NOPE", "as_of": "someday"})
    assert response.status_code == 400
    assert set(response.json()) == {"zone", "as_of"}


def test_sites_are_points_filtered_by_party_and_bbox():
    f.notified_site(f.party("UKR"), 36.2, 50.0, "KHA")
    f.notified_site(f.party("RUS"), 39.7, 47.2, "ROS")
    client = monitor()
    body = client.get("/api/sites/").json()
    assert body["type"] == "FeatureCollection"
    assert body["features"][0]["geometry"] == {"type": "Point", "coordinates": [39.7, 47.2]}
    assert [ft["properties"]["code"] for ft in client.get("/api/sites/", {"party": "UKR"}).json()["features"]] == [
        "KHA"
    ]
    in_box = client.get("/api/sites/", {"bbox": "36,49,37,51"}).json()["features"]
    assert [ft["properties"]["code"] for ft in in_box] == ["KHA"]
