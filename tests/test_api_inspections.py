import datetime
import math

from tests import factories as f
from tracker.models import Inspection
from tracker.roles import Role

D = datetime.date


def inspector(code="UKR"):
    return f.api(f.person(f"inspector-{code}", Role.INSPECTOR, f.party(code)))


def square(lon, lat, side_km):
    dlat = side_km / 111.32
    dlon = side_km / (111.32 * math.cos(math.radians(lat)))
    ring = [[lon, lat], [lon + dlon, lat], [lon + dlon, lat + dlat], [lon, lat + dlat], [lon, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


def challenge(area, **changes):
    return {
        "reference": "CH-1",
        "inspecting_party": "UKR",
        "inspected_party": "RUS",
        "kind": "challenge",
        "date": "2026-04-02",
        "area": area,
        "findings": [{"category": "tanks", "observed": 14}],
        **changes,
    }


def test_an_inspector_reports_a_challenge_inspection_in_a_specified_area():
    f.party("RUS")
    client = inspector()
    response = client.post("/api/inspections/", challenge(square(36.0, 48.0, 5)), format="json")
    assert response.status_code == 201, response.json()
    body = client.get("/api/inspections/CH-1/").json()
    assert body["area"]["type"] == "Polygon"
    assert body["findings"] == [{"category": "tanks", "observed": 14}]
    assert Inspection.objects.get().area.srid == 4326


def test_a_declared_site_inspection_names_a_site_of_the_inspected_party():
    rus = f.party("RUS")
    f.notification(rus, D(2026, 1, 1), [(f.site(rus, code="BEL"), "tanks", 40)])
    client = inspector()
    report = challenge(None, kind="declared_site", site="BEL")
    del report["area"]
    assert client.post("/api/inspections/", report, format="json").status_code == 201
    wrong = {**report, "reference": "CH-2", "site": "NOPE"}
    assert client.post("/api/inspections/", wrong, format="json").json() == {
        "site": ["RUS has no declared site 'NOPE'"]
    }


def test_a_specified_area_larger_than_the_protocol_allows_is_refused():
    f.party("RUS")
    response = inspector().post("/api/inspections/", challenge(square(36.0, 48.0, 9)), format="json")
    assert response.status_code == 400
    assert "more than the 65 km²" in response.json()["area"][0]
    assert not Inspection.objects.exists()


def test_a_self_intersecting_area_is_refused():
    f.party("RUS")
    bowtie = {"type": "Polygon", "coordinates": [[[36, 48], [36.01, 48.01], [36.01, 48], [36, 48.01], [36, 48]]]}
    response = inspector().post("/api/inspections/", challenge(bowtie), format="json")
    assert response.status_code == 400
    assert response.json()["area"][0].startswith("geometry is not valid: Self-intersection")


def test_an_area_in_web_mercator_is_transformed_when_its_crs_says_so():
    f.party("RUS")
    area = square(36.0, 48.0, 5)
    from pyproj import Transformer

    to_mercator = Transformer.from_crs(4326, 3857, always_xy=True)
    area["coordinates"] = [[list(to_mercator.transform(x, y)) for x, y in area["coordinates"][0]]]
    area["crs"] = {"type": "name", "properties": {"name": "EPSG:3857"}}
    client = inspector()
    assert client.post("/api/inspections/", challenge(area), format="json").status_code == 201
    x, y = Inspection.objects.get().area.exterior_ring[0]
    assert (round(x, 6), round(y, 6)) == (36.0, 48.0)


def test_projected_coordinates_without_a_crs_are_refused_not_assumed():
    f.party("RUS")
    area = {"type": "Polygon", "coordinates": [[[4e6, 6e6], [4.001e6, 6e6], [4.001e6, 6.001e6], [4e6, 6e6]]]}
    response = inspector().post("/api/inspections/", challenge(area), format="json")
    assert response.status_code == 400
    assert response.json()["area"][0].startswith("longitude out of range")


def test_an_unknown_crs_is_refused():
    f.party("RUS")
    area = {**square(36.0, 48.0, 5), "crs": {"type": "name", "properties": {"name": "local grid"}}}
    response = inspector().post("/api/inspections/", challenge(area), format="json")
    assert response.json() == {"area": ["unknown crs 'local grid': name it as EPSG:<code>"]}


def test_an_inspector_reports_only_for_their_own_party_and_a_monitor_not_at_all():
    f.party("RUS"), f.party("UKR")
    report = challenge(square(36.0, 48.0, 5))
    assert inspector("POL").post("/api/inspections/", report, format="json").status_code == 403
    monitor = f.api(f.person("monitor", Role.MONITOR, f.party("UKR")))
    assert monitor.post("/api/inspections/", report, format="json").status_code == 403
    assert not Inspection.objects.exists()


def test_inspections_are_listed_and_filtered():
    ukr, rus = f.party("UKR"), f.party("RUS")
    f.inspection(ukr, rus, D(2026, 1, 5), {"tanks": 3}, site=f.site(rus))
    f.inspection(rus, ukr, D(2026, 2, 5), {"tanks": 3}, site=f.site(ukr))
    client = f.api(f.person("monitor", Role.MONITOR))
    assert client.get("/api/inspections/").json()["count"] == 2
    assert client.get("/api/inspections/", {"inspecting_party": "RUS"}).json()["count"] == 1
    assert client.get("/api/inspections/", {"date_from": "2026-02-01"}).json()["count"] == 1


def test_an_inspector_lists_only_the_reports_of_inspections_their_own_party_made_or_received():
    ukr, rus, blr = f.party("UKR"), f.party("RUS"), f.party("BLR")
    ours = f.inspection(ukr, rus, D(2026, 1, 5), {"tanks": 3}, site=f.site(rus))
    of_us = f.inspection(rus, ukr, D(2026, 2, 5), {"tanks": 3}, site=f.site(ukr))
    theirs = f.inspection(rus, blr, D(2026, 3, 5), {"tanks": 3}, site=f.site(blr))
    client = f.api(f.person("inspector-ukr", Role.INSPECTOR, ukr))
    listed = [report["reference"] for report in client.get("/api/inspections/").json()["results"]]
    assert listed == [of_us.reference, ours.reference]
    assert client.get(f"/api/inspections/{theirs.reference}/").status_code == 404


def test_a_report_names_the_request_it_is_one_inspection_of():
    """Protocol on Inspection, Section II.13: each object of verification or area inspected is one report of
    the request; the report and its request are between the same parties and of the same kind."""
    ukr, rus = f.party("UKR"), f.party("RUS")
    area = f.area(36.0, 48.0)
    request = f.arrived_request(ukr, rus, D(2026, 4, 1), area, reference="UKR-R-1")
    f.arrived_request(ukr, rus, D(2026, 5, 1), area, reference="UKR-R-2", answer="refused")
    f.arrived_request(rus, ukr, D(2026, 5, 1), area, reference="RUS-R-1")
    client = inspector()

    created = client.post("/api/inspections/", challenge(square(36.0, 48.0, 5), request="UKR-R-1"), format="json")
    assert created.status_code == 201, created.json()
    assert Inspection.objects.get(reference="CH-1").request == request
    assert client.get("/api/inspections/CH-1/").json()["request"] == "UKR-R-1"

    refused = client.post(
        "/api/inspections/", challenge(square(36.0, 48.0, 5), reference="CH-2", request="UKR-R-2"), format="json"
    )
    assert refused.json() == {"request": ["request UKR-R-2 was refused: no inspection followed it"]}
    theirs = client.post(
        "/api/inspections/", challenge(square(36.0, 48.0, 5), reference="CH-3", request="RUS-R-1"), format="json"
    )
    assert theirs.json() == {"request": ["UKR made no request 'RUS-R-1'"]}
    assert not Inspection.objects.filter(reference__in=["CH-2", "CH-3"]).exists()
