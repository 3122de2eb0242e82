import datetime

from tests import factories as f
from tracker.models import ChangeThreshold, Holiday
from tracker.roles import Role

D = datetime.date


def monitor():
    return f.api(f.person("monitor", Role.MONITOR))


def test_parties_list_with_their_groups_and_open_by_code():
    ukr, rus = f.party("UKR", "Ukraine"), f.party("RUS", "Russia")
    f.group("Budapest/Tashkent group", rus)
    client = monitor()
    assert client.get("/api/parties/").json()["results"] == [
        {"code": "RUS", "name": "Russia", "name_uk": "", "name_ru": "", "groups": ["Budapest/Tashkent group"]},
        {"code": "UKR", "name": "Ukraine", "name_uk": "", "name_ru": "", "groups": []},
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
        "name_uk": "",
        "name_ru": "",
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


def test_equipment_types_list_by_category_and_open_by_name():
    f.equipment_type("T-72B3", "tanks", calibre_mm=125)
    f.equipment_type("2S19 Msta-S", "artillery", subtype="howitzer", calibre_mm=152, range_km=29)
    client = monitor()

    rows = client.get("/api/equipment-types/", {"category": "artillery"}).json()["results"]

    assert rows == [
        {
            "name": "2S19 Msta-S",
            "category": "artillery",
            "subtype": "howitzer",
            "calibre_mm": 152,
            "range_km": 29,
            "source": "",
        }
    ]
    assert client.get("/api/equipment-types/T-72B3/").json()["calibre_mm"] == 125


def test_holidays_filter_by_party_and_year():
    ukr, rus = f.party("UKR"), f.party("RUS")
    Holiday.objects.create(party=ukr, date=D(2026, 8, 24), name="Independence Day")
    Holiday.objects.create(party=ukr, date=D(2025, 8, 24), name="Independence Day")
    Holiday.objects.create(party=rus, date=D(2026, 6, 12), name="Russia Day")

    response = monitor().get("/api/holidays/", {"party": "UKR", "year": 2026})

    assert response.json()["results"] == [{"party": "UKR", "date": "2026-08-24", "name": "Independence Day"}]
    assert monitor_refused("/api/holidays/", {"year": "soon"}) == {"year": ["Enter a number."]}


def monitor_refused(url: str, query: dict) -> dict:
    response = f.api(f.person("another-monitor", Role.MONITOR)).get(url, query)
    assert response.status_code == 400
    return response.json()


def test_change_thresholds_name_their_treaty_party_and_zone():
    treaty = f.treaty("CFE Treaty")
    ChangeThreshold.objects.create(
        treaty=treaty, party=f.party("UKR"), zone=f.zone("ODESA"), percent=5, source="Flank Document 1996"
    )

    rows = monitor().get("/api/change-thresholds/", {"party": "UKR"}).json()["results"]

    assert rows == [
        {"treaty": "CFE Treaty", "party": "UKR", "zone": "ODESA", "percent": "5.00", "source": "Flank Document 1996"}
    ]


def test_ceilings_show_their_subtype_types_and_temporary_allowance():
    ceiling = f.ceiling(f.zone("FLANK"), 4700, "tanks", applies_to="all", temporary_allowance=459)
    ceiling.types.add(f.equipment_type("T-72B3", "tanks"))

    [row] = monitor().get("/api/ceilings/").json()["results"]

    assert (row["subtype"], row["types"], row["temporary_allowance"]) == ("", ["T-72B3"], 459)


def test_sites_show_their_days_as_designated_permanent_storage_site():
    ukr = f.party("UKR")
    depot = f.site(ukr, code="DEPOT", storage_from=D(2020, 1, 1))
    f.notification(ukr, D(2020, 1, 1), [(depot, "tanks", 0)])

    [feature] = monitor().get("/api/sites/").json()["features"]

    assert (feature["properties"]["storage_from"], feature["properties"]["storage_to"]) == ("2020-01-01", None)


def test_reference_data_is_read_only_through_the_api():
    client = f.api(f.person("root", "superuser"))
    for url in ("/api/equipment-types/", "/api/holidays/", "/api/change-thresholds/"):
        assert client.post(url, {}, format="json").status_code == 405
