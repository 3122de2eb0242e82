"""Officers draft a notification with its lines, submit it whole, and correct it once submitted."""

import datetime

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from tests import factories as f
from tests import signing
from tracker import answers, compliance, services
from tracker.compliance import engine
from tracker.ledger import records
from tracker.models import Holding, Notification
from tracker.roles import Role

DAY = datetime.date(2024, 3, 1)


def header(party, reference="UKR-24-01", effective_date="2024-03-01", **fields):
    return {
        "party": party.pk,
        "reference": reference,
        "kind": "change",
        "effective_date": effective_date,
        "remarks": "",
        **fields,
    }


def lines(*rows, initial=0):
    """The inline formset's POST data for ``rows`` of (site, category, quantity, status)."""
    data = {
        "holdings-TOTAL_FORMS": str(len(rows)),
        "holdings-INITIAL_FORMS": str(initial),
        "holdings-MIN_NUM_FORMS": "0",
        "holdings-MAX_NUM_FORMS": "1000",
    }
    for index, (site, code, quantity, status) in enumerate(rows):
        data |= {
            f"holdings-{index}-site": site.pk,
            f"holdings-{index}-category": f.category(code).pk,
            f"holdings-{index}-quantity": quantity,
            f"holdings-{index}-status": status,
        }
    return data


def logged_in_officer(client, party):
    officer = f.person("officer", Role.OFFICER, party)
    f.sign_in(client, officer)
    return officer


def submit(client, user, notification, data: dict):
    """Post the draft's change form with ``data`` (as stored), signed by ``user``, to submit it."""
    url = f"/admin/tracker/notification/{notification.pk}/change/"
    return client.post(
        url, data | signing.of_notification(user, notification) | {"_submit": "Save and submit"}, follow=True
    )


def test_an_officer_saves_a_draft_with_its_lines(client):
    ukr = f.party("UKR")
    base = f.site(ukr, code="KYIV-1")
    logged_in_officer(client, ukr)
    response = client.post(
        "/admin/tracker/notification/add/", header(ukr) | lines((base, "tanks", 40, "active")) | {"_save": "Save"}
    )
    assert response.status_code == 302
    draft = Notification.objects.get(reference="UKR-24-01")
    assert draft.status == "draft"
    assert list(draft.holdings.values_list("site__code", "quantity")) == [("KYIV-1", 40)]


def test_submitting_lists_every_problem_at_once(client):
    ukr, rus = f.party("UKR"), f.party("RUS")
    own, foreign = f.site(ukr, code="KYIV-1"), f.site(rus, code="PSKOV-1")
    chief = f.person("chief", "superuser")
    f.sign_in(client, chief)
    data = header(ukr, effective_date="") | lines((own, "tanks", 40, "active"), (foreign, "acv", 10, "active"))
    client.post("/admin/tracker/notification/add/", data | {"_save": "Save"})
    draft = Notification.objects.get(reference="UKR-24-01")
    chief.test_private_key = Ed25519PrivateKey.generate()  # the draft's problems come before its signature's

    response = submit(client, chief, draft, data | existing_lines(draft))

    text = response.content.decode()
    assert "UKR-24-01 was not submitted" in text
    assert "the effective date is missing" in text
    assert "site PSKOV-1 belongs to RUS, not to UKR" in text
    assert Notification.objects.get(reference="UKR-24-01").status == "draft"


def test_a_draft_without_lines_or_date_is_refused_with_both_reasons(client):
    ukr = f.party("UKR")
    draft = f.notification(ukr, DAY, [], submit=False)
    officer = logged_in_officer(client, ukr)
    Notification.objects.filter(pk=draft.pk).update(effective_date=None)

    response = submit(client, officer, draft, header(ukr, draft.reference, effective_date="") | lines())

    messages = [str(message) for message in response.context["messages"]]
    assert len(messages) == 1
    assert "the effective date is missing" in messages[0]
    assert "the notification has no lines" in messages[0]


def test_a_valid_draft_is_submitted_by_its_officer_signed_with_their_key(client):
    ukr = f.party("UKR")
    base = f.site(ukr, code="KYIV-1")
    officer = logged_in_officer(client, ukr)
    client.post(
        "/admin/tracker/notification/add/", header(ukr) | lines((base, "tanks", 40, "active")) | {"_save": "Save"}
    )
    notice = Notification.objects.get(reference="UKR-24-01")
    page = client.get(f"/admin/tracker/notification/{notice.pk}/change/").content.decode()
    assert records.of_notification(notice).sha256 in page and "Sign with my key file" in page

    submit(client, officer, notice, header(ukr) | existing_lines(notice))

    notice.refresh_from_db()
    assert notice.status == "submitted"
    assert notice.ledger_entries.get().key.user == officer
    assert notice.submitted_by.username == "officer"
    assert Holding.objects.as_of(DAY).get(site=base).quantity == 40


def test_the_list_offers_no_unsigned_submission_of_the_selected_drafts(client):
    """Each submission carries its own signature over its own record: drafts are submitted one by one."""
    ukr = f.party("UKR")
    draft = f.notification(ukr, DAY, [(f.site(ukr), "tanks", 5)], submit=False)
    logged_in_officer(client, ukr)

    client.post("/admin/tracker/notification/", {"action": "submit_selected", "_selected_action": [draft.pk]})

    draft.refresh_from_db()
    assert draft.status == "draft"


