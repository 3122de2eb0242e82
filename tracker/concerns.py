"""The concerns process: a party asks another about findings, the other answers, the asking party accepts,
disputes or refers the question to the consultative body, and the concern is closed with an outcome.

- Raised by an officer of a party, or a monitor on its behalf, against another party, on findings about
  that party (each State Party is responsible for its own information, and receiving it implies no
  acceptance of it: CFE Art. XIII.3), with a question and the day the answer is due. Asking another party
  directly is a channel besides the Joint Consultative Group (Art. XVI.6).
- Answered by an officer of the party raised against, with text and documents, while it is raised or
  disputed.
- Accepted (its findings become ``explained``) or disputed (``disputed``) by the raising party, after an
  answer.
- Referred by either party, after an answer or a dispute, to the Joint Consultative Group, where States
  Parties address questions of compliance and matters of dispute (Art. XVI.2(A), (I); XVI.3); the JCG is
  every State Party, so a referred concern is every party's to read (``Concern.objects.visible_to``).
- Closed with an outcome by the raising party, or by either party once referred.

Each step is one ConcernStep (dated, attributed, for a party, signed by whoever takes it: docs/ledger.md), the
concern's state, one ledger entry and one AlertEntry; all in one transaction. The database refuses to change or delete a step, or what a concern asks.
Refusals: PermissionDenied (not this user's step), ``WrongState`` (not in this state), ValidationError
naming the field (bad input).
"""

import datetime
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tracker import alerts, attachments, findings_register
from tracker.dates import implausibility
from tracker.ledger import book, records
from tracker.ledger.book import Signed
from tracker.ledger.canonical import canonical
from tracker.models import (
    Concern,
    ConcernState,
    ConcernStep,
    Finding,
    FindingState,
    StateParty,
    StepAttachment,
    StepKind,
)
from tracker.models.alerts import AlertEntry, Event
from tracker.models.parties import party_of
from tracker.roles import may_answer_concern, may_raise_concern
from tracker.steps import WrongState

Uploads = Iterable[tuple[str, Iterable[bytes]]]

# The states each step may follow, and the state it leaves the concern in.
FOLLOWS = {
    StepKind.ANSWER: ({ConcernState.RAISED, ConcernState.DISPUTED}, ConcernState.ANSWERED),
    StepKind.ACCEPT: ({ConcernState.ANSWERED}, ConcernState.ACCEPTED),
    StepKind.DISPUTE: ({ConcernState.ANSWERED}, ConcernState.DISPUTED),
    StepKind.REFER: ({ConcernState.ANSWERED, ConcernState.DISPUTED}, ConcernState.REFERRED),
    StepKind.CLOSE: (set(ConcernState) - {ConcernState.CLOSED}, ConcernState.CLOSED),
}


# Who takes each step, for the refusal of anyone else; CLOSE's second once the concern is referred.
TAKEN_BY = {
    StepKind.ANSWER: gettext_lazy("concern %(concern)s is answered by an officer of %(answering)s"),
    StepKind.ACCEPT: gettext_lazy(
        "concern %(concern)s is explanation accepted by an officer or monitor of %(raising)s"
    ),
    StepKind.DISPUTE: gettext_lazy("concern %(concern)s is disputed by an officer or monitor of %(raising)s"),
    StepKind.REFER: gettext_lazy(
        "concern %(concern)s is referred to the consultative body by an officer or monitor of %(raising)s, "
        "or an officer of %(answering)s"
    ),
    StepKind.CLOSE: gettext_lazy("concern %(concern)s is closed by an officer or monitor of %(raising)s"),
}
CLOSED_ONCE_REFERRED_BY = gettext_lazy(
    "concern %(concern)s is closed by an officer or monitor of %(raising)s, or an officer of %(answering)s"
)
# The refusal of each step in a state it does not follow (``FOLLOWS``).
OUT_OF_TURN = {
    StepKind.ANSWER: gettext_lazy(
        "concern %(concern)s is %(state)s: it is answered only when raised, awaiting the answer, disputed"
    ),
    StepKind.ACCEPT: gettext_lazy("concern %(concern)s is %(state)s: it is explanation accepted only when answered"),
    StepKind.DISPUTE: gettext_lazy("concern %(concern)s is %(state)s: it is disputed only when answered"),
    StepKind.REFER: gettext_lazy(
        "concern %(concern)s is %(state)s: it is referred to the consultative body only when answered, disputed"
    ),
    StepKind.CLOSE: gettext_lazy(
        "concern %(concern)s is %(state)s: it is closed only when raised, awaiting the answer, answered, "
        "explanation accepted, disputed, referred to the consultative body"
    ),
}

