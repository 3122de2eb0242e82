"""Objects of verification in the admin, as an officer of each party: written by their own party's officers,
seen by the others once a submitted notification declares them (Protocol on Inspection, Section I.1(J),
(N)); and notification lines naming them and equipment types, refused in the API's words."""

import datetime

import pytest
from django.test import Client

from tests import factories as f
from tracker.models import ObjectOfVerification, Site
from tracker.roles import Role

DAY = datetime.date(2026, 3, 1)
LIST = "/admin/tracker/objectofverification/"


@pytest.fixture
def world():
    """UKR's site KHA with a declared brigade OV-92 and a draft-only OV-93; RUS's site ROS; officers of both."""
    ukr, rus = f.party("UKR"), f.party("RUS")
    kha = f.site(ukr, code="KHA")
    declared = f.object_of_verification(kha, "OV-92")
    hidden = f.object_of_verification(kha, "OV-93")
    f.notification(ukr, DAY, [(declared, "tanks", 31)])
    f.notification(ukr, DAY, [(hidden, "tanks", 4)], submit=False)
    f.site(rus, code="ROS")
    return {
        "kha": kha,
        "declared": declared,
        "hidden": hidden,
        "UKR": f.person("officer-UKR", Role.OFFICER, ukr),
        "RUS": f.person("officer-RUS", Role.OFFICER, rus),
    }


def signed_in(user) -> Client:
    client = Client()
    f.sign_in(client, user)
    return client


def listed(client) -> set[str]:
    return {row.record_number for row in client.get(LIST).context["cl"].result_list}


def test_each_partys_officer_lists_its_own_objects_and_the_others_declared_ones(world):
    assert listed(signed_in(world["UKR"])) == {"OV-92", "OV-93"}
    assert listed(signed_in(world["RUS"])) == {"OV-92"}


def test_the_other_sides_officer_finds_a_draft_only_object_as_if_it_did_not_exist(world):
    client = signed_in(world["RUS"])

    assert client.get(f"{LIST}{world['hidden'].pk}/change/").status_code == 404
    assert client.get(f"{LIST}999999/change/").status_code == 404
    assert client.get(f"{LIST}{world['hidden'].pk}/history/").status_code == 404


def test_the_other_sides_officer_reads_a_declared_object_but_cannot_change_it(world):
    client = signed_in(world["RUS"])
    url = f"{LIST}{world['declared'].pk}/change/"

    page = client.get(url)
    response = client.post(url, {"record_number": "X", "designation": "X", "party": world["declared"].party_id})

    assert page.status_code == 200 and 'name="record_number"' not in page.content.decode()
    assert response.status_code == 403
    world["declared"].refresh_from_db()
    assert world["declared"].record_number == "OV-92"


def test_an_officer_adds_an_object_at_a_site_of_their_party(world):
    client = signed_in(world["UKR"])
    data = {"party": world["kha"].party_id, "record_number": "OV-94", "designation": "94th Brigade"}

    response = client.post(f"{LIST}add/", data | {"site": world["kha"].pk})

    assert response.status_code == 302
    assert ObjectOfVerification.objects.get(record_number="OV-94").site == world["kha"]


def test_an_officer_may_not_place_an_object_at_another_partys_site(world):
    client = signed_in(world["UKR"])
    ros = Site.objects.get(code="ROS")
    data = {"party": world["kha"].party_id, "record_number": "OV-94", "designation": "x", "site": ros.pk}

    form = client.post(f"{LIST}add/", data).context["adminform"].form

    assert "site" in form.errors
    assert not ObjectOfVerification.objects.filter(record_number="OV-94").exists()


def test_a_record_number_used_twice_by_a_party_is_refused_in_the_apis_words(world):
    client = signed_in(world["UKR"])
    data = {"party": world["kha"].party_id, "record_number": "OV-92", "designation": "x", "site": world["kha"].pk}

    form = client.post(f"{LIST}add/", data).context["adminform"].form

    assert form.errors["record_number"] == ["UKR already has an object of verification OV-92"]


def site_form(site: Site, *objects: tuple[str, str], initial: list[ObjectOfVerification] = ()) -> dict:
    """The site page's POST: the site as it is, its objects ``initial`` unchanged, then new ``objects``."""
    rows = [(held.record_number, held.designation, held.pk) for held in initial] + [(*row, "") for row in objects]
    data = {
        "party": site.party_id,
        "code": site.code,
        "name": site.name,
        "unit": site.unit,
        "longitude": site.location.x,
        "latitude": site.location.y,
        "location": site.location.geojson,
        **f.inline("objects_of_verification", len(rows), len(initial)),
    }
    for index, (number, designation, pk) in enumerate(rows):
        data |= {
            f"objects_of_verification-{index}-record_number": number,
            f"objects_of_verification-{index}-designation": designation,
            f"objects_of_verification-{index}-id": pk,
            f"objects_of_verification-{index}-site": site.pk,
        }
    return data


