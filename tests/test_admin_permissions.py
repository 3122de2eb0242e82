"""Each role reads and writes in the admin only what tracker.roles allows, enforced on every request."""

import datetime

import pytest

from tests import factories as f
from tracker.models import Inspection, Observation, Site
from tracker.roles import Role

DAY = datetime.date(2024, 3, 1)


@pytest.fixture
def ukr():
    return f.party("UKR")


@pytest.fixture
def rus():
    return f.party("RUS")


def site_form(party, code="NEW-1", longitude="30.5", latitude="50.4"):
    return {
        "party": party.pk,
        "code": code,
        "name": code,
        "unit": "",
        "location": "",
        "longitude": longitude,
        "latitude": latitude,
        **f.inline("objects_of_verification"),
    }


def test_an_officer_reads_another_partys_notification_but_cannot_change_it(client, ukr, rus):
    theirs = f.notification(rus, DAY, [(f.site(rus), "tanks", 10)])
    f.sign_in(client, f.person("officer", Role.OFFICER, ukr))
    url = f"/admin/tracker/notification/{theirs.pk}/change/"

    assert client.get(url).status_code == 200
    assert client.post(url, {"reference": "HIJACKED", "party": ukr.pk}).status_code == 403
    assert client.post(f"/admin/tracker/notification/{theirs.pk}/delete/", {"post": "yes"}).status_code == 403
    theirs.refresh_from_db()
    assert theirs.reference != "HIJACKED"


def test_another_partys_draft_is_not_found_for_an_officer(client, ukr, rus):
    draft = f.notification(rus, DAY, [], submit=False)
    f.sign_in(client, f.person("officer", Role.OFFICER, ukr))

    assert client.get(f"/admin/tracker/notification/{draft.pk}/change/").status_code == 404
    assert client.post(f"/admin/tracker/notification/{draft.pk}/change/", {"reference": "X"}).status_code == 404
    assert draft.reference not in client.get("/admin/tracker/notification/").content.decode()


def test_an_officer_adds_sites_only_for_their_own_party(client, ukr, rus):
    f.sign_in(client, f.person("officer", Role.OFFICER, ukr))

    assert client.post("/admin/tracker/site/add/", site_form(ukr, "OWN-1")).status_code == 302
    response = client.post("/admin/tracker/site/add/", site_form(rus, "THEIRS-1"))

    assert "Select a valid choice" in str(response.context["adminform"].form.errors["party"])
    assert list(Site.objects.values_list("code", flat=True)) == ["OWN-1"]


def test_an_officer_cannot_move_another_partys_site(client, ukr, rus):
    theirs = f.site(rus, lon=30, lat=50)
    f.notification(rus, DAY, [(theirs, "tanks", 40)])
    f.sign_in(client, f.person("officer", Role.OFFICER, ukr))

    response = client.post(f"/admin/tracker/site/{theirs.pk}/change/", site_form(rus, theirs.code, "31", "51"))

    assert response.status_code == 403
    theirs.refresh_from_db()
    assert theirs.location.coords == (30, 50)


def test_an_officer_may_not_report_inspections(client, ukr):
    f.sign_in(client, f.person("officer", Role.OFFICER, ukr))
    assert client.get("/admin/tracker/inspection/add/").status_code == 403


def test_an_inspector_sees_and_writes_only_their_own_partys_reports(client, ukr, rus):
    ours = f.inspection(ukr, rus, DAY, {"tanks": 3}, site=f.site(rus), status="draft")
    theirs = f.inspection(rus, ukr, DAY, {"tanks": 4}, site=f.site(ukr), status="draft")
    f.sign_in(client, f.person("inspector", Role.INSPECTOR, ukr))

    listing = client.get("/admin/tracker/inspection/").content.decode()
    assert ours.reference in listing and theirs.reference not in listing
    assert client.get(f"/admin/tracker/inspection/{theirs.pk}/change/").status_code == 404
    assert client.get(f"/admin/tracker/inspection/{ours.pk}/change/").context["has_change_permission"]
    assert client.get("/admin/tracker/notification/add/").status_code == 403


def test_an_inspector_reports_only_in_their_own_partys_name(client, ukr, rus):
    target = f.site(rus)
    f.sign_in(client, f.person("inspector", Role.INSPECTOR, ukr))
    form = {
        "reference": "UKR-I-1",
        "kind": "declared_site",
        "inspected_party": ukr.pk,
        "date": "2024-03-01",
        "site": target.pk,
        "area": "",
        "team": "",
        "ambiguities": "",
        "findings-TOTAL_FORMS": "0",
        "findings-INITIAL_FORMS": "0",
        "attachments-TOTAL_FORMS": "0",
        "attachments-INITIAL_FORMS": "0",
    }

    response = client.post("/admin/tracker/inspection/add/", form | {"inspecting_party": rus.pk})
    assert "inspecting_party" in response.context["adminform"].form.errors
    assert (
        client.post(
            "/admin/tracker/inspection/add/", form | {"inspecting_party": ukr.pk, "inspected_party": rus.pk}
        ).status_code
        == 302
    )
    assert Inspection.objects.get().inspecting_party == ukr


def test_a_monitor_reads_everything_and_writes_nothing(client, ukr, rus):
    notice = f.notification(rus, DAY, [(f.site(rus), "tanks", 10)])
    report = f.inspection(ukr, rus, DAY, {"tanks": 3}, site=f.site(rus))
    f.sign_in(client, f.person("monitor", Role.MONITOR, ukr))

    for page in ("notification", "inspection", "site", "observation", "ceiling", "holding"):
        assert client.get(f"/admin/tracker/{page}/").status_code == 200, page
    assert client.get("/admin/zones/zone/").status_code == 200
    assert client.get(f"/admin/tracker/inspection/{report.pk}/change/").status_code == 200
    for page in ("notification", "inspection", "site", "observation"):
        assert client.get(f"/admin/tracker/{page}/add/").status_code == 403, page
    assert client.post(f"/admin/tracker/notification/{notice.pk}/change/", {"reference": "X"}).status_code == 403


def test_an_analyst_records_observations_and_nothing_else(client, ukr):
    f.sign_in(client, f.person("analyst", Role.ANALYST))
    form = {
        "reference": "OBS-1",
        "source": "satellite",
        "observed_on": "2024-03-01",
        "location": '{"type": "Point", "coordinates": [30.5, 50.4]}',
        "category": f.category("tanks").pk,
        "count": "12",
        "confidence": "0.7",
        "party": "",
    }

    assert client.post("/admin/tracker/observation/add/", form).status_code == 302
    assert Observation.objects.get().location.coords == (30.5, 50.4)
    assert client.get("/admin/tracker/notification/add/").status_code == 403
    assert client.get("/admin/tracker/inspection/add/").status_code == 403