# The field of a step's text, where it is not ``text``.
STEP_TEXT = {StepKind.CLOSE: "outcome"}


def visible_findings(user) -> QuerySet:
    """The register's findings ``user`` may read."""
    return findings_register.readable(Finding.objects.all(), user)


def open_in_zone(zone_code: str, user) -> QuerySet:
    """The concerns ``user`` may read, not closed, on findings in the zone ``zone_code``."""
    in_zone = Finding.objects.filter(concerns=OuterRef("pk"), zone=zone_code)
    return (
        Concern.objects.visible_to(user)
        .exclude(state=ConcernState.CLOSED)
        .filter(Exists(in_zone))
        .select_related("raised_by", "raised_against")
        .order_by("answer_due", "reference")
    )


def next_steps(user, concern: Concern) -> list[str]:
    """The steps ``user`` may take on ``concern`` now, in the order they are offered."""
    return [kind for kind in FOLLOWS if _refusal(user, concern, kind) is None]


def _refusal(user, concern: Concern, kind: StepKind) -> Exception | None:
    raising, answering = concern.raised_by, concern.raised_against
    referred = concern.steps.filter(kind=StepKind.REFER).exists()
    allowed = {
        StepKind.ANSWER: may_answer_concern(user, answering),
        StepKind.ACCEPT: may_raise_concern(user, raising),
        StepKind.DISPUTE: may_raise_concern(user, raising),
        StepKind.REFER: may_raise_concern(user, raising) or may_answer_concern(user, answering),
        StepKind.CLOSE: may_raise_concern(user, raising) or referred and may_answer_concern(user, answering),
    }[kind]
    if not allowed:
        refusal = CLOSED_ONCE_REFERRED_BY if kind == StepKind.CLOSE and referred else TAKEN_BY[kind]
        return PermissionDenied(
            refusal % {"concern": concern.reference, "raising": raising.code, "answering": answering.code}
        )
    states = FOLLOWS[kind][0]
    if concern.state not in states:
        return WrongState(OUT_OF_TURN[kind] % {"concern": concern.reference, "state": concern.get_state_display()})
    return None


def _step(
    user, concern: Concern, kind: StepKind, party: StateParty, text: str, signed: Signed | None, uploads: Uploads = ()
) -> ConcernStep:
    step = ConcernStep.objects.create(
        concern=concern, kind=kind, party=party, made_by=user, made_at=timezone.now(), text=text
    )
    for name, chunks in uploads:
        StepAttachment.objects.create(step=step, **attachments.checked(name, chunks).fields())
    book.take(records.of_concern_step(step), user, signed, step.made_at)
    first = concern.findings.order_by("pk").first()
    # Stored, and read by every subscriber alike: in the code's own words, whatever the taker's language.
    with translation.override(None):
        title = f"Concern {concern.reference} {step.get_kind_display()} by {party.code}"
    entry = AlertEntry.objects.create(
        event=Event.CONCERN_STEP,
        concern=concern,
        step=step,
        zone=first.zone if first else "",
        party=first.party if first else "",
        kind=first.kind if first else "",
        grade=first.grade if first else "",
        title=title,
        summary={
            "reference": concern.reference,
            "step": kind,
            "party": party.code,
            "state": concern.state,
            "raised_by": concern.raised_by.code,
            "raised_against": concern.raised_against.code,
            "answer_due": concern.answer_due.isoformat(),
            "made_at": step.made_at.isoformat(),
        },
    )
    alerts.enqueue([entry])
    return step


