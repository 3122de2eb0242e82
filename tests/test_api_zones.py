import datetime

from django.contrib.gis.geos import MultiPolygon, Polygon

from tests import factories as f
from tracker.roles import Role

D = datetime.date


def monitor_api():
    return f.api(f.person("monitor", Role.MONITOR))


def test_zones_are_a_feature_collection_of_the_versions_in_force_on_the_day():
    f.zone("OLD", geom=f.square(30, 45, 40, 52), valid_to=D(2020, 12, 31))
    f.zone("OLD", geom=f.square(30, 45, 35, 50), valid_from=D(2021, 1, 1))
    f.zone("DMZ", geom=f.square(36, 47, 37, 48), kind="demilitarized")

    client = monitor_api()
    body = client.get("/api/zones/", {"as_of": "2020-06-01"}).json()

    assert body["type"] == "FeatureCollection"
    assert body["count"] == 2
    features = {feature["properties"]["code"]: feature for feature in body["features"]}
    assert features["OLD"]["type"] == "Feature"
    assert features["OLD"]["geometry"]["type"] == "MultiPolygon"
    assert features["OLD"]["geometry"]["coordinates"][0][0][2] == [40.0, 52.0]
    assert features["OLD"]["properties"] == {
        "code": "OLD",
        "name": "Zone OLD",
        "name_uk": "",
        "name_ru": "",
        "kind": "nested",
        "valid_from": None,
        "valid_to": "2020-12-31",
        "compliance": "none",
    }
    later = client.get("/api/zones/", {"as_of": "2021-06-01"}).json()
    old = next(feature for feature in later["features"] if feature["properties"]["code"] == "OLD")
    assert old["geometry"]["coordinates"][0][0][2] == [35.0, 50.0]


def test_zones_carry_their_compliance_state_on_the_day():
    ukr = f.party("UKR")
    zone = f.zone("Z1", geom=f.square(30, 45, 40, 52))
    f.zone("Z2", geom=f.square(0, 0, 1, 1))
    f.ceiling(zone, 10, applies_to="all")
    f.notification(ukr, D(2024, 1, 1), [(f.site(ukr, 35, 48), "tanks", 12)])

    client = monitor_api()
    body = client.get("/api/zones/", {"as_of": "2024-06-01"}).json()
    states = {feature["properties"]["code"]: feature["properties"]["compliance"] for feature in body["features"]}
    assert states == {"Z1": "breached", "Z2": "none"}
    before = client.get("/api/zones/", {"as_of": "2023-06-01"}).json()
    assert {feature["properties"]["compliance"] for feature in before["features"]} == {"within", "none"}


def test_zones_filter_by_kind_and_bbox():
    f.zone("EAST", geom=f.square(30, 45, 40, 52))
    f.zone("WEST", geom=f.square(0, 45, 5, 52))
    f.zone("DMZ", geom=f.square(36, 47, 37, 48), kind="demilitarized")
    client = monitor_api()

    def codes(**query):
        return sorted(feature["properties"]["code"] for feature in client.get("/api/zones/", query).json()["features"])

    assert codes(kind="demilitarized") == ["DMZ"]
    assert codes(bbox="-1,44,6,53") == ["WEST"]
    assert codes(bbox="36.5,47.5,36.6,47.6") == ["DMZ", "EAST"]


def test_simplify_and_precision_make_geometries_lighter():
    ring = [(30 + i * 0.001, 45 + (i % 2) * 0.0001) for i in range(200)] + [(30.2, 46), (30, 46), (30, 45)]
    f.zone("WIGGLY", geom=MultiPolygon(Polygon(ring), srid=4326))
    client = monitor_api()

    full = client.get("/api/zones/WIGGLY/").json()["geometry"]["coordinates"][0][0]
    light = client.get("/api/zones/WIGGLY/", {"simplify": "0.01", "precision": "2"}).json()["geometry"]
    assert len(full) == 203
    assert len(light["coordinates"][0][0]) < 10
    assert all(round(x, 2) == x and round(y, 2) == y for x, y in light["coordinates"][0][0])


def test_one_zone_is_one_feature_named_by_its_code():
    f.zone("IV.1")
    body = monitor_api().get("/api/zones/IV.1/").json()
    assert body["type"] == "Feature"
    assert body["properties"]["code"] == "IV.1"


def test_a_zone_without_a_version_on_the_day_is_not_found():
    f.zone("LATE", valid_from=D(2030, 1, 1))
    client = monitor_api()
    assert client.get("/api/zones/LATE/", {"as_of": "2026-01-01"}).status_code == 404
    assert client.get("/api/zones/NOPE/").status_code == 404


def test_bad_zone_parameters_are_named_with_the_reason():
    client = monitor_api()
    response = client.get("/api/zones/", {"as_of": "2026-02-30", "kind": "moon", "simplify": "-1", "precision": "x"})
    assert response.status_code == 400
    assert set(response.json()) == {"as_of", "kind", "simplify", "precision"}
    bbox = client.get("/api/zones/", {"bbox": "0,0,200,1"})
    assert bbox.status_code == 400
    assert bbox.json() == {"bbox": ["longitudes must be within [-180, 180]"]}
