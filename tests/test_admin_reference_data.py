"""Reference data in the admin, written by superusers: a ceiling counts types of its own category and a
subtype of it (CFE Art. II.1(D), (F)); equipment types, holidays and change thresholds have pages of their own."""

from django.test import Client

from tests import factories as f
from tracker.models import Ceiling
from tracker.roles import Role


def superuser() -> Client:
    client = Client()
    f.sign_in(client, f.person("root", "superuser"))
    return client


def ceiling_form(**fields) -> dict:
    return {
        "treaty": f.treaty().pk,
        "zone": f.zone("FLANK").pk,
        "category": f.category("tanks").pk,
        "applies_to": "all",
        "subtype": "",
        "limit": 4700,
        "temporary_allowance": 459,
        "counting": "active",
        "source": "",
        **fields,
    }


def test_a_ceiling_counting_types_of_another_category_is_refused():
    t72, bmp = f.equipment_type("T-72B3", "tanks"), f.equipment_type("BMP-2", "acv")

    response = superuser().post("/admin/tracker/ceiling/add/", ceiling_form(types=[t72.pk, bmp.pk]))

    assert response.context["adminform"].form.errors["types"] == ["BMP-2: not of category tanks"]
    assert not Ceiling.objects.exists()


def test_a_ceiling_of_a_subtype_of_another_category_is_refused():
    response = superuser().post("/admin/tracker/ceiling/add/", ceiling_form(subtype="howitzer"))

    assert response.context["adminform"].form.errors["subtype"] == ["howitzer is not a subtype of tanks"]


def test_a_ceiling_with_types_of_its_category_and_an_allowance_is_saved():
    t72 = f.equipment_type("T-72B3", "tanks")

    response = superuser().post("/admin/tracker/ceiling/add/", ceiling_form(types=[t72.pk]))

    assert response.status_code == 302
    ceiling = Ceiling.objects.get()
    assert (list(ceiling.types.all()), ceiling.temporary_allowance) == ([t72], 459)


def test_reference_pages_are_read_only_to_officers():
    officer = Client()
    f.sign_in(officer, f.person("officer", Role.OFFICER, f.party("UKR")))
    for model in ("equipmenttype", "holiday", "changethreshold", "treaty", "ceiling"):
        assert officer.get(f"/admin/tracker/{model}/").status_code == 200, model
        assert officer.get(f"/admin/tracker/{model}/add/").status_code == 403, model
