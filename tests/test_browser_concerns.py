"""Raising a concern in the admin and answering it from the other side, with a document (CFE Art. XIII.3, XVI);
the open concern then shows in its zone's side panel, and a third party sees none of it."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from tests import factories as f
from tests import signing
from tracker.models import Concern, ConcernState, LedgerEntry
from tracker.roles import Role

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_officer_raises_a_concern_and_the_other_party_answers_it(page, log_in, screenshot, tmp_path):
    ukr, rus = f.party("UKR"), f.party("RUS")
    raiser = f.person("officer-ukr", Role.OFFICER, ukr)
    answerer = f.person("officer-rus", Role.OFFICER, rus)
    f.zone("Z1")
    f.finding(party="RUS", zone="Z1", kind="inspection_discrepancy")
    f.finding(party="UKR", zone="Z1", kind="late_notification")

    log_in(raiser)
    page.goto("/admin/tracker/concern/add/")
    assert page.locator("#id_findings input").count() == 1  # Ukraine's own finding is not offered
    page.select_option("#id_raised_against", label="RUS — RUS")
    page.check("#id_findings input")
    page.fill("#id_question", "Where were the 12 tanks the inspectors did not find?")
    due = timezone.localdate() + datetime.timedelta(days=14)
    page.fill("#id_answer_due", due.isoformat())
    page.set_input_files(".signing input.key-file", signing.key_file(raiser, tmp_path))
    page.click("text=Sign with my key file")
    page.wait_for_selector("text=Signed: the signature is in the form")
    screenshot("concern-raise-form")
    page.click("text=Raise the concern")
    page.wait_for_selector("text=Concern UKR-C1 raised with RUS")
    screenshot("concern-raised")
    assert page.locator(".concern-step").count() == 1  # close, the only step Ukraine may take now

    page.context.clear_cookies()
    log_in(answerer)
    concern = Concern.objects.get()
    page.goto(f"/admin/tracker/concern/{concern.pk}/change/")
    page.fill("#answer-text", "On exercise at the training area, returned on the 5th.")
    document = tmp_path / "orders.pdf"
    document.write_bytes(b"%PDF-1.7\n" + b"x" * 40)
    page.set_input_files("#answer-files", str(document))
    answer = page.locator("form.concern-step", has=page.locator("#answer-text"))
    answer.locator("input.key-file").set_input_files(signing.key_file(answerer, tmp_path))
    answer.locator("text=Sign with my key file").click()
    answer.locator("text=Signed: the signature is in the form").wait_for()
    assert "orders.pdf" in answer.locator(".canonical-record").inner_text()
    page.click("input[name=answer]")
    page.wait_for_selector("text=Concern UKR-C1: answered.")
    screenshot("concern-answered")
    assert page.locator(".timeline > li").count() == 2
    assert page.locator(".timeline a", has_text="orders.pdf").count() == 1
    concern.refresh_from_db()
    assert concern.state == ConcernState.ANSWERED
    assert LedgerEntry.objects.filter(concern_step__concern=concern, key__isnull=False).count() == 2

    page.goto("/zones/Z1/")
    assert page.locator("#open-concerns li", has_text="UKR-C1").count() == 1

    third = Client()
    f.sign_in(third, f.person("officer-blr", Role.OFFICER, f.party("BLR")))
    assert third.get(f"/admin/tracker/concern/{concern.pk}/change/").status_code == 404
    assert "UKR-C1" not in third.get("/admin/tracker/concern/").content.decode()
    assert "UKR-C1" not in third.get("/zones/Z1/").content.decode()
