"""``receipt_missing``: a record of the ledger sent to a party must be acknowledged by that party's receipt of a
tree head that includes it within the treaty's ``receipt_hours`` of its acceptance. The treaty sets no such
time (CFE Art. XIII.3: receipt "shall not imply validation or acceptance"; Art. XVII: notifications in written
form); 24 hours unless the parties agree otherwise."""

import datetime

import pytest

from tests import factories as f
from tests.ledger_keys import Holder
from tracker import findings_register
from tracker.compliance import changes, engine, readable_by
from tracker.compliance.breach import GRADES, RECEIPT_MISSING
from tracker.findings_register import readable
from tracker.ledger import book, records
from tracker.models import Concern, ConcernStep, Finding, StepKind, Treaty
from tracker.roles import Role

ACCEPTED = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)
DAY = ACCEPTED.date()
NEXT_DAY = DAY + datetime.timedelta(days=1)
MINUTE = datetime.timedelta(minutes=1)
HOURS_24 = datetime.timedelta(hours=24)


@pytest.fixture
def world():
    f.treaty()
    ukr, rus = f.party("UKR"), f.party("RUS")
    officers = {
        party.code: Holder(f.person(f"officer-{party.code.lower()}", Role.OFFICER, party)) for party in (ukr, rus)
    }
    return ukr, rus, officers


def notified(rus, at=ACCEPTED):
    """A RUS notification accepted at ``at``: entry 0 of the ledger unless others came first."""
    notice = f.notification(rus, at.date(), [(f.site(rus), "tanks", 10)], submitted_at=at)
    return notice.ledger_entries.get()


def missing(as_of=NEXT_DAY):
    return [breach for breach in engine.evaluate(as_of) if breach.kind == RECEIPT_MISSING]


def test_a_receipt_exactly_receipt_hours_after_acceptance_is_in_time(world):
    ukr, rus, officers = world
    notified(rus)
    head = book.sign_tree_head(ACCEPTED + MINUTE)
    officers["UKR"].acknowledge(head, ACCEPTED + HOURS_24)
    assert missing() == []


def test_a_receipt_a_minute_after_receipt_hours_is_missing(world):
    ukr, rus, officers = world
    entry = notified(rus)
    head = book.sign_tree_head(ACCEPTED + MINUTE)
    officers["UKR"].acknowledge(head, ACCEPTED + HOURS_24 + MINUTE)
    (breach,) = missing()
    assert (breach.party, breach.treaty, breach.zone, breach.grade) == ("UKR", "Settlement", None, "breach")
    assert breach.evidence == {
        "entry": entry.index,
        "reference": entry.reference,
        "record": "notification",
        "author": "RUS",
        "rule": "CFE Art. XIII.3 and XVII; receipt_hours of the treaty (no time in the treaty)",
        "accepted_at": ACCEPTED.isoformat(),
        "due": (ACCEPTED + HOURS_24).isoformat(),
        "received_at": (ACCEPTED + HOURS_24 + MINUTE).isoformat(),
        "hours": 24,
    }


def test_no_receipt_is_missing_until_the_day_its_time_runs_out(world):
    ukr, rus, officers = world
    notified(rus)
    assert missing(DAY) == []
    assert [breach.party for breach in missing(NEXT_DAY)] == ["UKR"]
    assert NEXT_DAY in changes.change_dates()


def test_a_receipt_of_a_head_that_does_not_include_the_entry_does_not_count(world):
    ukr, rus, officers = world
    first = notified(rus)
    head = book.sign_tree_head(ACCEPTED + MINUTE)
    second = notified(rus, ACCEPTED + 2 * MINUTE)
    officers["UKR"].acknowledge(head, ACCEPTED + 3 * MINUTE)
    assert (head.size, first.index, second.index) == (1, 0, 1)
    assert [breach.evidence["entry"] for breach in missing()] == [second.index]


def test_the_author_owes_no_receipt_for_its_own_record(world):
    ukr, rus, officers = world
    notified(rus)
    assert {breach.party for breach in missing()} == {"UKR"}


def test_a_party_without_a_signing_key_owes_no_receipt(world):
    ukr, rus, officers = world
    f.party("POL")
    notified(rus)
    assert {breach.party for breach in missing()} == {"UKR"}


def test_the_treaty_s_receipt_hours_set_the_time(world):
    ukr, rus, officers = world
    Treaty.objects.update(receipt_hours=48)
    notified(rus)
    head = book.sign_tree_head(ACCEPTED + MINUTE)
    officers["UKR"].acknowledge(head, ACCEPTED + 2 * HOURS_24)
    assert missing(DAY + datetime.timedelta(days=5)) == []


def test_a_report_is_owed_by_the_inspected_party_and_its_countersignature_by_the_inspecting_one(world):
    ukr, rus, officers = world
    report = f.inspection(ukr, rus, DAY, {}, site=f.site(rus))
    book.take(records.of_report(report), None, None, ACCEPTED)
    book.take(records.of_countersignature(report), None, None, ACCEPTED)
    owed = sorted((b.evidence["record"], b.party, b.evidence["inspection"]) for b in missing())
    assert owed == [("countersignature", "UKR", report.reference), ("inspection report", "RUS", report.reference)]


def test_a_concern_step_is_owed_by_the_concern_s_other_party_and_read_only_by_its_parties(world):
    ukr, rus, officers = world
    pol = f.party("POL")
    Holder(f.person("officer-pol", Role.OFFICER, pol))
    concern = Concern.objects.create(
        reference="C-1", raised_by=ukr, raised_against=rus, question="Where are they?", answer_due=NEXT_DAY
    )
    step = ConcernStep.objects.create(
        concern=concern, kind=StepKind.RAISE, party=ukr, text="Where are they?", made_at=ACCEPTED
    )
    book.take(records.of_concern_step(step), None, None, ACCEPTED)
    (breach,) = missing()
    assert (breach.party, breach.evidence["concern"]) == ("RUS", "C-1")
    assert readable_by([breach], f.person("monitor-pol", Role.MONITOR, pol)) == []
    assert readable_by([breach], f.person("monitor-rus", Role.MONITOR, rus)) == [breach]


def test_a_missing_receipt_is_a_procedural_breach_and_one_finding_per_entry_in_the_register(world):
    ukr, rus, officers = world
    notified(rus)
    notified(rus, ACCEPTED + MINUTE)
    findings_register.refresh(NEXT_DAY)
    found = Finding.objects.filter(kind=RECEIPT_MISSING)
    assert GRADES[RECEIPT_MISSING] == "breach"
    assert sorted(found.values_list("party", flat=True)) == ["UKR", "UKR"]
    assert readable(found, f.person("monitor-pol", Role.MONITOR, f.party("POL"))).count() == 2
