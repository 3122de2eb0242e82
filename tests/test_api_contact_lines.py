"""/api/contact-lines/ and /api/distance-rules/: the lines of contact and the Minsk II pull-back distances
(Package of Measures, 12 February 2015, §2: heavy weapons withdrawn by equal distances, by type of system)
in force on the day asked, both ends of a period inclusive."""

import datetime

from django.contrib.gis.geos import LineString, MultiLineString
from django.utils import timezone

from tests import factories as f
from tracker.roles import Role

D = datetime.date
MOVED = D(2025, 2, 15)  # the line's second course, from this day
FIRST_COURSE = MultiLineString(LineString((37.0, 47.0), (38.0, 48.5)), srid=4326)
SECOND_COURSE = MultiLineString(
    LineString((37.2, 47.0), (38.2, 48.5)), LineString((38.2, 48.5), (39.0, 49.0)), srid=4326
)


def monitor_api():
    return f.api(f.person("monitor", Role.MONITOR, f.party("UKR")))


def lines_on(client, day) -> dict[str, dict]:
    body = client.get("/api/contact-lines/", {"as_of": day.isoformat()}).json()
    assert body["type"] == "FeatureCollection"
    return {feature["properties"]["code"]: feature for feature in body["features"]}


def test_a_line_is_drawn_on_its_course_in_force_on_the_day_to_the_last_day_of_each():
    f.contact_line("LOC", FIRST_COURSE, valid_from=D(2015, 2, 15), valid_to=MOVED - datetime.timedelta(days=1))
    f.contact_line("LOC", SECOND_COURSE, valid_from=MOVED)
    client = monitor_api()

    last_day_of_the_first = lines_on(client, D(2025, 2, 14))["LOC"]
    assert last_day_of_the_first["type"] == "Feature"
    assert last_day_of_the_first["geometry"] == {
        "type": "MultiLineString",
        "coordinates": [[[37.0, 47.0], [38.0, 48.5]]],
    }
    assert last_day_of_the_first["properties"] == {
        "code": "LOC",
        "name": "Line LOC",
        "name_uk": "",
        "name_ru": "",
        "valid_from": "2015-02-15",
        "valid_to": "2025-02-14",
        "source": "",
    }
    first_day_of_the_second = lines_on(client, MOVED)["LOC"]
    assert first_day_of_the_second["geometry"]["coordinates"] == [
        [[37.2, 47.0], [38.2, 48.5]],
        [[38.2, 48.5], [39.0, 49.0]],
    ]
    assert first_day_of_the_second["properties"]["valid_from"] == "2025-02-15"


def test_a_line_is_not_listed_before_its_first_day_nor_after_its_last():
    f.contact_line("LOC", valid_from=D(2015, 2, 15), valid_to=D(2022, 2, 23))
    client = monitor_api()

    assert lines_on(client, D(2015, 2, 14)) == {}
    assert set(lines_on(client, D(2015, 2, 15))) == {"LOC"}
    assert set(lines_on(client, D(2022, 2, 23))) == {"LOC"}
    assert lines_on(client, D(2022, 2, 24)) == {}


def test_without_as_of_the_lines_and_rules_in_force_today_are_listed():
    today = timezone.localdate()
    ended = f.contact_line("ENDED", valid_to=today - datetime.timedelta(days=1))
    current = f.contact_line("LOC", valid_from=today)
    f.distance_rule(ended, 25, valid_to=today - datetime.timedelta(days=1))
    f.distance_rule(current, 35, subtype="mlrs", valid_from=today)
    client = monitor_api()

    features = client.get("/api/contact-lines/").json()["features"]
    rules = client.get("/api/distance-rules/").json()["results"]

    assert [feature["properties"]["code"] for feature in features] == ["LOC"]
    assert [(rule["line"], rule["distance_km"]) for rule in rules] == [("LOC", 35)]


