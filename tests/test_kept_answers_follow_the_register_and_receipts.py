"""Kept answers are made again when what they show changes: the findings register's state of a finding
(shown with every violation) and a receipt that ends a ``receipt_missing`` finding (CFE Art. XIII.3, XVII)."""

import datetime

from tests import factories as f
from tests.ledger_keys import Holder
from tracker import findings_register
from tracker.compliance import cached_evaluate
from tracker.compliance.breach import RECEIPT_MISSING
from tracker.ledger import book
from tracker.models import Finding
from tracker.roles import Role

D = datetime.date
ACCEPTED = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)


def test_a_state_set_in_the_register_is_served_at_once_by_a_violations_answer_kept_before():
    ukr = f.party("UKR")
    f.ceiling(f.zone("EAST"), 10)
    annual = datetime.datetime(2025, 12, 1, tzinfo=datetime.UTC)
    f.notification(ukr, D(2026, 1, 1), [(f.site(ukr), "tanks", 12)], kind="annual", submitted_at=annual)
    findings_register.refresh(D(2026, 3, 1))
    client = f.api(f.person("monitor", Role.MONITOR))

    def states():
        body = client.get("/api/violations/", {"as_of": "2026-03-01"}).json()
        return [(item["kind"], item["state"]) for item in body["results"]]

    assert states() == [("ceiling_exceeded", "open")]
    findings_register.set_state(Finding.objects.all(), "explained", "a unit in transit")
    assert states() == [("ceiling_exceeded", "explained")]


def test_a_receipt_recorded_ends_the_missing_receipt_in_an_evaluation_kept_before():
    f.treaty()
    ukr, rus = f.party("UKR"), f.party("RUS")
    reader = Holder(f.person("officer-ukr", Role.OFFICER, ukr))
    f.notification(rus, ACCEPTED.date(), [(f.site(rus), "tanks", 10)], submitted_at=ACCEPTED)
    head = book.sign_tree_head(ACCEPTED + datetime.timedelta(minutes=1))
    day_after = ACCEPTED.date() + datetime.timedelta(days=2)

    def missing():
        return [breach.party for breach in cached_evaluate(day_after) if breach.kind == RECEIPT_MISSING]

    assert missing() == ["UKR"]
    reader.acknowledge(head, ACCEPTED + datetime.timedelta(hours=2))
    assert missing() == []