def test_objects_are_added_on_their_sites_page_for_the_sites_party(world):
    client = signed_in(world["UKR"])
    kha = world["kha"]
    held = list(kha.objects_of_verification.order_by("pk"))

    response = client.post(
        f"/admin/tracker/site/{kha.pk}/change/", site_form(kha, ("OV-95", "95th Brigade"), initial=held)
    )

    assert response.status_code == 302
    added = ObjectOfVerification.objects.get(record_number="OV-95")
    assert (added.party.code, added.site) == ("UKR", kha)


def test_the_sites_page_refuses_a_record_number_the_party_uses(world):
    client = signed_in(world["UKR"])
    kha = world["kha"]
    held = list(kha.objects_of_verification.order_by("pk"))

    response = client.post(f"/admin/tracker/site/{kha.pk}/change/", site_form(kha, ("OV-92", "again"), initial=held))

    assert response.status_code == 200
    assert "UKR already has an object of verification OV-92" in response.content.decode()
    assert ObjectOfVerification.objects.filter(record_number="OV-92").count() == 1


def test_the_other_side_sees_on_a_declared_site_only_its_declared_objects(world):
    f.notification(world["kha"].party, DAY, [(world["kha"], "acv", 1)])  # the site itself is declared
    page = signed_in(world["RUS"]).get(f"/admin/tracker/site/{world['kha'].pk}/change/").content.decode()

    assert "OV-92" in page
    assert "OV-93" not in page


def lines(*rows) -> dict:
    """The notification page's inline of lines: (object, site, category, type, quantity, status) rows."""
    data = f.inline("holdings", len(rows))
    for index, (held, site, category, kind, quantity, status) in enumerate(rows):
        data |= {
            f"holdings-{index}-object_of_verification": held.pk if held else "",
            f"holdings-{index}-site": site.pk if site else "",
            f"holdings-{index}-category": f.category(category).pk if category else "",
            f"holdings-{index}-equipment_type": kind.pk if kind else "",
            f"holdings-{index}-quantity": quantity,
            f"holdings-{index}-status": status,
        }
    return data


def draft(party, reference="UKR-26-01") -> dict:
    return {"party": party.pk, "reference": reference, "kind": "change", "effective_date": "2026-04-01", "remarks": ""}


def test_a_line_naming_an_object_and_a_type_is_saved_at_the_objects_site_in_the_types_category(world):
    t72 = f.equipment_type("T-72B3", "tanks")
    client = signed_in(world["UKR"])
    party = world["kha"].party

    response = client.post(
        "/admin/tracker/notification/add/",
        draft(party) | lines((world["declared"], None, None, t72, 30, "temporary")) | {"_save": "Save"},
    )

    assert response.status_code == 302
    line = ObjectOfVerification.objects.get(record_number="OV-92").holdings.get(notification__reference="UKR-26-01")
    assert (line.site, line.category.code, line.equipment_type, line.status) == (
        world["kha"],
        "tanks",
        t72,
        "temporary",
    )


def test_lines_that_disagree_are_refused_in_the_apis_words(world):
    bmp = f.equipment_type("BMP-2", "acv")
    elsewhere = f.site(world["kha"].party, code="ODE")
    client = signed_in(world["UKR"])
    rows = [
        (world["declared"], elsewhere, "tanks", None, 1, "active"),
        (world["declared"], None, "tanks", bmp, 1, "active"),
        (world["hidden"], None, "tanks", None, 1, "storage"),
        (world["hidden"], None, "tanks", None, 2, "storage"),
        (None, None, "tanks", None, 1, "active"),
    ]

    response = client.post(
        "/admin/tracker/notification/add/", draft(world["kha"].party) | lines(*rows) | {"_save": "Save"}
    )

    text = response.content.decode()
    assert response.status_code == 200
    assert "object of verification OV-92 is at site KHA, not ODE" in text
    assert "BMP-2 is of category acv, not tanks" in text
    assert "OV-93 tanks (storage) is declared twice" in text
    assert "a line names a site or an object of verification" in text
    assert (
        not ObjectOfVerification.objects.get(record_number="OV-92")
        .holdings.filter(notification__reference="UKR-26-01")
        .exists()
    )
