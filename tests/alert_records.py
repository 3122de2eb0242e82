"""Findings, concerns and alert entries made directly, as the findings register and the concerns process write them."""

import datetime
from itertools import count

from django.utils import timezone

from tracker.alerts import issue_token
from tracker.models import AlertEntry, Concern, ConcernState, ConcernStep, Event, Finding, StepKind, Subscription

_serial = count(1)
DAY = datetime.date(2026, 3, 2)


def finding(kind: str = "ceiling_exceeded", grade: str = "breach", party: str = "UKR", zone: str = "IV.1", **evidence):
    return Finding.objects.create(
        key=f"{kind}|{party}|{zone}|{next(_serial)}",
        kind=kind,
        grade=grade,
        party=party,
        zone=zone,
        first_seen=DAY,
        last_seen=DAY,
        evidence=evidence,
    )


def entry(found: Finding, event: str = Event.FINDING_NEW, title: str | None = None) -> AlertEntry:
    return AlertEntry.objects.create(
        event=event,
        finding=found,
        zone=found.zone,
        party=found.party,
        kind=found.kind,
        grade=found.grade,
        title=title or f"New finding: {found.kind} by {found.party} in {found.zone}",
        summary={"first_seen": found.first_seen.isoformat()},
    )


def concern_entry(raised_by, raised_against, state: str = "raised") -> AlertEntry:
    concern = Concern.objects.create(
        reference=f"C-{next(_serial)}",
        raised_by=raised_by,
        raised_against=raised_against,
        question="Where were the 12 tanks seen at the depot declared?",
        answer_due=DAY + datetime.timedelta(days=30),
        state=state,
    )
    if state == ConcernState.REFERRED:  # every party reads a concern once a step refers it (CFE Art. XVI)
        ConcernStep.objects.create(
            concern=concern, kind=StepKind.REFER, party=raised_by, made_at=timezone.now(), text="to the JCG"
        )
    return AlertEntry.objects.create(
        event=Event.CONCERN_STEP,
        concern=concern,
        party=raised_against.code,
        title=f"Concern {concern.reference} raised by {raised_by.code} with {raised_against.code}",
    )


def subscription(user, name: str = "everything", **filters) -> tuple[Subscription, str]:
    """A subscription of ``user``'s and its feed token."""
    subscription = Subscription(user=user, name=name, **filters)
    token = issue_token(subscription)
    subscription.save()
    return subscription, token
