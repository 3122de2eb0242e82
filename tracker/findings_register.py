"""The register of findings: each finding the engine computes kept under its identity from the day it was
first seen to the day it was resolved, with its grade (CFE Art. XIII.3; Protocol on Inspection, Sections
VI.38 and VII.11: an indicator is to be clarified, a breach is a limit exceeded or a deadline missed) and
its state, and an alert entry for every finding that appears, is resolved, or changes state.

``refresh(as_of)`` brings the register to a day, days only going forward: a finding not found on a later
day is resolved on that day; found again, it reopens. Running it twice for one day changes nothing the
second time. A finding last seen on the very day of a repeated refresh that no longer finds it (its data
were corrected that day) stays open until the first later day's refresh, which resolves it: a finding is
resolved only on a day after it was last seen.
"""

import datetime
import json
from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models import Max, Q, QuerySet
from django.db.models.fields.json import KT

from tracker import alerts, compliance
from tracker.compliance import Breach
from tracker.compliance.breach import NAMED_RECORDS
from tracker.models import AlertEntry, Event, Finding, FindingState, parties

# What a finding says that may change from one day to the next while its identity stays.
FIGURES = ["zone", "party", "category", "treaty", "limit", "counted", "excess", "evidence", "geometry"]
# The states parties' concerns give a finding; ``resolved`` follows from the engine alone.
SETTABLE_STATES = {FindingState.OPEN, FindingState.EXPLAINED, FindingState.DISPUTED}


class RegisterBehind(ValueError):
    """A refresh for a day before the register's latest: the register does not go back in time."""

    def __init__(self, as_of: datetime.date, latest: datetime.date):
        self.reason = f"{as_of} is before {latest}, the latest day of the findings register"
        super().__init__(f"as_of: {self.reason}")


def latest_day() -> datetime.date | None:
    """The latest day the register was brought to: the last day a finding was seen or resolved."""
    days = Finding.objects.aggregate(seen=Max("last_seen"), resolved=Max("resolved_on"))
    known = [day for day in days.values() if day is not None]
    return max(known) if known else None


@transaction.atomic
def refresh(as_of: datetime.date, breaches: list[Breach] | None = None) -> list[AlertEntry]:
    """Bring the register to ``as_of`` with ``breaches`` (those ``evaluate(as_of)`` finds unless given);
    the alert entries written, one per finding new, found again after it was resolved, or resolved."""
    with connection.cursor() as cursor:
        # One refresh at a time: two at once would both take the same key for new.
        cursor.execute("LOCK TABLE tracker_finding IN SHARE ROW EXCLUSIVE MODE")
    latest = latest_day()
    if latest is not None and as_of < latest:
        raise RegisterBehind(as_of, latest)
    if breaches is None:
        breaches = compliance.evaluate(as_of)
    found = {breach.identity: breach for breach in breaches}
    known = {finding.key: finding for finding in Finding.objects.filter(Q(key__in=found) | Q(resolved_on__isnull=True))}

    new = [_finding(breach, as_of) for key, breach in found.items() if key not in known]
    Finding.objects.bulk_create(new)
    reopened, still = [], []
    for key, breach in found.items():
        finding = known.get(key)
        if finding is None:
            continue
        _take_figures(finding, breach, as_of)
        if finding.resolved_on is not None:
            finding.resolved_on, finding.state = None, FindingState.OPEN
            reopened.append(finding)
        still.append(finding)
    Finding.objects.bulk_update(still, [*FIGURES, "last_seen", "resolved_on", "state"])
    resolved = [
        finding
        for key, finding in known.items()
        if key not in found and finding.resolved_on is None and finding.last_seen < as_of
    ]
    Finding.objects.filter(pk__in=[finding.pk for finding in resolved]).update(
        resolved_on=as_of, state=FindingState.RESOLVED
    )
    for finding in resolved:
        finding.resolved_on, finding.state = as_of, FindingState.RESOLVED

    entries = [
        *(_entry(finding, Event.FINDING_NEW, title(finding)) for finding in [*new, *reopened]),
        *(_entry(finding, Event.FINDING_RESOLVED, f"resolved: {title(finding)}") for finding in resolved),
    ]
    return published(AlertEntry.objects.bulk_create(entries))


