"""Objects of verification through the API: a party's officers write their own; the other parties see one
once a submitted notification declares it (Protocol on Inspection, Section I.1(J): a formation or unit
holding treaty-limited equipment; Section I.1(N): a declared site holds one or more of them)."""

import datetime

from tests import factories as f
from tracker.models import ObjectOfVerification
from tracker.roles import Role

D = datetime.date(2026, 3, 1)
URL = "/api/objects-of-verification/"


def officer(code: str):
    return f.api(f.person(f"officer-{code}", Role.OFFICER, f.party(code)))


def brigade(**changes) -> dict:
    return {
        "record_number": "OV-92",
        "designation": "92nd Mechanised Brigade",
        "site": "KHA",
        "party": "UKR",
        **changes,
    }


def test_an_officer_records_an_object_of_verification_at_a_site_of_their_party():
    f.site(f.party("UKR"), code="KHA")

    response = officer("UKR").post(URL, brigade(), format="json")

    assert response.status_code == 201, response.json()
    body = response.json()
    assert {key: body[key] for key in ("record_number", "designation", "site", "party")} == brigade()
    assert ObjectOfVerification.objects.get(pk=body["id"]).site.code == "KHA"


def test_the_other_sides_officer_finds_an_object_no_submitted_notification_declares_as_if_it_did_not_exist():
    ukr = f.party("UKR")
    hidden = f.object_of_verification(f.notified_site(ukr, code="KHA"), "OV-92")
    f.notification(ukr, D, [(hidden, "tanks", 31)], submit=False)
    rus = officer("RUS")

    unseen, missing = rus.get(f"{URL}{hidden.pk}/"), rus.get(f"{URL}999999/")

    assert (unseen.status_code, missing.status_code) == (404, 404)
    assert unseen.json() == missing.json()
    assert "OV-92" not in {row["record_number"] for row in rus.get(URL).json()["results"]}
    assert officer("UKR").get(f"{URL}{hidden.pk}/").json()["record_number"] == "OV-92"


def test_an_object_is_seen_by_every_party_once_a_submitted_notification_declares_it():
    ukr = f.party("UKR")
    declared = f.object_of_verification(f.site(ukr, code="KHA"), "OV-92")
    f.notification(ukr, D, [(declared, "tanks", 31)])

    body = officer("RUS").get(URL, {"party": "UKR", "site": "KHA"}).json()

    assert [(row["record_number"], row["site"], row["party"]) for row in body["results"]] == [("OV-92", "KHA", "UKR")]


def test_it_refuses_an_unknown_site_and_another_partys_site_in_the_same_words():
    f.site(f.party("UKR"), code="KHA")
    f.notified_site(f.party("RUS"), code="ROS")
    client = officer("UKR")

    unknown = client.post(URL, brigade(site="NOPE"), format="json")
    foreign = client.post(URL, brigade(site="ROS"), format="json")

    assert unknown.status_code == foreign.status_code == 400
    assert unknown.json() == {"site": ["UKR has no declared site 'NOPE'"]}
    assert foreign.json() == {"site": ["UKR has no declared site 'ROS'"]}
    assert not ObjectOfVerification.objects.filter(party__code="UKR").exists()


def test_it_refuses_a_record_number_the_party_already_uses():
    f.object_of_verification(f.site(f.party("UKR"), code="KHA"), "OV-92")

    response = officer("UKR").post(URL, brigade(), format="json")

    assert response.status_code == 400
    assert response.json() == {"record_number": ["UKR already has an object of verification OV-92"]}


def test_another_party_may_use_the_same_record_number_and_learns_nothing_of_the_first():
    f.object_of_verification(f.site(f.party("UKR"), code="KHA"), "OV-92")  # a UKR draft-only object
    f.site(f.party("RUS"), code="ROS")

    response = officer("RUS").post(URL, brigade(site="ROS", party="RUS"), format="json")

    assert response.status_code == 201, response.json()


def test_an_officer_writes_no_object_for_another_party_whatever_its_records():
    f.object_of_verification(f.site(f.party("UKR"), code="KHA"), "OV-92")
    client = officer("RUS")

    taken = client.post(URL, brigade(), format="json")
    free = client.post(URL, brigade(record_number="OV-93"), format="json")

    assert taken.status_code == free.status_code == 403
    assert taken.json() == free.json()


def test_monitors_read_objects_but_do_not_write_them():
    f.site(f.party("UKR"), code="KHA")
    monitor = f.api(f.person("monitor", Role.MONITOR, f.party("UKR")))

    assert monitor.get(URL).status_code == 200
    assert monitor.post(URL, brigade(), format="json").status_code == 403
