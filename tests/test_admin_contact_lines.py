"""Lines of contact, their courses and the distance rules measured from them in the admin: reference data
written by superusers only and read by every role. A rule narrows its category to a subtype and to types of
that category (CFE Art. II.1(C)-(F)); Minsk II (2015, Package of Measures §2) sets the distances by type of
system."""

import datetime

from django.contrib.gis.geos import LineString, MultiLineString
from django.test import Client

from tests import factories as f
from tracker.models import DistanceRule
from tracker.roles import Role
from zones.models import ContactLineVersion

D = datetime.date
COURSE = MultiLineString(LineString((37.6, 47.1), (38.0, 48.0), (38.4, 48.6)), srid=4326)


def signed_in(user) -> Client:
    client = Client()
    f.sign_in(client, user)
    return client


def version_form(line, **fields) -> dict:
    return {"line": line.pk, "geom": COURSE.geojson, "valid_from": "", "valid_to": "", "source": "", **fields}


def rule_form(line, **fields) -> dict:
    return {
        "treaty": f.treaty().pk,
        "line": line.pk,
        "distance_km": "25",
        "category": f.category("artillery").pk,
        "subtype": "",
        "min_calibre_mm": "",
        "valid_from": "",
        "valid_to": "",
        "source": "",
        **fields,
    }


def form_errors(response) -> dict:
    return response.context["adminform"].form.errors


def test_a_superuser_adds_a_course_of_a_line_drawn_on_the_map():
    line = f.contact_line("LOC", valid_to=D(2025, 2, 14))
    root = signed_in(f.person("root", "superuser"))

    assert 'id="id_geom-map"' in root.get("/admin/zones/contactlineversion/add/").content.decode()
    response = root.post("/admin/zones/contactlineversion/add/", version_form(line, valid_from="2025-02-15"))

    assert response.status_code == 302
    added = ContactLineVersion.objects.get(line=line, valid_from=D(2025, 2, 15))
    assert added.geom.equals(COURSE) and added.valid_to is None


def test_a_course_in_force_on_a_day_another_is_refused_in_the_form():
    line = f.contact_line("LOC", valid_to=D(2025, 2, 14))
    root = signed_in(f.person("root", "superuser"))

    response = root.post("/admin/zones/contactlineversion/add/", version_form(line, valid_from="2025-02-14"))

    assert form_errors(response)["__all__"] == ["another version of this line is in force on some of these dates"]
    assert ContactLineVersion.objects.count() == 1


def test_a_course_that_is_not_a_line_is_refused_in_the_form():
    line = f.contact_line("LOC")
    root = signed_in(f.person("root", "superuser"))

    response = root.post(
        "/admin/zones/contactlineversion/add/", version_form(line, geom=f.square(37, 47, 38, 48).geojson)
    )

    assert form_errors(response)["geom"]
    assert ContactLineVersion.objects.count() == 1


def test_an_officer_reads_lines_and_rules_but_adds_or_changes_none():
    line = f.contact_line("LOC")
    rule = f.distance_rule(line, 25)
    version = line.versions.get()
    officer = signed_in(f.person("officer", Role.OFFICER, f.party("UKR")))

    for model in ("zones/contactline", "zones/contactlineversion", "tracker/distancerule"):
        assert officer.get(f"/admin/{model}/").status_code == 200, model
        assert officer.get(f"/admin/{model}/add/").status_code == 403, model
    refused = officer.post("/admin/zones/contactlineversion/add/", version_form(line, valid_from="2030-01-01"))
    changed = officer.post(f"/admin/zones/contactlineversion/{version.pk}/change/", version_form(line, source="moved"))
    assert (refused.status_code, changed.status_code) == (403, 403)
    assert list(ContactLineVersion.objects.values_list("source", flat=True)) == [""]
    assert (
        officer.post(f"/admin/tracker/distancerule/{rule.pk}/change/", rule_form(line, distance_km="5")).status_code
        == 403
    )
    assert DistanceRule.objects.get().distance_km == 25


def test_a_superuser_adds_a_distance_rule_for_types_of_its_category():
    line = f.contact_line("LOC")
    smerch = f.equipment_type("Smerch", "artillery", "mlrs", 300)
    root = signed_in(f.person("root", "superuser"))

    response = root.post(
        "/admin/tracker/distancerule/add/", rule_form(line, distance_km="70", subtype="mlrs", types=[smerch.pk])
    )

    assert response.status_code == 302
    rule = DistanceRule.objects.get()
    assert (rule.distance_km, rule.subtype, list(rule.types.all())) == (70, "mlrs", [smerch])
    listed = root.get("/admin/tracker/distancerule/").content.decode()
    assert "Smerch" in listed and "LOC" in listed


def test_a_distance_rule_naming_a_type_of_another_category_is_refused():
    line = f.contact_line("LOC")
    t72 = f.equipment_type("T-72B3", "tanks")

    response = signed_in(f.person("root", "superuser")).post(
        "/admin/tracker/distancerule/add/", rule_form(line, types=[t72.pk])
    )

    assert form_errors(response)["types"] == ["T-72B3: not of category artillery"]
    assert not DistanceRule.objects.exists()


def test_a_distance_rule_of_a_subtype_of_another_category_is_refused():
    line = f.contact_line("LOC")

    response = signed_in(f.person("root", "superuser")).post(
        "/admin/tracker/distancerule/add/", rule_form(line, subtype="aifv")
    )

    assert form_errors(response)["subtype"] == ["armoured infantry fighting vehicle is not a subtype of artillery"]
    assert not DistanceRule.objects.exists()


def test_a_distance_of_zero_is_refused():
    response = signed_in(f.person("root", "superuser")).post(
        "/admin/tracker/distancerule/add/", rule_form(f.contact_line("LOC"), distance_km="0")
    )

    assert form_errors(response)["distance_km"] == ["a distance from the line must be above 0 km"]
    assert not DistanceRule.objects.exists()


def test_a_course_is_not_added_without_its_map_from_the_lines_page():
    line = f.contact_line("LOC")
    root = signed_in(f.person("root", "superuser"))
    form = {
        "code": "LOC",
        "name": "Line LOC",
        "description": "",
        **f.inline("versions", 2, 1),
        "versions-0-id": line.versions.get().pk,
        "versions-0-line": line.pk,
        "versions-0-valid_from": "",
        "versions-0-valid_to": "2025-02-14",
        "versions-0-source": "",
        "versions-1-valid_from": "2025-02-15",
        "versions-1-valid_to": "",
        "versions-1-source": "",
        **f.inline("distance_rules"),
    }

    response = root.post(f"/admin/zones/contactline/{line.pk}/change/", form)

    assert response.status_code == 302
    assert list(ContactLineVersion.objects.values_list("valid_to", flat=True)) == [D(2025, 2, 14)]