def _locked(concern: Concern) -> Concern:
    return Concern.objects.select_for_update().select_related("raised_by", "raised_against").get(pk=concern.pk)


def _take(
    user, concern: Concern, kind: StepKind, text: str, signed: Signed | None, field: str = "text", uploads: Uploads = ()
) -> tuple[Concern, ConcernStep]:
    """Take step ``kind``: who, then when, then what (so a 403 or 409 is not hidden behind a 400);
    ``text`` is required unless the step is an acceptance."""
    concern = _locked(concern)
    party, text = _checked_step(user, concern, kind, text, field)
    concern.state = FOLLOWS[kind][1]
    Concern.objects.filter(pk=concern.pk).update(state=concern.state)
    return concern, _step(user, concern, kind, party, text, signed, uploads)


def _checked_step(user, concern: Concern, kind: StepKind, text: str, field: str) -> tuple[StateParty, str]:
    """The party ``user`` takes step ``kind`` for and its text, stripped; refused as ``_take`` says."""
    refusal = _refusal(user, concern, kind)
    if refusal is not None:
        raise refusal
    text = text.strip()
    if not text and kind != StepKind.ACCEPT:
        raise ValidationError({field: _("is required")})
    party = concern.raised_against if kind == StepKind.ANSWER else _side(user, concern)
    return party, text


def step_canonical(user, concern: Concern, kind: StepKind, text: str, uploads: Uploads = ()) -> bytes:
    """The canonical form of the step ``user`` would take with ``text`` and ``uploads``, as it would be recorded:
    what they sign (docs/ledger.md). Refused as the step itself would be; nothing is written."""
    concern = Concern.objects.select_related("raised_by", "raised_against").get(pk=concern.pk)
    party, text = _checked_step(user, concern, kind, text, STEP_TEXT.get(kind, "text"))
    step = ConcernStep(concern=concern, kind=kind, party=party, text=text)
    documents = [StepAttachment(**attachments.checked(name, chunks).fields()) for name, chunks in uploads]
    return canonical(records.concern_step_body(step, documents))


def _side(user, concern: Concern) -> StateParty:
    """The party ``user`` speaks for in ``concern``: the raising party if they may, else the other."""
    return concern.raised_by if may_raise_concern(user, concern.raised_by) else concern.raised_against


def _reference(raising: StateParty) -> str:
    StateParty.objects.select_for_update().filter(pk=raising.pk).get()  # one numbering at a time per party
    return f"{raising.code}-C{Concern.objects.filter(raised_by=raising).count() + 1}"


@transaction.atomic
def raise_concern(
    user,
    against: StateParty | None,
    findings: Iterable[Finding],
    question: str,
    answer_due: datetime.date | None,
    signed: Signed | None = None,
) -> Concern:
    """Raise a concern for ``user``'s party against ``against`` on ``findings`` (about that party)."""
    raising, found, question = _raising(user, against, findings, question, answer_due)
    concern = Concern.objects.create(
        reference=_reference(raising),
        raised_by=raising,
        raised_against=against,
        question=question,
        answer_due=answer_due,
    )
    concern.findings.set(found)
    _step(user, concern, StepKind.RAISE, raising, question, signed)
    return concern


