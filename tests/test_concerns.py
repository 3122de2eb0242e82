"""The concerns process (CFE Art. XIII.3: each party answers for its own information, and receiving it implies no
acceptance; Art. XVI.2(A), (I) and XVI.3: questions of compliance and matters of dispute go to the Joint
Consultative Group): every step, who may take it, in which state, what it does to the findings, and that the
database keeps each step as it was made."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from tests import factories as f
from tracker import concerns
from tracker.models import Concern, ConcernState, ConcernStep, FindingState, StepAttachment
from tracker.models.alerts import AlertEntry, Event
from tracker.roles import Role
from tracker.steps import WrongState

PDF = b"%PDF-1.7\n" + b"x" * 40


@pytest.fixture
def parties():
    return f.party("UKR"), f.party("RUS"), f.party("BLR")


@pytest.fixture
def people(parties):
    ukr, rus, blr = parties
    return {
        "officer": f.person("officer-ukr", Role.OFFICER, ukr),
        "monitor": f.person("monitor-ukr", Role.MONITOR, ukr),
        "analyst": f.person("analyst-ukr", Role.ANALYST, ukr),
        "answerer": f.person("officer-rus", Role.OFFICER, rus),
        "rus monitor": f.person("monitor-rus", Role.MONITOR, rus),
        "third": f.person("officer-blr", Role.OFFICER, blr),
    }


@pytest.fixture
def finding():
    return f.finding(party="RUS", zone="Z1")


def raised(people, finding, by="officer"):
    return concerns.raise_concern(
        people[by],
        f.party("RUS"),
        [finding],
        "Where were the 12 tanks?",
        timezone.localdate() + datetime.timedelta(days=14),
    )


def answered(people, finding):
    concern = raised(people, finding)
    concerns.answer(people["answerer"], concern, "On exercise at the training area", [("note.pdf", [PDF])])
    return concern


def test_an_officer_raises_a_concern_with_its_first_step_and_an_alert(people, finding):
    concern = raised(people, finding)
    assert (concern.reference, concern.state, concern.raised_by.code, concern.raised_against.code) == (
        "UKR-C1",
        ConcernState.RAISED,
        "UKR",
        "RUS",
    )
    step = concern.steps.get()
    assert (step.kind, step.party.code, step.made_by, step.text) == (
        "raise",
        "UKR",
        people["officer"],
        concern.question,
    )
    entry = AlertEntry.objects.get(event=Event.CONCERN_STEP)
    assert (entry.concern, entry.step, entry.zone, entry.party, entry.kind, entry.grade) == (
        concern,
        step,
        "Z1",
        "RUS",
        "inspection_discrepancy",
        "indicator",
    )
    assert entry.summary["state"] == "raised"


def test_a_monitor_raises_a_concern_on_its_partys_behalf(people, finding):
    concern = raised(people, finding, by="monitor")
    assert concern.raised_by.code == "UKR"
    assert concern.steps.get().made_by == people["monitor"]


@pytest.mark.parametrize("who", ["analyst", "answerer"])
def test_an_analyst_or_the_other_party_raises_no_concern_for_ukraine(people, finding, who):
    if who == "answerer":
        with pytest.raises(ValidationError, match="another party"):
            raised(people, finding, by=who)
    else:
        with pytest.raises(PermissionDenied):
            raised(people, finding, by=who)
    assert not Concern.objects.exists()


def test_it_refuses_findings_about_another_party_naming_them(people):
    other = f.finding(party="BLR", key="ceiling_exceeded|BLR")
    with pytest.raises(ValidationError) as refused:
        raised(people, other)
    assert refused.value.message_dict == {"findings": ["not about RUS: ceiling_exceeded|BLR"]}


def test_it_refuses_a_finding_naming_a_report_hidden_from_the_raising_party(people, parties):
    ukr, rus, blr = parties
    report = f.inspection(blr, rus, datetime.date(2026, 3, 2), {"tanks": 3}, site=f.site(rus), status="draft")
    hidden = f.finding(party="RUS", evidence={"inspection": report.reference})
    with pytest.raises(ValidationError, match="no such finding among those you may read"):
        raised(people, hidden)


def test_the_answer_is_due_today_at_the_earliest(people, finding):
    today = timezone.localdate()
    assert concerns.raise_concern(people["officer"], f.party("RUS"), [finding], "Why?", today).answer_due == today
    with pytest.raises(ValidationError) as refused:
        concerns.raise_concern(people["officer"], f.party("RUS"), [finding], "Why?", today - datetime.timedelta(days=1))
    assert list(refused.value.message_dict) == ["answer_due"]


def test_a_concern_without_question_or_findings_is_refused_naming_the_field(people, finding):
    due = timezone.localdate()
    with pytest.raises(ValidationError) as refused:
        concerns.raise_concern(people["officer"], f.party("RUS"), [finding], "  ", due)
    assert list(refused.value.message_dict) == ["question"]
    with pytest.raises(ValidationError) as refused:
        concerns.raise_concern(people["officer"], f.party("RUS"), [], "Why?", due)
    assert list(refused.value.message_dict) == ["findings"]


def test_the_party_raised_against_answers_with_a_document(people, finding):
    concern = answered(people, finding)
    concern.refresh_from_db()
    assert concern.state == ConcernState.ANSWERED
    step = concern.steps.get(kind="answer")
    assert (step.party.code, step.made_by) == ("RUS", people["answerer"])
    attachment = step.attachments.get()
    assert (attachment.name, attachment.media_type, attachment.size) == ("note.pdf", "application/pdf", len(PDF))


@pytest.mark.parametrize("who", ["officer", "monitor", "rus monitor", "third", "analyst"])
def test_only_an_officer_of_the_party_raised_against_answers(people, finding, who):
    concern = raised(people, finding)
    with pytest.raises(PermissionDenied, match="answered by an officer of RUS"):
        concerns.answer(people[who], concern, "An answer")
    assert concern.steps.count() == 1


def test_a_document_of_an_unknown_kind_leaves_no_answer_behind(people, finding):
    concern = raised(people, finding)
    with pytest.raises(ValidationError, match="none of the media types"):
        concerns.answer(people["answerer"], concern, "See attached", [("tool.pdf", [b"MZ\x90\x00"])])
    concern.refresh_from_db()
    assert concern.state == ConcernState.RAISED
    assert not ConcernStep.objects.filter(kind="answer").exists()


def test_accepting_the_answer_explains_the_findings(people, finding):
    concern = answered(people, finding)
    concerns.accept(people["monitor"], concern)
    concern.refresh_from_db()
    finding.refresh_from_db()
    assert (concern.state, finding.state) == (ConcernState.ACCEPTED, FindingState.EXPLAINED)
    entry = AlertEntry.objects.get(event=Event.FINDING_STATE)
    assert (entry.finding, entry.summary["state"]) == (finding, "explained")


def test_disputing_the_answer_marks_the_findings_disputed_and_the_other_party_may_answer_again(people, finding):
    concern = answered(people, finding)
    concerns.dispute(people["officer"], concern, "The training area was empty on the day")
    finding.refresh_from_db()
    assert finding.state == FindingState.DISPUTED
    concerns.answer(people["answerer"], concern, "A second answer")
    concern.refresh_from_db()
    assert concern.state == ConcernState.ANSWERED


@pytest.mark.parametrize("step", ["accept", "dispute"])
def test_only_the_raising_party_accepts_or_disputes(people, finding, step):
    concern = answered(people, finding)
    for who in ("answerer", "third", "analyst"):
        with pytest.raises(PermissionDenied):
            getattr(concerns, step)(people[who], concern, "so")


@pytest.mark.parametrize("step", ["accept", "dispute", "refer"])
def test_nothing_but_an_answer_or_a_closing_follows_a_raised_concern(people, finding, step):
    concern = raised(people, finding)
    with pytest.raises(WrongState, match="UKR-C1 is raised, awaiting the answer"):
        getattr(concerns, step)(people["officer"], concern, "so")


def test_an_answered_concern_is_not_answered_again(people, finding):
    concern = answered(people, finding)
    with pytest.raises(WrongState):
        concerns.answer(people["answerer"], concern, "Again")


@pytest.mark.parametrize("who", ["officer", "answerer"])
def test_either_party_refers_a_disputed_concern_to_the_consultative_body(people, finding, who):
    concern = answered(people, finding)
    concerns.dispute(people["officer"], concern, "No")
    step = concerns.refer(people[who], concern, "For the Joint Consultative Group")
    concern.refresh_from_db()
    assert concern.state == ConcernState.REFERRED
    assert step.party.code == {"officer": "UKR", "answerer": "RUS"}[who]


def test_a_third_party_refers_nothing(people, finding):
    concern = answered(people, finding)
    with pytest.raises(PermissionDenied):
        concerns.refer(people["third"], concern, "Mine too")


def test_the_raising_party_closes_with_an_outcome_and_nothing_follows(people, finding):
    concern = answered(people, finding)
    with pytest.raises(ValidationError) as refused:
        concerns.close(people["officer"], concern, " ")
    assert list(refused.value.message_dict) == ["outcome"]
    concerns.close(people["officer"], concern, "Withdrawn after the answer")
    concern.refresh_from_db()
    assert (concern.state, concern.outcome) == (ConcernState.CLOSED, "Withdrawn after the answer")
    with pytest.raises(WrongState):
        concerns.close(people["officer"], concern, "Again")


def test_the_party_raised_against_closes_only_once_referred(people, finding):
    concern = answered(people, finding)
    with pytest.raises(PermissionDenied):
        concerns.close(people["answerer"], concern, "Done")
    concerns.refer(people["answerer"], concern, "To the JCG")
    concerns.close(people["answerer"], concern, "The JCG took note")
    assert Concern.objects.get().state == ConcernState.CLOSED


def test_every_step_writes_one_alert_entry(people, finding):
    concern = answered(people, finding)
    concerns.dispute(people["officer"], concern, "No")
    concerns.refer(people["officer"], concern, "JCG")
    concerns.close(people["officer"], concern, "Agreed at the JCG")
    assert list(
        AlertEntry.objects.filter(event=Event.CONCERN_STEP).order_by("id").values_list("summary__step", flat=True)
    ) == ["raise", "answer", "dispute", "refer", "close"]


def test_next_steps_are_those_the_user_may_take_now(people, finding):
    concern = answered(people, finding)
    concern.refresh_from_db()
    assert concerns.next_steps(people["officer"], concern) == ["accept", "dispute", "refer", "close"]
    assert concerns.next_steps(people["answerer"], concern) == ["refer"]
    assert concerns.next_steps(people["third"], concern) == []


def sql(statement: str, params: list) -> None:
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement, params)


def test_the_database_keeps_every_step_as_it_was_made(people, finding):
    concern = answered(people, finding)
    step = concern.steps.get(kind="answer")
    sql("UPDATE tracker_concernstep SET text = 'Another answer' WHERE id = %s", [step.pk])
    sql("DELETE FROM tracker_concernstep WHERE id = %s", [step.pk])
    attachment = StepAttachment.objects.get()
    sql("UPDATE tracker_stepattachment SET name = 'other.pdf' WHERE id = %s", [attachment.pk])
    sql("DELETE FROM tracker_stepattachment WHERE id = %s", [attachment.pk])
    sql("UPDATE tracker_concern SET question = 'Something else' WHERE id = %s", [concern.pk])
    sql("DELETE FROM tracker_concern WHERE id = %s", [concern.pk])
    assert ConcernStep.objects.get(pk=step.pk).text == "On exercise at the training area"


def test_the_database_lets_only_the_state_and_outcome_of_a_concern_change(people, finding):
    concern = raised(people, finding)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE tracker_concern SET state = 'closed', outcome = 'x' WHERE id = %s", [concern.pk])
    assert Concern.objects.get().state == "closed"


def test_the_application_role_is_the_one_refused(people, finding):
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        assert cursor.fetchone()[0] == "tracker"
