"""Every role of every party, through every read path: the API and the admin answer what each may see alike.

The expected sets are written out here from the rules as a party would state them, not computed by
the code under test: submitted notifications are notified to all, a draft is its own party's; a site
or an object of verification is seen by others once a submitted notification declares it; an inspector with no other role reads
only the reports their own party made; observations, lines of contact and distance rules are read by every role;
no role, no data.
"""

import datetime

import pytest
from django.contrib.gis.geos import Polygon
from django.test import Client

from tests import factories as f
from tracker.models import ObjectOfVerification, Observation
from tracker.roles import Role

D = datetime.date(2026, 3, 1)
ROLES = [Role.OFFICER, Role.INSPECTOR, Role.MONITOR, Role.ANALYST]


@pytest.fixture
def world():
    ukr, rus = f.party("UKR"), f.party("RUS")
    sites = {
        "UKR-S1": f.site(ukr, code="UKR-S1"),
        "UKR-S2": f.site(ukr, code="UKR-S2"),
        "RUS-S1": f.site(rus, code="RUS-S1"),
        "RUS-S2": f.site(rus, code="RUS-S2"),
    }
    # Each site's own object of verification (record number = site code) comes with its first line; a
    # brigade at UKR-S1 is declared by a submitted notification, one at RUS-S1 only by a draft.
    brigades = {
        "UKR": f.object_of_verification(sites["UKR-S1"], "UKR-OV1"),
        "RUS": f.object_of_verification(sites["RUS-S1"], "RUS-OV1"),
    }
    notifications = {
        f.notification(ukr, D, [(sites["UKR-S1"], "tanks", 10)]).reference: ("UKR", "submitted"),
        f.notification(ukr, D, [(brigades["UKR"], "acv", 3)]).reference: ("UKR", "submitted"),
        f.notification(rus, D, [(brigades["RUS"], "acv", 4)], submit=False).reference: ("RUS", "draft"),
        f.notification(ukr, D, [(sites["UKR-S2"], "tanks", 5)], submit=False).reference: ("UKR", "draft"),
        f.notification(rus, D, [(sites["RUS-S1"], "tanks", 20)]).reference: ("RUS", "submitted"),
        f.notification(rus, D, [(sites["RUS-S2"], "tanks", 7)], submit=False).reference: ("RUS", "draft"),
    }
    # Reports in each state, of inspections between the two and of a third party's (Protocol on Inspection, XII).
    blr, area = f.party("BLR"), Polygon.from_bbox((30.0, 50.0, 30.05, 50.03))
    inspections = {
        f.inspection(ukr, rus, D, {"tanks": 20}, site=sites["RUS-S1"]).reference: ("UKR", "RUS", "countersigned"),
        f.inspection(rus, ukr, D, {"tanks": 10}, site=sites["UKR-S1"]).reference: ("RUS", "UKR", "countersigned"),
        f.inspection(rus, blr, D, {"tanks": 1}, area=area).reference: ("RUS", "BLR", "countersigned"),
        f.inspection(ukr, rus, D, {"tanks": 2}, area=area, status="draft").reference: ("UKR", "RUS", "draft"),
        f.inspection(rus, ukr, D, {"tanks": 3}, area=area, status="signed").reference: ("RUS", "UKR", "signed"),
        f.inspection(rus, blr, D, {"tanks": 4}, area=area, status="signed").reference: ("RUS", "BLR", "signed"),
    }
    users = {"nobody": f.person("nobody"), "superuser": f.person("root", "superuser")}
    for party in (ukr, rus):
        for role in ROLES:
            users[f"{role}-{party.code}"] = f.person(f"{role}-{party.code}".replace(" ", "-"), role, party)
    f.observation(D, 36.0, 48.0, 12, rus, recorded_by=users[f"{Role.ANALYST}-UKR"])
    line = f.contact_line("LOC")
    f.distance_rule(line, 25, source="artillery of 100 mm and above")
    f.distance_rule(line, 35, subtype="mlrs", source="MLRS")
    return {"sites": sites, "notifications": notifications, "inspections": inspections, "users": users}


