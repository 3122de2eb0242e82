import datetime
from pathlib import Path

import pytest
from django.conf import settings

from tests import factories as f
from tests import signing
from tracker.ledger import records, signatures
from tracker.models import LedgerEntry
from tracker.roles import Role

pytestmark = pytest.mark.browser


def test_an_officer_sees_a_drafts_lines_and_can_sign_and_submit_it(page, log_in, screenshot):
    """The officer signs the draft's record with the demo key file in the browser (docs/ledger.md): the ledger
    entry carries the signature, which verifies over the record's canonical form."""
    ukr = f.party("UKR", "Ukraine")
    kyiv, kharkiv = f.site(ukr, code="KYIV-1"), f.site(ukr, code="KHARKIV-1")
    draft = f.notification(
        ukr,
        datetime.date(2024, 3, 1),
        [(kyiv, "tanks", 40), (kyiv, "artillery", 12, "storage"), (kharkiv, "acv", 75)],
        submit=False,
    )
    officer = f.person("officer", Role.OFFICER, ukr)
    demo_key = Path(settings.DEMO_KEYS_DIR) / "officer-ukr.pem"
    signing.key_for(officer, private=signatures.private_key(demo_key.read_bytes()))
    log_in(officer)

    page.goto(f"/admin/tracker/notification/{draft.pk}/change/")

    assert page.locator("#holdings-group tbody tr.has_original").count() == 3
    assert page.locator("input[name=_submit]").is_visible()
    record = records.of_notification(draft)
    assert page.locator(".canonical-sha256").inner_text() == record.sha256
    page.set_input_files(".signing input.key-file", str(demo_key))
    page.click("text=Sign with my key file")
    page.wait_for_selector("text=Signed: the signature is in the form")
    screenshot("notification-form")
    page.click("input[name=_submit]")
    assert "was submitted" in page.locator(".messagelist").inner_text()
    entry = LedgerEntry.objects.get(notification=draft)
    assert entry.key.user == officer and entry.record_sha256 == record.sha256
    assert signatures.verifies(bytes(entry.key.public_key), bytes(entry.signature), record.canonical)
    assert page.locator("input[name=_submit]").count() == 0
    assert page.get_by_role("button", name="Correct").is_visible()
    screenshot("notification-submitted")
