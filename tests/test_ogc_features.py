"""/ogc/ answers as OGC API – Features: landing page, conformance, collections and items, in JSON and HTML."""

import datetime

import pytest

from tests import factories as f
from tracker.models import Site
from tracker.roles import Role

D = datetime.date
CONFORMANCE = "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/"
EPSG_3035 = "http://www.opengis.net/def/crs/EPSG/0/3035"
EPSG_4326 = "http://www.opengis.net/def/crs/EPSG/0/4326"


@pytest.fixture
def monitor():
    return f.api(f.person("monitor", Role.MONITOR, f.party("UKR")))


@pytest.fixture
def world():
    ukr, rus = f.party("UKR"), f.party("RUS")
    f.zone("OLD", geom=f.square(30, 45, 31, 46), valid_to=D(2023, 12, 31))
    f.ceiling(f.zone("Z1", geom=f.square(30, 45, 40, 52)), 10, applies_to="all")
    sites = [f.site(ukr, 30.5 + n, 48, code=f"S{n}") for n in range(3)]
    f.notification(ukr, D(2024, 1, 1), [(site, "tanks", 5) for site in sites] + [(sites[0], "acv", 2, "storage")])
    f.observation(D(2024, 5, 1), 31.0, 48.0, 4, rus)
    f.observation(D(2024, 7, 1), 39.0, 51.0, 2, rus)
    return {"sites": sites}


def walk(client, url: str, rel: str) -> str:
    body = client.get(url).json()
    return next(link["href"] for link in body["links"] if link["rel"] == rel and link["type"] == "application/json")


def test_the_landing_page_leads_to_every_conformance_class_claimed_and_every_collection(monitor):
    landing = monitor.get("/ogc/").json()
    rels = {link["rel"] for link in landing["links"]}
    assert {"self", "alternate", "service-desc", "service-doc", "conformance", "data"} <= rels
    classes = monitor.get(walk(monitor, "/ogc/", "conformance")).json()["conformsTo"]
    assert set(classes) == {
        f"{CONFORMANCE}core",
        f"{CONFORMANCE}geojson",
        f"{CONFORMANCE}html",
        f"{CONFORMANCE}oas30",
        "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs",
    }
    collections = monitor.get(walk(monitor, "/ogc/", "data")).json()["collections"]
    assert [c["id"] for c in collections] == [
        "zones",
        "contact-lines",
        "sites",
        "holdings",
        "violations",
        "inspections",
        "observations",
    ]
    for collection in collections:
        # core: each collection links to its items; crs: each lists its systems
        items = next(link["href"] for link in collection["links"] if link["rel"] == "items")
        page = monitor.get(items)
        assert page.status_code == 200 and page["Content-Type"] == "application/geo+json"
        assert page["Content-Crs"] == "<http://www.opengis.net/def/crs/OGC/1.3/CRS84>"
        assert {"type", "features", "links", "numberMatched", "numberReturned", "timeStamp"} <= set(page.json())
        assert EPSG_3035 in collection["crs"]
        html = monitor.get(
            next(link["href"] for link in collection["links"] if link["type"] == "text/html" and link["rel"] == "items")
        )
        assert html.status_code == 200 and html["Content-Type"].startswith("text/html")
    # oas30: the API definition is OpenAPI 3.0 and describes every collection's items
    definition = monitor.get(next(link["href"] for link in landing["links"] if link["rel"] == "service-desc"))
    assert definition["Content-Type"] == "application/vnd.oai.openapi+json;version=3.0"
    assert definition.json()["openapi"].startswith("3.0")
    assert {f"/collections/{c['id']}/items" for c in collections} <= set(definition.json()["paths"])
    # html: every page has an HTML representation
    service_doc = next(link["href"] for link in landing["links"] if link["rel"] == "service-doc")
    for url in ("/ogc/?f=html", "/ogc/conformance?f=html", "/ogc/collections?f=html", service_doc):
        page = monitor.get(url)
        assert page.status_code == 200 and page["Content-Type"].startswith("text/html"), url


def test_items_come_in_pages_linked_by_next_with_counts(monitor, world):
    url, seen = "/ogc/collections/sites/items?limit=2", []
    while url:
        page = monitor.get(url).json()
        assert page["numberMatched"] == 3 and page["numberReturned"] == len(page["features"])
        seen += [feature["id"] for feature in page["features"]]
        url = next((link["href"] for link in page["links"] if link["rel"] == "next"), None)
    assert seen == ["UKR-S0", "UKR-S1", "UKR-S2"]
    page = monitor.get("/ogc/collections/sites/items/UKR-S1?f=html")
    assert page.status_code == 200 and "Site S1" in page.content.decode()


