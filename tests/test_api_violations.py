import csv
import datetime
import io

from tests import factories as f
from tracker.roles import Role

D = datetime.date


def scenario():
    """UKR over a 10-tank ceiling in EAST from 2024; RUS over its artillery ceiling in WEST; a late notice."""
    ukr, rus = f.party("UKR"), f.party("RUS")
    east, west = f.zone("EAST", geom=f.square(35, 45, 40, 52)), f.zone("WEST", geom=f.square(20, 45, 30, 52))
    f.ceiling(east, 10, "tanks", applies_to="each")
    f.ceiling(west, 5, "artillery", applies_to="each", treaty=f.treaty("Flank Document", deadline=60))
    base = f.site(ukr, 36, 48)
    f.notification(ukr, D(2024, 1, 1), [(base, "tanks", 12)])
    f.notification(rus, D(2024, 1, 1), [(f.site(rus, 25, 48), "artillery", 9)])
    # At a site already declared: a new one would be an object of verification created without notice.
    f.notification(
        ukr,
        D(2024, 3, 1),
        [(base, "acv", 1)],
        submitted_at=datetime.datetime(2024, 4, 1, tzinfo=datetime.UTC),
    )
    return f.api(f.person("monitor", Role.MONITOR))


def test_violations_list_every_breach_on_the_day_with_its_evidence():
    body = scenario().get("/api/violations/", {"as_of": "2024-06-01"}).json()
    assert body["count"] == 3
    tanks = next(item for item in body["results"] if item["category"] == "tanks")
    assert tanks == {
        "kind": "ceiling_exceeded",
        "grade": "breach",
        "as_of": "2024-06-01",
        "zone": "EAST",
        "party": "UKR",
        "category": "tanks",
        "limit": 10,
        "counted": 12,
        "excess": 2,
        "treaty": "Settlement",
        "evidence": tanks["evidence"],
        "state": None,  # the findings register has not been brought to this day
    }
    assert tanks["evidence"]["ceiling"] > 0
    assert "geometry" not in tanks


def test_violations_filter_by_party_zone_category_kind_and_treaty():
    client = scenario()

    def kinds(**query):
        items = client.get("/api/violations/", {"as_of": "2024-06-01", **query}).json()["results"]
        return sorted((item["kind"], item["party"], item["category"]) for item in items)

    assert kinds(party="RUS") == [("ceiling_exceeded", "RUS", "artillery")]
    assert kinds(zone="EAST") == [("ceiling_exceeded", "UKR", "tanks")]
    assert kinds(category="artillery") == [("ceiling_exceeded", "RUS", "artillery")]
    assert kinds(kind="late_notification") == [("late_notification", "UKR", None)]
    assert kinds(treaty="Flank Document") == [("ceiling_exceeded", "RUS", "artillery")]
    assert kinds(as_of="2023-12-31") == []


def test_violations_as_geojson_carry_the_zone_geometry():
    client = scenario()
    body = client.get("/api/violations/", {"as_of": "2024-06-01", "format": "geojson", "kind": "ceiling_exceeded"})
    assert body["Content-Type"] == "application/geo+json"
    collection = body.json()
    assert collection["type"] == "FeatureCollection"
    assert collection["count"] == 2
    east = next(item for item in collection["features"] if item["properties"]["zone"] == "EAST")
    assert east["type"] == "Feature"
    assert east["geometry"]["type"] == "MultiPolygon"
    assert east["properties"]["excess"] == 2
    accepted = client.get("/api/violations/", {"as_of": "2024-06-01"}, HTTP_ACCEPT="application/geo+json")
    assert accepted.json()["type"] == "FeatureCollection"


def test_a_late_notification_has_no_geometry():
    body = scenario().get("/api/violations/", {"as_of": "2024-06-01", "format": "geojson", "kind": "late_notification"})
    assert body.json()["features"][0]["geometry"] is None


def test_violations_download_as_csv():
    response = scenario().get("/api/violations/", {"as_of": "2024-06-01", "format": "csv"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="violations-2024-06-01.csv"'
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 3
    assert {row["kind"] for row in rows} == {"ceiling_exceeded", "late_notification"}
    assert rows[0]["evidence"].startswith("{")


def test_bad_violation_filters_are_named():
    response = scenario().get("/api/violations/", {"as_of": "1 June", "kind": "mischief", "treaty": "Versailles"})
    assert response.status_code == 400
    assert set(response.json()) == {"as_of", "kind", "treaty"}


def test_page_size_is_capped():
    client = scenario()
    assert len(client.get("/api/violations/", {"as_of": "2024-06-01", "page_size": 1}).json()["results"]) == 1
    assert client.get("/api/violations/", {"as_of": "2024-06-01", "page_size": 10**6}).json()["count"] == 3
