"""Sites in the admin: placed on the map or by typed longitude and latitude, and listed on a map."""

import datetime

from django.contrib.gis.geos import Point

from tests import factories as f
from tracker.models import Site
from tracker.roles import Role


def form(party, **fields):
    return {
        "party": party.pk,
        "code": "KYIV-1",
        "name": "Kyiv depot",
        "unit": "",
        "location": "",
        **f.inline("objects_of_verification"),
        **fields,
    }


def test_typed_coordinates_place_a_new_site(client):
    ukr = f.party("UKR")
    f.sign_in(client, f.person("officer", Role.OFFICER, ukr))

    client.post("/admin/tracker/site/add/", form(ukr, longitude="30.52", latitude="50.45"))

    assert Site.objects.get(code="KYIV-1").location.coords == (30.52, 50.45)


def test_the_point_drawn_on_the_map_is_kept_when_no_coordinates_are_typed(client):
    ukr = f.party("UKR")
    f.sign_in(client, f.person("officer", Role.OFFICER, ukr))

    client.post("/admin/tracker/site/add/", form(ukr, location=Point(36.23, 49.99).geojson))

    assert Site.objects.get(code="KYIV-1").location.coords == (36.23, 49.99)


def test_the_change_form_shows_the_sites_coordinates_and_the_zones_it_lies_in(client):
    ukr = f.party("UKR")
    depot = f.site(ukr, lon=30.5, lat=50.4)
    inner, _ = f.zone("IV.4"), f.zone("FAR", f.square(0, 0, 1, 1))
    f.sign_in(client, f.person("officer", Role.OFFICER, ukr))

    page = client.get(f"/admin/tracker/site/{depot.pk}/change/").content.decode()

    assert 'name="longitude" value="30.5"' in page and 'name="latitude" value="50.4"' in page
    assert f'<a href="/admin/zones/zone/{inner.pk}/change/">IV.4</a>' in page
    assert "FAR" not in page


def test_a_site_needs_a_place_and_both_coordinates(client):
    ukr = f.party("UKR")
    f.sign_in(client, f.person("officer", Role.OFFICER, ukr))

    nowhere = client.post("/admin/tracker/site/add/", form(ukr)).context["adminform"].form.errors
    half = client.post("/admin/tracker/site/add/", form(ukr, longitude="30.5")).context["adminform"].form.errors
    outside = (
        client.post("/admin/tracker/site/add/", form(ukr, longitude="30.5", latitude="95"))
        .context["adminform"]
        .form.errors
    )

    assert nowhere["location"] == ["place the site on the map or type its longitude and latitude"]
    assert half["latitude"] == ["give both longitude and latitude"]
    assert "less than or equal to 90" in outside["latitude"][0]
    assert not Site.objects.exists()


def test_the_site_list_carries_its_page_of_sites_for_the_map(client):
    ukr = f.party("UKR")
    depot = f.site(ukr, lon=30.5, lat=50.4, code="KYIV-1")
    f.notification(ukr, datetime.date(2024, 3, 1), [(depot, "tanks", 40)])
    f.sign_in(client, f.person("monitor", Role.MONITOR))

    page = client.get("/admin/tracker/site/").content.decode()

    assert 'id="list-map"' in page
    assert f'"url": "/admin/tracker/site/{depot.pk}/change/"' in page
    assert '"coordinates": [30.5, 50.4]' in page