@transaction.atomic
def set_state(findings: Iterable[Finding], state: str, why: str) -> list[AlertEntry]:
    """Give ``findings`` the state ``state`` (open, explained or disputed) for the reason ``why``; the alert
    entries written, one per finding whose state changed. A resolved finding keeps its state: it is no
    longer found, whatever was said of it."""
    if state not in SETTABLE_STATES:
        raise ValueError(f"state: {state!r} is not one of {', '.join(sorted(SETTABLE_STATES))}")
    if not why.strip():
        raise ValueError("why: a change of state says why")
    ids = [finding.pk for finding in findings]
    changing = list(
        Finding.objects.select_for_update()
        .filter(pk__in=ids)
        .exclude(state__in=[state, FindingState.RESOLVED])
        .order_by("pk")
    )
    Finding.objects.filter(pk__in=[finding.pk for finding in changing]).update(state=state)
    entries = []
    for finding in changing:
        before, finding.state = finding.state, state
        entries.append(_entry(finding, Event.FINDING_STATE, f"{state}: {title(finding)}", {"from": before, "why": why}))
    return published(AlertEntry.objects.bulk_create(entries))


def published(entries: list[AlertEntry]) -> list[AlertEntry]:
    """Entries just written, queued for the webhooks that hear of them in the same transaction."""
    alerts.enqueue(entries)
    return entries


def title(finding: Finding) -> str:
    """One line: ``ceiling_exceeded: RUS tanks in BORDER-RUS, 160 > 150``."""
    what = " ".join(part for part in (finding.party, finding.category) if part)
    if finding.zone:
        what = f"{what} in {finding.zone}" if what else finding.zone
    figures = ""
    if finding.counted is not None and finding.limit is not None:
        sign = ">" if finding.counted > finding.limit else "<" if finding.counted < finding.limit else "="
        figures = f"{finding.counted} {sign} {finding.limit}"
    return (
        f"{finding.kind}: " + ", ".join(part for part in (what, figures) if part) if what or figures else finding.kind
    )


def summary(finding: Finding) -> dict:
    """What an alert says of a finding, JSON-ready."""
    return {
        "key": finding.key,
        "kind": finding.kind,
        "grade": finding.grade,
        "state": finding.state,
        "zone": finding.zone or None,
        "party": finding.party or None,
        "category": finding.category or None,
        "treaty": finding.treaty or None,
        "limit": finding.limit,
        "counted": finding.counted,
        "excess": finding.excess,
        "first_seen": finding.first_seen.isoformat(),
        "last_seen": finding.last_seen.isoformat(),
        "resolved_on": finding.resolved_on.isoformat() if finding.resolved_on else None,
        "evidence": finding.evidence,
    }


def _finding(breach: Breach, as_of: datetime.date) -> Finding:
    finding = Finding(key=breach.identity, kind=breach.kind, grade=breach.grade, first_seen=as_of)
    _take_figures(finding, breach, as_of)
    return finding


def _take_figures(finding: Finding, breach: Breach, as_of: datetime.date) -> None:
    finding.zone, finding.party = breach.zone or "", breach.party or ""
    finding.category, finding.treaty = breach.category or "", breach.treaty or ""
    finding.limit, finding.counted, finding.excess = breach.limit, breach.counted, breach.excess
    # Evidence may hold dates and decimals: kept as the JSON the API serves.
    finding.evidence = json.loads(json.dumps(breach.evidence, default=str))
    finding.geometry = breach.geometry
    finding.last_seen = as_of


def _entry(finding: Finding, event: str, heading: str, extra: dict | None = None) -> AlertEntry:
    return AlertEntry(
        event=event,
        finding=finding,
        zone=finding.zone,
        party=finding.party,
        kind=finding.kind,
        grade=finding.grade,
        title=heading[:300],
        summary={**summary(finding), **(extra or {})},
    )


def readable(findings: QuerySet[Finding], user) -> QuerySet[Finding]:
    """The findings ``user`` may read: as ``compliance.readable_by``, none whose evidence names an inspection
    report, an inspection request or a concern hidden from them."""
    found = parties.readable(findings, user)
    for key, model in NAMED_RECORDS.items():
        named = f"named_{key}"
        found = found.alias(**{named: KT(f"evidence__{key}")}).exclude(
            Q(**{f"{named}__isnull": False})
            & ~Q(**{f"{named}__in": model.objects.visible_to(user).values("reference")})
        )
    return found


def states_of(breaches: Iterable[Breach]) -> dict[str, str]:
    """The register's state of each of ``breaches`` it holds, by identity."""
    keys = [breach.identity for breach in breaches]
    return dict(Finding.objects.filter(key__in=keys).values_list("key", "state")) if keys else {}