def raising_canonical(
    user, against: StateParty | None, findings: Iterable[Finding], question: str, answer_due: datetime.date | None
) -> bytes:
    """The canonical form of the raising step of the concern ``user`` would raise (docs/ledger.md); refused as
    ``raise_concern`` would; nothing is written."""
    raising, found, question = _raising(user, against, findings, question, answer_due)
    concern = Concern(raised_by=raising, raised_against=against, question=question, answer_due=answer_due)
    step = ConcernStep(concern=concern, kind=StepKind.RAISE, party=raising, text=question)
    return canonical(records.concern_step_body(step, (), [finding.key for finding in found]))


def _raising(
    user, against: StateParty | None, findings: Iterable[Finding], question: str, answer_due: datetime.date | None
) -> tuple[StateParty, list[Finding], str]:
    """The raising party, the findings and the question (stripped) of a concern ``user`` raises; refused
    (PermissionDenied, ValidationError naming the field) otherwise."""
    raising = party_of(user)
    if raising is None or not may_raise_concern(user, raising):
        raise PermissionDenied(_("a concern is raised by an officer of a State Party, or a monitor on its behalf"))
    if against is None:
        raise ValidationError({"raised_against": _("is required")})
    if against == raising:
        raise ValidationError({"raised_against": _("a party raises a concern with another party")})
    question = question.strip()
    if not question:
        raise ValidationError({"question": _("is required")})
    if answer_due is None:
        raise ValidationError({"answer_due": _("is required")})
    if answer_due < timezone.localdate() or implausibility(answer_due):
        raise ValidationError({"answer_due": _("is today or a later day, within the plausible range")})
    wanted = {finding.pk for finding in findings}
    if not wanted:
        raise ValidationError({"findings": _("name at least one finding")})
    found = list(visible_findings(user).filter(pk__in=wanted))
    if len(found) < len(wanted):
        raise ValidationError({"findings": _("no such finding among those you may read")})
    others = sorted({finding.key for finding in found if finding.party != against.code})
    if others:
        raise ValidationError(
            {
                "findings": _("not about %(party)s: %(findings)s")
                % {"party": against.code, "findings": ", ".join(others)}
            }
        )
    return raising, found, question


@transaction.atomic
def answer(user, concern: Concern, text: str, uploads: Uploads = (), signed: Signed | None = None) -> ConcernStep:
    """The answer of the party raised against: text, and documents (``(name, chunks)`` each)."""
    return _take(user, concern, StepKind.ANSWER, text, signed, uploads=uploads)[1]


@transaction.atomic
def accept(user, concern: Concern, text: str = "", signed: Signed | None = None) -> ConcernStep:
    """The raising party accepts the answer: the concern's findings are ``explained``."""
    concern, step = _take(user, concern, StepKind.ACCEPT, text.strip(), signed)
    findings_register.set_state(
        concern.findings.exclude(state=FindingState.RESOLVED),
        FindingState.EXPLAINED,
        f"concern {concern.reference}: the explanation was accepted",
    )
    return step


@transaction.atomic
def dispute(user, concern: Concern, text: str, signed: Signed | None = None) -> ConcernStep:
    """The raising party disputes the answer, with its reasons: the concern's findings are ``disputed``."""
    concern, step = _take(user, concern, StepKind.DISPUTE, text, signed)
    findings_register.set_state(
        concern.findings.exclude(state=FindingState.RESOLVED),
        FindingState.DISPUTED,
        f"concern {concern.reference}: the answer was disputed",
    )
    return step


@transaction.atomic
def refer(user, concern: Concern, text: str, signed: Signed | None = None) -> ConcernStep:
    """Either party refers the concern to the consultative body (CFE Art. XVI.2(A), (I); XVI.3)."""
    return _take(user, concern, StepKind.REFER, text, signed)[1]


@transaction.atomic
def close(user, concern: Concern, outcome: str, signed: Signed | None = None) -> ConcernStep:
    """Close the concern with its outcome."""
    concern, step = _take(user, concern, StepKind.CLOSE, outcome, signed, field=STEP_TEXT[StepKind.CLOSE])
    Concern.objects.filter(pk=concern.pk).update(outcome=step.text)
    return step
