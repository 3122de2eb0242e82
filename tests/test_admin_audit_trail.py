"""Every change to tracked records is kept with who and when, and shown read only in the admin."""

import datetime

from tests import factories as f
from tests import signing
from tracker.models import AuditEvent, Notification, Site
from tracker.roles import Role

EVENTS = "/admin/tracker/auditevent/"


def test_a_site_moved_in_the_admin_is_recorded_with_the_officer_and_the_change(client):
    ukr = f.party("UKR")
    base = f.site(ukr, lon=30, lat=50, code="KYIV-1")
    f.sign_in(client, f.person("officer", Role.OFFICER, ukr))

    client.post(
        f"/admin/tracker/site/{base.pk}/change/",
        {
            "party": ukr.pk,
            "code": "KYIV-1",
            "name": base.name,
            "unit": "",
            "location": "",
            "longitude": "31",
            "latitude": "51",
            **f.inline("objects_of_verification"),
        },
    )

    update = AuditEvent.objects.tracks(base).get(pgh_label="update")
    assert update.user.username == "officer"
    assert update.url == f"/admin/tracker/site/{base.pk}/change/"
    assert set(update.pgh_diff) == {"location"}


def test_submitting_records_the_notification_and_its_lines_with_the_user(client):
    ukr = f.party("UKR")
    draft = f.notification(ukr, datetime.date(2024, 3, 1), [(f.site(ukr), "tanks", 4)], submit=False)
    officer = f.person("officer", Role.OFFICER, ukr)
    f.sign_in(client, officer)
    line = draft.holdings.get()
    form = {
        "party": ukr.pk,
        "reference": draft.reference,
        "kind": draft.kind,
        "effective_date": "2024-03-01",
        "remarks": "",
        "holdings-TOTAL_FORMS": "1",
        "holdings-INITIAL_FORMS": "1",
        "holdings-MIN_NUM_FORMS": "0",
        "holdings-MAX_NUM_FORMS": "1000",
        "holdings-0-id": line.pk,
        "holdings-0-notification": draft.pk,
        "holdings-0-site": line.site_id,
        "holdings-0-category": line.category_id,
        "holdings-0-quantity": line.quantity,
        "holdings-0-status": line.status,
    }

    client.post(
        f"/admin/tracker/notification/{draft.pk}/change/",
        form | signing.of_notification(officer, draft) | {"_submit": "Save and submit"},
    )

    update = AuditEvent.objects.tracks(draft).get(pgh_label="update")
    assert update.user.username == "officer"
    assert update.pgh_diff["status"] == ["draft", "submitted"]


def test_bulk_updates_outside_the_admin_are_recorded_too():
    base = f.site(f.party("UKR"), code="KYIV-1")
    Site.objects.filter(pk=base.pk).update(name="Renamed in bulk")
    assert AuditEvent.objects.tracks(base).get(pgh_label="update").pgh_diff["name"][1] == "Renamed in bulk"


def test_an_objects_history_button_opens_its_events_with_who_changed_it(client):
    ukr = f.party("UKR")
    base = f.site(ukr, code="KYIV-1")
    f.notification(ukr, datetime.date(2024, 3, 1), [(base, "tanks", 40)])
    f.sign_in(client, f.person("officer", Role.OFFICER, ukr))
    client.post(
        f"/admin/tracker/site/{base.pk}/change/",
        {
            "party": ukr.pk,
            "code": "KYIV-1",
            "name": "Kyiv depot",
            "unit": "",
            "location": "",
            "longitude": "31",
            "latitude": "51",
            **f.inline("objects_of_verification"),
        },
    )
    f.sign_in(client, f.person("monitor", Role.MONITOR))

    history = client.get(f"/admin/tracker/site/{base.pk}/history/", follow=True)

    assert history.redirect_chain[0][0].startswith(f"{EVENTS}?method=tracks&obj=tracker.Site%3A{base.pk}")
    page = history.content.decode()
    assert "officer" in page
    assert "name: Site KYIV-1 → Kyiv depot" in page
    assert "Events" in client.get(f"/admin/tracker/site/{base.pk}/change/").content.decode()


def test_the_audit_trail_cannot_be_edited_even_by_a_superuser(client):
    notice = Notification.objects.create(party=f.party("UKR"), reference="N-1", kind="change")
    event = AuditEvent.objects.tracks(notice).get()
    f.sign_in(client, f.person("chief", "superuser"))

    assert client.get(f"{EVENTS}add/").status_code == 403
    assert 'name="pgh_data"' not in client.get(f"{EVENTS}{event.pk}/change/").content.decode()
    assert client.post(f"{EVENTS}{event.pk}/change/", {"pgh_label": "forged"}).status_code == 403
    assert client.post(f"{EVENTS}{event.pk}/delete/", {"post": "yes"}).status_code == 403
