import datetime

from tests import factories as f
from tracker.models import Observation
from tracker.roles import Role

D = datetime.date


def feature(**properties):
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [37.5, 47.1]},
        "properties": {
            "reference": "OBS-1",
            "source": "satellite scene 42",
            "observed_on": "2026-05-01",
            "category": "tanks",
            "count": 30,
            "confidence": 0.7,
            "party": "RUS",
            **properties,
        },
    }


def test_an_analyst_records_an_observation_as_a_feature():
    f.party("RUS")
    client = f.api(f.person("analyst", Role.ANALYST))
    response = client.post("/api/observations/", feature(), format="json")
    assert response.status_code == 201, response.json()
    body = client.get("/api/observations/").json()
    assert body["type"] == "FeatureCollection"
    assert body["features"][0]["geometry"] == {"type": "Point", "coordinates": [37.5, 47.1]}
    assert body["features"][0]["properties"]["party"] == "RUS"


def test_bad_observations_are_refused_naming_each_field():
    client = f.api(f.person("analyst", Role.ANALYST))
    bad = feature(count=-3, confidence=1.5, party="XXX", observed_on="yesterday")
    bad["geometry"] = {"type": "Point", "coordinates": [37.5, 147.1]}
    response = client.post("/api/observations/", bad, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"count", "confidence", "party", "observed_on", "location"}
    assert response.json()["location"] == ["latitude out of range [-90, 90] (found 147.1 to 147.1)"]
    assert not Observation.objects.exists()


def test_only_analysts_record_observations():
    f.party("RUS")
    officer = f.api(f.person("officer", Role.OFFICER, f.party("UKR")))
    assert officer.post("/api/observations/", feature(), format="json").status_code == 403


def test_observations_filter_by_party_category_and_date():
    rus = f.party("RUS")
    f.observation(D(2026, 5, 1), 37.5, 47.1, 30, rus)
    f.observation(D(2026, 6, 1), 37.5, 47.1, 30, None, "artillery")
    client = f.api(f.person("monitor", Role.MONITOR))
    assert client.get("/api/observations/", {"party": "RUS"}).json()["count"] == 1
    assert client.get("/api/observations/", {"category": "artillery"}).json()["count"] == 1
    assert client.get("/api/observations/", {"observed_from": "2026-05-15"}).json()["count"] == 1