def expected(world, who: str) -> dict[str, set[str]]:
    if who == "nobody":
        return {
            "notifications": set(),
            "sites": set(),
            "objects": set(),
            "inspections": set(),
            "observations": set(),
            "contact_lines": set(),
            "distance_rules": set(),
        }
    everything = who == "superuser"
    party = None if everything else who.rsplit("-", 1)[1]
    notified_sites = {"UKR-S1", "RUS-S1"}
    objects = {*world["sites"], "UKR-OV1", "RUS-OV1"}
    return {
        "notifications": {
            reference
            for reference, (owner, status) in world["notifications"].items()
            if everything or status == "submitted" or owner == party
        },
        "sites": {code for code in world["sites"] if everything or code in notified_sites or code.startswith(party)},
        "objects": {
            number
            for number in objects
            if everything or number in notified_sites | {"UKR-OV1"} or number.startswith(party)
        },
        "inspections": {
            reference
            for reference, (inspecting, inspected, status) in world["inspections"].items()
            if everything
            or (status == "draft" and inspecting == party)
            or (status == "signed" and party in (inspecting, inspected))
            or (
                status == "countersigned"
                and (not who.startswith(f"{Role.INSPECTOR}-") or party in (inspecting, inspected))
            )
        },
        "observations": set(Observation.objects.values_list("reference", flat=True)),
        "contact_lines": {"LOC"},
        "distance_rules": {"artillery of 100 mm and above", "MLRS"},
    }


def api_sees(user) -> dict[str, set[str]]:
    client = f.api(user)

    def listed(url: str, key: str) -> set[str]:
        response = client.get(url, {"page_size": 1000})
        if response.status_code == 403:
            return set()
        body = response.json()
        rows = body.get("features") or body.get("results") or []
        return {(row.get("properties") or row)[key] for row in rows}

    return {
        "notifications": listed("/api/notifications/", "reference"),
        "sites": listed("/api/sites/", "code"),
        "objects": listed("/api/objects-of-verification/", "record_number"),
        "inspections": listed("/api/inspections/", "reference"),
        "observations": listed("/api/observations/", "reference"),
        "contact_lines": listed("/api/contact-lines/", "code"),
        "distance_rules": listed("/api/distance-rules/", "source"),
    }


def admin_sees(user) -> dict[str, set[str]]:
    client = Client()
    f.sign_in(client, user)

    def listed(model: str, key: str) -> set[str]:
        response = client.get(f"/admin/{model}/", {"all": ""})
        if response.status_code == 403:
            return set()
        return {str(getattr(row, key)) for row in response.context["cl"].result_list}

    return {
        "notifications": listed("tracker/notification", "reference"),
        "sites": listed("tracker/site", "code"),
        "objects": listed("tracker/objectofverification", "record_number"),
        "inspections": listed("tracker/inspection", "reference"),
        "observations": listed("tracker/observation", "reference"),
        "contact_lines": listed("zones/contactline", "code"),
        "distance_rules": listed("tracker/distancerule", "source"),
    }


def ogc_sees(user) -> dict[str, set[str]]:
    """What the OGC API – Features collections list: sites by ``party-code``, reports and observations by reference,
    lines by code."""
    client = f.api(user)

    def listed(collection: str) -> set[str]:
        response = client.get(f"/ogc/collections/{collection}/items", {"limit": 1000})
        if response.status_code == 403:
            return set()
        return {feature["id"] for feature in response.json()["features"]}

    return {
        "sites": {code.split("-", 1)[1] for code in listed("sites")},
        "inspections": listed("inspections"),
        "observations": listed("observations"),
        "contact_lines": listed("contact-lines"),
    }


WHO = ["nobody", "superuser"] + [f"{role}-{code}" for code in ("UKR", "RUS") for role in ROLES]


def test_the_api_and_the_admin_list_exactly_what_each_role_may_see(world):
    for who in WHO:
        user = world["users"][who]
        want = expected(world, who)
        assert (who, api_sees(user)) == (who, want)
        assert (who, admin_sees(user)) == (who, want)
        assert (who, ogc_sees(user)) == (
            who,
            {key: want[key] for key in ("sites", "inspections", "observations", "contact_lines")},
        )


def test_a_record_one_may_not_see_is_not_found_by_its_address(world):
    for who in WHO:
        addresses_answer_as_listed(world, who)


def addresses_answer_as_listed(world, who: str) -> None:
    user = world["users"][who]
    want = expected(world, who)
    api, admin = f.api(user), Client()
    f.sign_in(admin, user)
    unseen = set(world["notifications"]) - want["notifications"]
    for reference in world["notifications"]:
        status = api.get(f"/api/notifications/{reference}/").status_code
        assert status == (200 if reference in want["notifications"] else 403 if who == "nobody" else 404), reference
    for reference in unseen:
        assert admin.get(f"/evidence/notification/{reference}").status_code in (403, 404)
    for reference in set(world["inspections"]) - want["inspections"]:
        assert api.get(f"/api/inspections/{reference}/").status_code in (403, 404)
    for held in ObjectOfVerification.objects.all():
        status = api.get(f"/api/objects-of-verification/{held.pk}/").status_code
        seen = held.record_number in want["objects"]
        assert status == (200 if seen else 403 if who == "nobody" else 404), held.record_number
        if not seen:
            assert admin.get(f"/admin/tracker/objectofverification/{held.pk}/change/").status_code in (403, 404)