def test_a_submitted_notification_is_read_only(client):
    ukr = f.party("UKR")
    notice = f.notification(ukr, DAY, [(f.site(ukr), "tanks", 40)])
    logged_in_officer(client, ukr)
    url = f"/admin/tracker/notification/{notice.pk}/change/"

    page = client.get(url).content.decode()
    assert 'name="reference"' not in page
    assert 'name="holdings-0-quantity"' not in page
    assert "Save and submit" not in page
    response = client.post(url, header(ukr, notice.reference, "2025-01-01") | existing_lines(notice))
    assert response.status_code == 403
    notice.refresh_from_db()
    assert notice.effective_date == DAY


def test_correcting_drafts_a_copy_that_supersedes_the_original_when_submitted(client):
    ukr = f.party("UKR")
    base = f.site(ukr, code="KYIV-1")
    original = f.notification(ukr, DAY, [(base, "tanks", 40)])
    officer = logged_in_officer(client, ukr)

    response = client.post(f"/admin/tracker/notification/{original.pk}/correct/")

    draft = Notification.objects.get(supersedes=original)
    assert response.url == f"/admin/tracker/notification/{draft.pk}/change/"
    assert draft.status == "draft" and draft.kind == "correction"
    data = header(ukr, draft.reference) | {"kind": "correction"} | existing_lines(draft) | {"holdings-0-quantity": 35}
    client.post(response.url, data | {"_save": "Save"})
    submit(client, officer, draft, data)
    original.refresh_from_db()
    draft.refresh_from_db()
    assert (original.status, draft.status) == ("superseded", "submitted")
    assert Holding.objects.as_of(DAY).get(site=base).quantity == 35


def test_the_correct_button_shows_only_on_a_submitted_notification(client):
    ukr = f.party("UKR")
    submitted = f.notification(ukr, DAY, [(f.site(ukr), "tanks", 1)])
    draft = f.notification(ukr, DAY, [], submit=False)
    logged_in_officer(client, ukr)
    assert ">Correct</button>" in client.get(f"/admin/tracker/notification/{submitted.pk}/change/").content.decode()
    assert ">Correct</button>" not in client.get(f"/admin/tracker/notification/{draft.pk}/change/").content.decode()


def existing_lines(notification):
    rows = list(notification.holdings.all())
    data = lines(*[(row.site, row.category.code, row.quantity, row.status) for row in rows], initial=len(rows))
    for index, row in enumerate(rows):
        data[f"holdings-{index}-id"] = row.pk
        data[f"holdings-{index}-notification"] = notification.pk
        data[f"holdings-{index}-object_of_verification"] = row.object_of_verification_id
    return data


def test_a_line_declared_twice_is_refused_in_the_words_the_api_uses(client):
    ukr = f.party("UKR")
    base = f.site(ukr, code="KYIV-1")
    logged_in_officer(client, ukr)

    response = client.post(
        "/admin/tracker/notification/add/",
        header(ukr) | lines((base, "tanks", 40, "active"), (base, "tanks", 41, "active")) | {"_save": "Save"},
    )

    assert response.status_code == 200
    assert "KYIV-1 tanks (active) is declared twice" in response.content.decode()
    assert not Notification.objects.exists()


def test_a_reference_outside_the_partys_series_is_refused(client):
    ukr = f.party("UKR")
    logged_in_officer(client, ukr)

    response = client.post(
        "/admin/tracker/notification/add/", header(ukr, reference="RUS-1") | lines() | {"_save": "Save"}
    )

    assert response.status_code == 200
    assert "a UKR notification&#x27;s reference begins with UKR-" in response.content.decode()
    assert not Notification.objects.exists()


def test_a_correction_is_drafted_only_from_the_notification_it_corrects(client):
    ukr = f.party("UKR")
    logged_in_officer(client, ukr)

    data = header(ukr, kind="correction") | lines((f.site(ukr), "tanks", 1, "active")) | {"_save": "Save"}
    response = client.post("/admin/tracker/notification/add/", data)

    assert response.status_code == 200
    assert "a correction, and only a correction, names the notification it supersedes" in response.content.decode()
    assert not Notification.objects.exists()


def test_a_correction_turned_into_a_change_is_not_submitted(client):
    ukr = f.party("UKR")
    original = f.notification(ukr, DAY, [(f.site(ukr, code="KYIV-1"), "tanks", 40)])
    draft = services.correct(original)
    Notification.objects.filter(pk=draft.pk).update(kind="change")  # stored before the form refused it
    officer = logged_in_officer(client, ukr)

    response = submit(client, officer, draft, header(ukr, draft.reference) | existing_lines(draft))

    assert "a correction, and only a correction, names the notification it supersedes" in response.content.decode()
    original.refresh_from_db()
    assert original.status == "submitted"


def test_a_submission_in_the_admin_makes_the_evaluation_its_readers_ask_for(
    client, recounted, django_capture_on_commit_callbacks
):
    ukr = f.party("UKR")
    base = f.site(ukr, code="KYIV-1")
    f.ceiling(f.zone("Z1"), 10)
    officer = logged_in_officer(client, ukr)
    draft = f.notification(ukr, DAY, [(base, "tanks", 40)], submit=False)
    answers.forget()
    assert compliance.cached_evaluate(DAY) == []
    recounted.clear()

    with django_capture_on_commit_callbacks(execute=True):
        submit(client, officer, draft, header(ukr, draft.reference) | existing_lines(draft))
    assert len(recounted) == 1  # made by the submission

    assert [breach.excess for breach in compliance.cached_evaluate(DAY)] == [30]
    assert len(recounted) == 1  # and found made by its readers
    assert compliance.cached_evaluate(DAY) == engine.evaluate(DAY)
