"""Notification lines naming an object of verification and an equipment type.

A line declares what one object of verification holds (Protocol on Inspection, Section I.1(J)) at the
declared site it is at (Section I.1(N)); of a category or of one of the category's existing types (CFE
Art. II.2, the Protocol on Existing Types); in active units, in storage or in temporary deployment
(Art. V.1(B)). A notification has one line per object, category, type and status.
"""

import datetime

import pytest

from tests import factories as f
from tracker.models import EquipmentType, Holding, Notification, ObjectOfVerification, Site
from tracker.roles import Role

D = datetime.date


@pytest.fixture
def ukraine():
    """UKR's site KHA with its brigade OV-92, another site ODE, and the types T-72B3 (tanks) and BMP-2 (acv)."""
    ukr = f.party("UKR")
    kha = f.site(ukr, code="KHA")
    f.site(ukr, code="ODE")
    f.object_of_verification(kha, "OV-92")
    f.equipment_type("T-72B3", "tanks")
    f.equipment_type("BMP-2", "acv", subtype="aifv")
    return f.api(f.person("officer-UKR", Role.OFFICER, ukr))


def post(client, *lines, reference="UKR-2026-1"):
    body = {"reference": reference, "party": "UKR", "kind": "change", "effective_date": "2026-03-01"}
    return client.post("/api/notifications/", {**body, "lines": list(lines)}, format="json")


def test_a_line_naming_an_object_and_a_type_is_at_the_objects_site_and_of_the_types_category(ukraine):
    response = post(ukraine, {"object": "OV-92", "type": "T-72B3", "quantity": 31})

    assert response.status_code == 201, response.json()
    assert response.json()["lines"] == [
        {"site": "KHA", "object": "OV-92", "category": "tanks", "type": "T-72B3", "status": "active", "quantity": 31}
    ]
    line = Holding.objects.get()
    assert (line.site.code, line.object_of_verification.record_number, line.category.code) == ("KHA", "OV-92", "tanks")


def test_a_line_may_name_the_objects_own_site_and_the_types_own_category(ukraine):
    line = {"object": "OV-92", "site": "KHA", "type": "T-72B3", "category": "tanks", "quantity": 31}
    assert post(ukraine, line).status_code == 201


def test_temporary_deployment_is_a_status_of_its_own(ukraine):
    response = post(
        ukraine,
        {"object": "OV-92", "category": "tanks", "quantity": 31},
        {"object": "OV-92", "category": "tanks", "status": "temporary", "quantity": 10},
    )

    assert response.status_code == 201, response.json()
    assert [line["status"] for line in response.json()["lines"]] == ["active", "temporary"]


def test_it_refuses_a_site_the_object_is_not_at(ukraine):
    response = post(ukraine, {"object": "OV-92", "site": "ODE", "category": "tanks", "quantity": 31})

    assert response.status_code == 400
    assert response.json() == {"lines": {"0": {"site": ["object of verification OV-92 is at site KHA, not ODE"]}}}
    assert not Notification.objects.exists()


def test_it_refuses_a_type_of_another_category(ukraine):
    response = post(ukraine, {"object": "OV-92", "type": "BMP-2", "category": "tanks", "quantity": 31})

    assert response.status_code == 400
    assert response.json() == {"lines": {"0": {"type": ["BMP-2 is of category acv, not tanks"]}}}


def test_it_refuses_an_unknown_type(ukraine):
    response = post(ukraine, {"object": "OV-92", "type": "T-1000", "quantity": 1})

    assert response.status_code == 400
    assert response.json() == {"lines": {"0": {"type": ["unknown equipment type name 'T-1000'"]}}}


def test_it_refuses_another_partys_object_as_it_refuses_an_unknown_one(ukraine):
    rus = f.party("RUS")
    f.object_of_verification(f.notified_site(rus, code="ROS"), "OV-7")

    foreign = post(ukraine, {"object": "OV-7", "category": "tanks", "quantity": 1})
    unknown = post(ukraine, {"object": "OV-8", "category": "tanks", "quantity": 1})

    assert foreign.status_code == unknown.status_code == 400
    assert foreign.json() == {"lines": {"0": {"object": ["UKR has no object of verification 'OV-7'"]}}}
    assert unknown.json() == {"lines": {"0": {"object": ["UKR has no object of verification 'OV-8'"]}}}