def test_a_limit_past_the_largest_page_is_served_as_the_largest_page(monitor, world):
    assert monitor.get("/ogc/collections/sites/items?limit=100000").json()["numberReturned"] == 3


def test_bbox_and_attribute_filters_narrow_the_items(monitor, world):
    def ids(url):
        response = monitor.get(url)
        assert response.status_code == 200, response.content
        return [feature["id"] for feature in response.json()["features"]]

    assert ids("/ogc/collections/sites/items?bbox=30,47,31.6,49") == ["UKR-S0", "UKR-S1"]
    assert ids("/ogc/collections/holdings/items?datetime=2024-06-01&category=acv") == ["UKR-S0.acv"]
    assert ids("/ogc/collections/sites/items?party=RUS") == []


def test_datetime_reads_zones_and_holdings_as_of_that_day(monitor, world):
    def ids(url):
        return [feature["id"] for feature in monitor.get(url).json()["features"]]

    assert ids("/ogc/collections/zones/items?datetime=2023-06-01") == ["OLD", "Z1"]
    assert ids("/ogc/collections/zones/items?datetime=2024-06-01T12:00:00Z") == ["Z1"]
    assert ids("/ogc/collections/holdings/items?datetime=2023-06-01") == []
    holding = monitor.get("/ogc/collections/holdings/items/UKR-S0.acv?datetime=2024-06-01").json()
    assert holding["properties"]["storage"] == 2 and holding["properties"]["active"] == 0
    # A temporary deployment (CFE Art. V.1(B)) is held too, and counted in the total.
    f.notification(f.party("UKR"), D(2024, 3, 1), [(Site.objects.get(code="S0"), "acv", 4, "temporary")])
    deployed = monitor.get("/ogc/collections/holdings/items/UKR-S0.acv?datetime=2024-06-01").json()["properties"]
    assert (deployed["storage"], deployed["temporary"], deployed["total"]) == (2, 4, 6)
    assert len(ids("/ogc/collections/observations/items?datetime=2024-04-01/2024-05-31")) == 1
    assert len(ids("/ogc/collections/observations/items?datetime=../2024-12-31")) == 2


def test_violations_as_of_a_day_carry_the_breach_and_its_place(monitor, world):
    page = monitor.get("/ogc/collections/violations/items?datetime=2024-06-01&kind=ceiling_exceeded").json()
    [feature] = page["features"]
    assert feature["properties"]["zone"] == "Z1" and feature["properties"]["excess"] == 5
    assert feature["geometry"]["type"] == "MultiPolygon"
    again = monitor.get(f"/ogc/collections/violations/items/{feature['id']}?datetime=2024-06-01").json()
    assert again["properties"] == feature["properties"]


def test_features_come_in_epsg_3035_and_bbox_in_it_too(monitor, world):
    # EPSG:3035's axes are northing, then easting; the box holds S0 and S1 but not S2 further east.
    box = "2900000,5800000,3010000,5950000"
    page = monitor.get(f"/ogc/collections/sites/items?crs={EPSG_3035}&bbox-crs={EPSG_3035}&bbox={box}")
    assert page["Content-Crs"] == f"<{EPSG_3035}>"
    features = page.json()["features"]
    assert [feature["id"] for feature in features] == ["UKR-S0", "UKR-S1"]
    northing, easting = features[0]["geometry"]["coordinates"]
    assert (round(northing), round(easting)) == (2976561, 5829119)
    lat_lon = monitor.get(f"/ogc/collections/sites/items/UKR-S0?crs={EPSG_4326}").json()
    assert lat_lon["geometry"]["coordinates"] == [48.0, 30.5]


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("limit=many", "limit"),
        ("offset=-1", "offset"),
        ("bbox=1,2,3", "bbox"),
        ("crs=EPSG:9999", "crs"),
        ("bbox-crs=urn:nothing&bbox=1,2,3,4", "bbox-crs"),
        ("datetime=2024-02-30", "datetime"),
        ("datetime=2024-01-01/2024-06-01", "datetime"),
        ("kind=hovercraft", "kind"),
        ("colour=red", "colour"),
    ],
)
def test_a_bad_parameter_is_a_400_naming_it(monitor, query, name):
    response = monitor.get(f"/ogc/collections/zones/items?{query}")
    assert response.status_code == 400 and name in response.json(), response.content


def test_an_unknown_collection_or_feature_is_a_404(monitor, world):
    assert monitor.get("/ogc/collections/tanks/items").status_code == 404
    assert monitor.get("/ogc/collections/sites/items/UKR-NONE").status_code == 404
