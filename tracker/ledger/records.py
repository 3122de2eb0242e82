"""Each kind of record the ledger accepts, as its canonical JSON object (docs/ledger.md, "Records").

A record holds what its author states and nothing the tracker adds: no status, no moment of acceptance (the
ledger entry keeps that), no database key. It names what it refers to by the parties' own stable codes and
references: a party by its ISO code, an object of verification by its record number, a site by its code, a
category by its code and an equipment type by its name. Lists are in a fixed order, so the same record always
makes the same bytes. Written notifications (CFE Art. XVII), signed reports and the escort's countersignature
with its comments (Protocol on Inspection, Section XII.1) and the steps of a concern (Art. XIII.3, XVI.2) are
the records.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import Model

from tracker.ledger.canonical import canonical, sha256_hex
from tracker.models import (
    ConcernStep,
    Holding,
    Inspection,
    LedgerEntry,
    Notification,
    RecordType,
    StateParty,
    StepKind,
)

LINE_RELATED = ("object_of_verification", "site", "category", "equipment_type")


def moment(value: datetime.datetime | None) -> str | None:
    """A moment in UTC to the microsecond, always in the same form."""
    return None if value is None else value.astimezone(datetime.UTC).isoformat(timespec="microseconds")


def day(value: datetime.date | None) -> str | None:
    return None if value is None else value.isoformat()


@dataclass
class Record:
    """A record as the ledger takes it: its type, its reference, its author's party, the row it is, its body."""

    type: RecordType
    reference: str
    party: StateParty
    row: Model
    body: dict = field(repr=False)

    @cached_property
    def canonical(self) -> bytes:
        return canonical(self.body)

    @cached_property
    def sha256(self) -> str:
        return sha256_hex(self.canonical)

    @property
    def row_field(self) -> str:
        return {
            RecordType.NOTIFICATION: "notification",
            RecordType.REPORT: "inspection",
            RecordType.COUNTERSIGNATURE: "inspection",
            RecordType.CONCERN_STEP: "concern_step",
        }[self.type]


def notification_line(
    object_of_verification: str, site: str, category: str, equipment_type: str | None, status: str, quantity: int
) -> dict:
    """One line of a notification, by the codes and names it declares."""
    return {
        "object_of_verification": object_of_verification,
        "site": site,
        "category": category,
        "equipment_type": equipment_type,
        "status": status,
        "quantity": quantity,
    }


def notification_record(notification: Notification, lines: Iterable[dict]) -> Record:
    """The record of ``notification`` (its party and the notification it supersedes read along) with ``lines``."""
    body = {
        "type": RecordType.NOTIFICATION.value,
        "reference": notification.reference,
        "party": notification.party.code,
        "kind": notification.kind,
        "effective_date": day(notification.effective_date),
        "supersedes": notification.supersedes.reference if notification.supersedes_id else None,
        "remarks": notification.remarks,
        "lines": sorted(
            lines,
            key=lambda line: (
                line["object_of_verification"],
                line["category"],
                line["equipment_type"] or "",
                line["status"],
            ),
        ),
    }
    return Record(RecordType.NOTIFICATION, notification.reference, notification.party, notification, body)


def of_notification(notification: Notification, lines: Iterable[Holding] | None = None) -> Record:
    """A notification or correction with every line, as its officer submits it; ``lines`` are its lines when
    the caller has read them already, with what they name (an export reads many notifications' at once)."""
    if lines is None:
        lines = notification.holdings.select_related(*LINE_RELATED)
    return notification_record(
        notification,
        (
            notification_line(
                line.object_of_verification.record_number,
                line.site.code,
                line.category.code,
                line.equipment_type.name if line.equipment_type_id else None,
                line.status,
                line.quantity,
            )
            for line in lines
        ),
    )


def _attachments(attachments) -> list[dict]:
    return sorted(
        (
            {"name": a.name, "media_type": a.media_type, "sha256": a.sha256, "size": a.size}
            | ({"caption": a.caption} if hasattr(a, "caption") else {})
            for a in attachments
        ),
        key=lambda a: (a["sha256"], a["name"]),
    )


def of_report(report: Inspection) -> Record:
    """An inspection report as its team leader signs it (Protocol on Inspection, Section XII.1(A))."""
    body = {
        "type": RecordType.REPORT.value,
        "reference": report.reference,
        "inspecting_party": report.inspecting_party.code,
        "inspected_party": report.inspected_party.code,
        "kind": report.kind,
        "date": day(report.date),
        "arrived_at": moment(report.arrived_at),
        "departed_at": moment(report.departed_at),
        "team": [name.strip() for name in report.team.splitlines() if name.strip()],
        "site": report.site.code if report.site_id else None,
        "area": report.area.wkt if report.area else None,
        "request": report.request.reference if report.request_id else None,
        "ambiguities": report.ambiguities,
        "observed": {f.category.code: f.observed for f in report.findings.select_related("category")},
        "attachments": _attachments(report.attachments.all()),
    }
    return Record(RecordType.REPORT, report.reference, report.inspecting_party, report, body)


def of_countersignature(report: Inspection) -> Record:
    """The escort's countersignature with its comments (XII.1(B)), bound to the signed report by its hash."""
    body = {
        "type": RecordType.COUNTERSIGNATURE.value,
        "report": report.reference,
        "report_sha256": of_report(report).sha256,
        "comments": report.escort_comments,
    }
    return Record(RecordType.COUNTERSIGNATURE, report.reference, report.inspected_party, report, body)


def concern_step_body(step: ConcernStep, attachments: Iterable, findings: Iterable[str] = ()) -> dict:
    """A step of a concern as its record holds it; ``attachments`` and, for the raising step, the keys of its
    ``findings`` are given apart, so a step not yet taken reads as it will be recorded."""
    concern = step.concern
    body = {
        "type": RecordType.CONCERN_STEP.value,
        "step": step.kind,
        "party": step.party.code,
        "text": step.text,
        "attachments": _attachments(attachments),
    }
    if step.kind == StepKind.RAISE:
        body |= {
            "raised_against": concern.raised_against.code,
            "answer_due": day(concern.answer_due),
            "findings": sorted(findings),
        }
    else:
        body["concern"] = concern.reference
    return body


def of_concern_step(step: ConcernStep) -> Record:
    """A step of a concern; the raising step carries what the concern asks of whom, about which findings."""
    findings = step.concern.findings.values_list("key", flat=True) if step.kind == StepKind.RAISE else ()
    body = concern_step_body(step, step.attachments.all(), findings)
    return Record(RecordType.CONCERN_STEP, f"{step.concern.reference}#{step.pk}", step.party, step, body)


def of_entry(entry: LedgerEntry, lines: Iterable[Holding] | None = None) -> Record:
    """The record a ledger entry names, serialised now from the live tables (a notification's ``lines`` as
    ``of_notification`` takes them)."""
    if entry.record_type == RecordType.NOTIFICATION:
        return of_notification(entry.notification, lines)
    if entry.record_type == RecordType.REPORT:
        return of_report(entry.inspection)
    if entry.record_type == RecordType.COUNTERSIGNATURE:
        return of_countersignature(entry.inspection)
    return of_concern_step(entry.concern_step)