def test_distance_rules_name_their_line_treaty_kinds_and_distance_as_a_number():
    line = f.contact_line("LOC")
    tornado, smerch = (
        f.equipment_type("Tornado-S", "artillery", "mlrs", 300),
        f.equipment_type("Smerch", "artillery", "mlrs", 300),
    )
    f.distance_rule(line, 25, min_calibre_mm=100, valid_from=D(2015, 2, 15), source="Minsk II §2: 50 km zone")
    heavy = f.distance_rule(line, 70, subtype="mlrs", valid_from=D(2015, 2, 15), valid_to=D(2022, 2, 23))
    heavy.types.set([tornado, smerch])

    rules = monitor_api().get("/api/distance-rules/", {"as_of": "2022-02-23"}).json()["results"]

    assert rules == [
        {
            "treaty": "Settlement",
            "line": "LOC",
            "distance_km": 25.0,
            "category": "artillery",
            "subtype": "",
            "types": [],
            "min_calibre_mm": 100,
            "valid_from": "2015-02-15",
            "valid_to": None,
            "source": "Minsk II §2: 50 km zone",
        },
        {
            "treaty": "Settlement",
            "line": "LOC",
            "distance_km": 70.0,
            "category": "artillery",
            "subtype": "mlrs",
            "types": ["Smerch", "Tornado-S"],
            "min_calibre_mm": None,
            "valid_from": "2015-02-15",
            "valid_to": "2022-02-23",
            "source": "",
        },
    ]


def test_a_distance_rule_is_in_force_from_its_first_day_to_its_last():
    line = f.contact_line("LOC")
    f.distance_rule(line, 25, valid_from=D(2015, 2, 15), valid_to=D(2022, 2, 23))
    client = monitor_api()

    def distances(day: str) -> list[float]:
        return [rule["distance_km"] for rule in client.get("/api/distance-rules/", {"as_of": day}).json()["results"]]

    assert distances("2015-02-14") == []
    assert distances("2015-02-15") == [25.0]
    assert distances("2022-02-23") == [25.0]
    assert distances("2022-02-24") == []


def test_a_bad_as_of_is_refused_with_a_400_naming_it():
    client = monitor_api()
    for url in ("/api/contact-lines/", "/api/distance-rules/"):
        impossible = client.get(url, {"as_of": "2025-02-30"})
        assert (impossible.status_code, impossible.json()) == (
            400,
            {"as_of": ["2025-02-30 is not a day of the calendar"]},
        )
        malformed = client.get(url, {"as_of": "yesterday"})
        assert malformed.status_code == 400
        assert list(malformed.json()) == ["as_of"]


def test_an_account_without_a_role_is_refused_as_by_the_other_reference_lists():
    f.distance_rule(f.contact_line("LOC"), 25)
    roleless = f.api(f.person("nobody"))

    for url in ("/api/contact-lines/", "/api/distance-rules/"):
        response = roleless.get(url)
        assert response.status_code == roleless.get("/api/ceilings/").status_code == 403
        assert response.json() == {"detail": "your account holds no role in the tracker"}


def test_gis_clients_read_the_same_courses_from_the_ogc_collection():
    f.contact_line("LOC", FIRST_COURSE, valid_to=MOVED - datetime.timedelta(days=1))
    f.contact_line("LOC", SECOND_COURSE, valid_from=MOVED)
    client = monitor_api()

    def course(day: datetime.date) -> dict:
        page = client.get("/ogc/collections/contact-lines/items", {"datetime": day.isoformat()}).json()
        assert [feature["id"] for feature in page["features"]] == ["LOC"]
        return page["features"][0]["geometry"]

    assert course(MOVED - datetime.timedelta(days=1))["coordinates"] == [[[37.0, 47.0], [38.0, 48.5]]]
    assert len(course(MOVED)["coordinates"]) == 2
    assert client.get("/ogc/collections/contact-lines/items/LOC", {"datetime": "2025-02-14"}).status_code == 200
