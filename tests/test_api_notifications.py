import datetime

from tests import factories as f
from tests import signing
from tracker.models import Holding, Notification
from tracker.roles import Role

D = datetime.date


def officer(code="UKR"):
    return f.api(f.person(f"officer-{code}", Role.OFFICER, f.party(code)))


def draft(reference="UKR-2026-1", **changes):
    return {
        "reference": reference,
        "party": "UKR",
        "kind": "change",
        "effective_date": "2026-03-01",
        "lines": [
            {"site": "KHA", "category": "tanks", "quantity": 12},
            {"site": "KHA", "category": "acv", "quantity": 3},
        ],
        **changes,
    }


def test_an_officer_posts_a_draft_with_its_lines_then_submits_it():
    f.site(f.party("UKR"), code="KHA")
    client = officer()

    created = client.post("/api/notifications/", draft(), format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["status"] == "draft"
    assert Holding.objects.as_of(D(2026, 3, 1)).count() == 0

    submitted = signing.submit(client, "UKR-2026-1")
    assert submitted.status_code == 200, submitted.json()
    assert submitted.json()["status"] == "submitted"
    assert submitted.json()["submitted_by"] == "officer-UKR"
    assert {(h.category.code, h.quantity) for h in Holding.objects.as_of(D(2026, 3, 1))} == {("tanks", 12), ("acv", 3)}


def test_a_submitted_notification_cannot_be_changed_only_superseded():
    ukr = f.party("UKR")
    original = f.notification(ukr, D(2026, 1, 1), [(f.site(ukr, code="KHA"), "tanks", 10)])
    client = officer()

    assert client.put(f"/api/notifications/{original.reference}/", draft(), format="json").status_code == 405
    assert client.patch(f"/api/notifications/{original.reference}/", {"remarks": "x"}, format="json").status_code == 405
    assert signing.submit(client, f"{original.reference}").status_code == 400

    correction = draft("UKR-FIX", kind="correction", supersedes=original.reference, effective_date="2026-01-01")
    correction["lines"] = [{"site": "KHA", "category": "tanks", "quantity": 11}]
    assert client.post("/api/notifications/", correction, format="json").status_code == 201
    assert signing.submit(client, "UKR-FIX").status_code == 200

    original.refresh_from_db()
    assert original.status == "superseded"
    assert [h.quantity for h in Holding.objects.as_of(D(2026, 2, 1))] == [11]
    assert client.get(f"/api/notifications/{original.reference}/").json()["superseded_by"] == "UKR-FIX"


def test_correct_drafts_a_correction_carrying_the_original_lines():
    ukr = f.party("UKR")
    original = f.notification(ukr, D(2026, 1, 1), [(f.site(ukr, code="KHA"), "tanks", 10)])
    response = officer().post(
        f"/api/notifications/{original.reference}/correct/", {"reference": "UKR-FIX-1"}, format="json"
    )
    assert response.status_code == 201, response.json()
    assert response.json()["supersedes"] == original.reference
    assert response.json()["lines"] == [
        {"site": "KHA", "object": "KHA", "category": "tanks", "type": None, "status": "active", "quantity": 10}
    ]


def test_an_officer_cannot_notify_for_another_party():
    f.site(f.party("UKR"), code="KHA")
    response = officer("RUS").post("/api/notifications/", draft(), format="json")
    assert response.status_code == 403
    assert not Notification.objects.exists()


def test_a_monitor_cannot_write_and_anonymous_gets_401():
    f.site(f.party("UKR"), code="KHA")
    monitor = f.api(f.person("monitor", Role.MONITOR, f.party("UKR")))
    assert monitor.post("/api/notifications/", draft(), format="json").status_code == 403
    assert f.api().post("/api/notifications/", draft(), format="json").status_code == 401
    assert f.api().get("/api/notifications/").status_code == 401


def test_drafts_are_seen_only_by_their_party():
    ukr = f.party("UKR")
    f.notification(ukr, D(2026, 1, 1), [(f.site(ukr), "tanks", 1)], submit=False)
    f.notification(ukr, D(2026, 1, 1), [(f.site(ukr), "tanks", 1)])
    assert officer("UKR").get("/api/notifications/").json()["count"] == 2
    assert officer("RUS").get("/api/notifications/").json()["count"] == 1


def test_bad_lines_are_refused_whole_naming_each_field():
    f.site(f.party("UKR"), code="KHA")
    f.site(f.party("RUS"), code="BEL")
    bad = draft(
        effective_date="2026-02-30",
        lines=[
            {"site": "KHA", "category": "tanks", "quantity": -1},
            {"site": "BEL", "category": "tanks", "quantity": 1},
            {"site": "KHA", "category": "ships", "quantity": 1},
        ],
    )
    response = officer().post("/api/notifications/", bad, format="json")
    assert response.status_code == 400
    body = response.json()
    assert "effective_date" in body
    assert body["lines"] == {
        "0": {"quantity": ["Ensure this value is greater than or equal to 0."]},
        "2": {"category": ["unknown equipment category code 'ships'"]},
    }
    assert not Notification.objects.exists()


def test_a_site_of_another_party_and_a_repeated_line_are_refused():
    f.site(f.party("UKR"), code="KHA")
    f.site(f.party("RUS"), code="BEL")
    bad = draft(
        lines=[
            {"site": "BEL", "category": "tanks", "quantity": 1},
            {"site": "KHA", "category": "tanks", "quantity": 1},
            {"site": "KHA", "category": "tanks", "quantity": 2},
        ]
    )
    body = officer().post("/api/notifications/", bad, format="json").json()
    assert body["lines"] == {
        "0": {"site": ["UKR has no declared site 'BEL'"]},
        "1": {"site": ["KHA tanks (active) is declared twice"]},
        "2": {"site": ["KHA tanks (active) is declared twice"]},
    }
    assert not Notification.objects.exists()


def test_notifications_filter_by_party_and_status():
    ukr, rus = f.party("UKR"), f.party("RUS")
    f.notification(ukr, D(2026, 1, 1), [(f.site(ukr), "tanks", 1)])
    f.notification(rus, D(2026, 1, 1), [(f.site(rus), "tanks", 1)])
    client = officer()
    assert client.get("/api/notifications/", {"party": "RUS"}).json()["count"] == 1
    assert client.get("/api/notifications/", {"status": "superseded"}).json()["count"] == 0
    assert client.get("/api/notifications/", {"party": "XXX"}).status_code == 400