def test_it_refuses_a_line_naming_neither_site_nor_object_or_neither_category_nor_type(ukraine):
    response = post(ukraine, {"category": "tanks", "quantity": 1}, {"object": "OV-92", "quantity": 1})

    assert response.status_code == 400
    assert response.json() == {
        "lines": {
            "0": {"site": ["a line names a site or an object of verification"]},
            "1": {"category": ["a line names a category or an equipment type"]},
        }
    }


def test_it_refuses_the_same_object_category_type_and_status_twice(ukraine):
    line = {"object": "OV-92", "type": "T-72B3", "quantity": 31}

    response = post(ukraine, line, {**line, "category": "tanks", "quantity": 30})

    assert response.status_code == 400
    twice = ["OV-92 T-72B3 (active) is declared twice"]
    assert response.json() == {"lines": {"0": {"object": twice}, "1": {"object": twice}}}


def test_a_site_alone_and_its_own_object_by_record_number_are_the_same_object(ukraine):
    ObjectOfVerification.objects.of_site(Site.objects.get(code="KHA"))  # made by the site's first line

    response = post(
        ukraine,
        {"site": "KHA", "category": "tanks", "quantity": 1},
        {"object": "KHA", "category": "tanks", "quantity": 2},
    )

    assert response.status_code == 400
    assert response.json()["lines"]["0"] == {"site": ["KHA tanks (active) is declared twice"]}


def test_one_object_declares_each_type_and_its_untyped_remainder_once(ukraine):
    f.equipment_type("T-64BV", "tanks")
    response = post(
        ukraine,
        {"object": "OV-92", "type": "T-72B3", "quantity": 31},
        {"object": "OV-92", "type": "T-64BV", "quantity": 10},
        {"object": "OV-92", "category": "tanks", "quantity": 2},
        {"object": "OV-92", "type": "T-72B3", "status": "storage", "quantity": 5},
        {"site": "KHA", "category": "tanks", "quantity": 4},
    )

    assert response.status_code == 201, response.json()
    assert Holding.objects.filter(object_of_verification__record_number="OV-92").count() == 4


def test_holdings_in_force_show_and_filter_by_object_and_type(ukraine):
    ukr = f.party("UKR")
    brigade = ukr.objects_of_verification.get(record_number="OV-92")
    t72 = EquipmentType.objects.get(name="T-72B3")
    f.notification(
        ukr, D(2026, 1, 1), [(brigade, t72, 31), (brigade, "acv", 12), (f.site(ukr, code="LVI"), "tanks", 5)]
    )
    monitor = f.api(f.person("monitor", Role.MONITOR))

    sites = monitor.get("/api/holdings/", {"as_of": "2026-02-01", "type": "T-72B3"}).json()["features"]
    by_object = monitor.get("/api/holdings/summary/", {"as_of": "2026-02-01", "object": "OV-92", "group_by": "type"})
    unknown = monitor.get("/api/holdings/", {"object": "OV-404"})

    assert [line for site in sites for line in site["properties"]["holdings"]] == [
        {
            "object_of_verification": "OV-92",
            "category": "tanks",
            "type": "T-72B3",
            "status": "active",
            "quantity": 31,
            "notification": sites[0]["properties"]["holdings"][0]["notification"],
        }
    ]
    assert by_object.json() == [{"type": "T-72B3", "quantity": 31}, {"type": None, "quantity": 12}]
    assert unknown.status_code == 400
    assert unknown.json() == {"object": ["unknown object of verification 'OV-404'"]}


def test_the_holdings_filter_by_object_counts_it_in_the_zones_its_site_lies_in(ukraine):
    ukr = f.party("UKR")
    f.zone("OUTER", geom=f.square(30, 45, 40, 52))
    brigade = ukr.objects_of_verification.get(record_number="OV-92")
    f.notification(ukr, D(2026, 1, 1), [(brigade, "tanks", 31), (f.site(ukr, code="LVI"), "tanks", 5)])
    monitor = f.api(f.person("monitor", Role.MONITOR))

    body = monitor.get(
        "/api/holdings/summary/", {"as_of": "2026-02-01", "object": "OV-92", "group_by": "zone,category"}
    ).json()

    assert body == [{"zone": "OUTER", "category": "tanks", "quantity": 31}]


def test_a_draft_only_object_is_unknown_to_the_holdings_filter_of_another_party(ukraine):
    rus_officer = f.api(f.person("officer-RUS", Role.OFFICER, f.party("RUS")))

    response = rus_officer.get("/api/holdings/summary/", {"object": "OV-92"})

    assert response.status_code == 400
    assert response.json() == {"object": ["unknown object of verification 'OV-92'"]}
