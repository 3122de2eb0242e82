"""Nobody writes where they don't belong: anonymous users, another party's officers, read-only monitors."""

import datetime

import pytest
from django.test import Client

from accounts.models import ApiToken
from tests import factories as f
from tests import signing
from tracker.models import Inspection, Notification, Observation
from tracker.roles import Role

D = datetime.date


def draft(reference: str = "UKR-1", party: str = "UKR") -> dict:
    return {
        "reference": reference,
        "party": party,
        "kind": "change",
        "effective_date": "2026-03-01",
        "lines": [{"site": "KHA", "category": "tanks", "quantity": 12}],
    }


def inspection(inspecting: str = "UKR", inspected: str = "RUS") -> dict:
    return {
        "reference": "I-1",
        "inspecting_party": inspecting,
        "inspected_party": inspected,
        "kind": "declared_site",
        "date": "2026-04-02",
        "site": "MOS",
        "findings": [{"category": "tanks", "observed": 14}],
    }


def observation() -> dict:
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [37.5, 47.1]},
        "properties": {
            "reference": "OBS-1",
            "source": "satellite",
            "observed_on": "2026-05-01",
            "category": "tanks",
            "count": 30,
            "confidence": 0.7,
            "party": "RUS",
        },
    }


WRITES = [("/api/notifications/", draft), ("/api/inspections/", inspection), ("/api/observations/", observation)]


@pytest.fixture
def ukr():
    party = f.party("UKR")
    f.site(party, code="KHA")
    return party


@pytest.fixture
def rus():
    party = f.party("RUS")
    f.site(party, code="MOS")
    return party


def nothing_written() -> bool:
    return not (Notification.objects.exists() or Inspection.objects.exists() or Observation.objects.exists())


@pytest.mark.parametrize("url, body", WRITES)
def test_an_anonymous_user_writes_nothing(ukr, rus, url, body):
    assert f.api().post(url, body(), format="json").status_code == 401
    assert nothing_written()


@pytest.mark.parametrize("url, body", WRITES)
def test_a_read_only_monitor_writes_nothing(ukr, rus, url, body):
    monitor = f.api(f.person("monitor", Role.MONITOR, ukr))
    response = monitor.post(url, body(), format="json")
    assert response.status_code == 403
    assert response.json() == {"detail": "your role does not write these records"}
    assert nothing_written()


def test_a_read_only_monitor_cannot_submit_or_correct(ukr):
    notice = f.notification(ukr, D(2026, 1, 1), [(ukr.sites.get(), "tanks", 5)])
    monitor = f.api(f.person("monitor", Role.MONITOR, ukr))
    assert monitor.post(f"/api/notifications/{notice.reference}/correct/", {}, format="json").status_code == 403
    assert not Notification.objects.filter(supersedes=notice).exists()


def test_an_officer_cannot_notify_for_another_party(ukr, rus):
    officer = f.api(f.person("officer-rus", Role.OFFICER, rus))
    response = officer.post("/api/notifications/", draft(), format="json")
    assert response.status_code == 403
    assert nothing_written()


def test_an_officer_cannot_submit_or_correct_another_partys_notification(ukr, rus):
    theirs = f.notification(ukr, D(2026, 1, 1), [(ukr.sites.get(), "tanks", 5)], submit=False)
    submitted = f.notification(ukr, D(2026, 1, 1), [(ukr.sites.get(), "acv", 5)])
    officer = f.api(f.person("officer-rus", Role.OFFICER, rus))
    assert signing.submit(officer, theirs.reference).status_code in (403, 404)
    assert officer.post(f"/api/notifications/{submitted.reference}/correct/", {}, format="json").status_code == 403
    theirs.refresh_from_db()
    assert theirs.status == "draft"
    assert not Notification.objects.filter(supersedes=submitted).exists()


def test_an_inspector_cannot_report_in_another_partys_name(ukr, rus):
    inspector = f.api(f.person("inspector-rus", Role.INSPECTOR, rus))
    response = inspector.post("/api/inspections/", inspection(inspecting="UKR", inspected="RUS"), format="json")
    assert response.status_code in (400, 403)
    assert nothing_written()


def test_the_api_writes_only_the_parties_records_concerns_and_ones_own_alerts():
    """Notifications, objects of verification, inspections, their requests and plans, observations, concerns,
    one's own subscriptions and signing keys, receipts and a tree head asked for: nothing else (the audit trail
    and the ledger's entries included) has a write method in the published schema; logging in and out write
    only the caller's own tokens."""
    schema = f.api().get("/api/schema/", {"format": "json"}).json()
    writable = {
        path for path, operations in schema["paths"].items() if {"post", "put", "patch", "delete"} & set(operations)
    }
    assert writable == {
        "/api/notifications/",
        "/api/notifications/{reference}/submit/",
        "/api/notifications/{reference}/correct/",
        "/api/objects-of-verification/",
        "/api/inspections/",
        "/api/inspections/{reference}/sign/",
        "/api/inspections/{reference}/countersign/",
        "/api/inspections/{reference}/attachments/",
        "/api/inspection-requests/",
        "/api/inspection-requests/{reference}/",
        "/api/inspection-plans/",
        "/api/inspection-plans/{id}/",
        "/api/observations/",
        "/api/concerns/",
        "/api/concerns/{reference}/answer/",
        "/api/concerns/{reference}/accept/",
        "/api/concerns/{reference}/dispute/",
        "/api/concerns/{reference}/refer/",
        "/api/concerns/{reference}/close/",
        "/api/concerns/{reference}/{kind}/canonical/",
        "/api/subscriptions/",
        "/api/subscriptions/{id}/",
        "/api/subscriptions/{id}/token/",
        "/api/webhooks/",
        "/api/webhooks/{id}/",
        "/api/keys/",
        "/api/keys/{fingerprint}/revoke/",
        "/api/ledger/heads/",
        "/api/ledger/receipts/",
        "/api/auth/login/",
        "/api/auth/logout/",
        "/api/auth/logout-all/",
    }


def test_a_session_write_without_the_csrf_token_is_refused(ukr):
    browser = Client(enforce_csrf_checks=True)
    f.sign_in(browser, f.person("officer", Role.OFFICER, ukr))
    response = browser.post("/api/notifications/", draft(), content_type="application/json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    assert nothing_written()


def test_a_session_write_with_the_csrf_token_goes_through(ukr):
    browser = Client(enforce_csrf_checks=True)
    f.sign_in(browser, f.person("officer", Role.OFFICER, ukr))
    browser.get("/admin/")  # any page with a form (here the log-out button) sets the CSRF cookie
    token = browser.cookies["csrftoken"].value
    response = browser.post("/api/notifications/", draft(), content_type="application/json", HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 201, response.content
    assert Notification.objects.filter(reference="UKR-1").exists()


def test_a_token_write_needs_no_csrf_token(ukr):
    officer = f.person("officer", Role.OFFICER, ukr)
    key = f.token(officer)
    script = Client(enforce_csrf_checks=True)
    response = script.post(
        "/api/notifications/", draft(), content_type="application/json", HTTP_AUTHORIZATION=f"Token {key}"
    )
    assert response.status_code == 201


def test_a_revoked_token_opens_nothing(ukr):
    officer = f.person("officer", Role.OFFICER, ukr)
    client = f.api(officer)
    assert client.get("/api/parties/").status_code == 200
    ApiToken.objects.filter(user=officer).delete()
    assert client.get("/api/parties/").status_code == 401
    assert client.post("/api/notifications/", draft(), format="json").status_code == 401
    assert nothing_written()


def test_a_deactivated_user_token_opens_nothing(ukr):
    officer = f.person("officer", Role.OFFICER, ukr)
    client = f.api(officer)
    officer.is_active = False
    officer.save()
    assert client.get("/api/parties/").status_code == 401
