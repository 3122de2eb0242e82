"""An inspection report's workflow (Protocol on Inspection, Section XII; VI.39): the team drafts it, its leader
signs it and so hands it to the escort (XII.1(A), XII.2), the escort countersigns it with its comments
(XII.1(B)), and the inspection is complete (VI.39). Signed, the database refuses every change but the
countersignature; countersigned, any change at all. The signed report and the countersignature each join the ledger, signed by
their maker's key (docs/ledger.md).

Photographs and documents go with the report while it is a draft (VI.38), their SHA-256 computed here
and checked again by the database. The admin and the API both write through these functions.
"""

import copy
import datetime
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tracker import attachments
from tracker.ledger import book, records
from tracker.ledger.book import Signed
from tracker.models import Inspection, ReportAttachment, ReportStatus
from tracker.roles import may_escort, may_report_inspection
from tracker.steps import WrongState


def _locked(report: Inspection) -> Inspection:
    return (
        Inspection.objects.select_for_update().select_related("inspecting_party", "inspected_party").get(pk=report.pk)
    )


@transaction.atomic
def sign(report: Inspection, user, at: datetime.datetime | None = None, signed: Signed | None = None) -> Inspection:
    """The team leader signs a draft and hands it to the escort: ``at`` is the escort's receipt, from which
    the hour to countersign runs (XII.1(B))."""
    report = _locked(report)
    if not may_report_inspection(user, report.inspecting_party):
        raise PermissionDenied(
            _(
                "report %(report)s is signed by the leader of the team of %(party)s: "
                "an inspector of the inspecting party"
            )
            % {"report": report.reference, "party": report.inspecting_party.code}
        )
    if report.status != ReportStatus.DRAFT:
        raise WrongState(
            _("report %(report)s is %(status)s: only a draft is signed")
            % {"report": report.reference, "status": report.get_status_display()}
        )
    report.status, report.signed_by, report.signed_at = ReportStatus.SIGNED, user, at or timezone.now()
    report.save(update_fields=["status", "signed_by", "signed_at"])
    book.take(records.of_report(report), user, signed, report.signed_at)
    return report


@transaction.atomic
def countersign(
    report: Inspection, user, comments: str = "", at: datetime.datetime | None = None, signed: Signed | None = None
) -> Inspection:
    """The escort countersigns a signed report, with its written comments (XII.1(B)); the database locks it."""
    report = _locked(report)
    if not may_escort(user, report.inspected_party):
        raise PermissionDenied(
            _("report %(report)s is countersigned by the escort: an inspector of the inspected party, %(party)s")
            % {"report": report.reference, "party": report.inspected_party.code}
        )
    if report.status == ReportStatus.DRAFT:
        raise WrongState(
            _("report %(report)s is a draft: the team leader signs it first") % {"report": report.reference}
        )
    if report.status == ReportStatus.COUNTERSIGNED:
        raise WrongState(_("report %(report)s is already countersigned: it is locked") % {"report": report.reference})
    at = at or timezone.now()
    if at < report.signed_at:
        raise ValidationError(
            {
                "countersigned_at": _("is before the report was signed (%(signed_at)s)")
                % {"signed_at": report.signed_at.isoformat()}
            }
        )
    report.status, report.countersigned_by, report.countersigned_at = ReportStatus.COUNTERSIGNED, user, at
    report.escort_comments = comments.strip()
    report.save(update_fields=["status", "countersigned_by", "countersigned_at", "escort_comments"])
    book.take(records.of_countersignature(report), user, signed, report.countersigned_at)
    return report


def countersignature_canonical(report: Inspection, comments: str) -> bytes:
    """The canonical form of the escort's countersignature of ``report`` with ``comments``, as ``countersign``
    would record it: what the escort signs (docs/ledger.md). Nothing is written."""
    report = copy.copy(report)
    report.escort_comments = comments.strip()
    return records.of_countersignature(report).canonical


def refusal_to_change(report: Inspection) -> str | None:
    """Why ``report`` may no longer be edited, or None while it is a draft."""
    if report.status == ReportStatus.SIGNED:
        return _("report %(report)s is signed: only the escort's countersignature may follow") % {
            "report": report.reference
        }
    if report.status == ReportStatus.COUNTERSIGNED:
        return _("report %(report)s is countersigned: it is locked") % {"report": report.reference}
    return None


def prepared(name: str, chunks: Iterable[bytes], caption: str = "") -> ReportAttachment:
    """An attachment of the upload ``name`` (``tracker.attachments.checked``), not yet saved."""
    return ReportAttachment(**attachments.checked(name, chunks).fields(), caption=caption.strip())


def may_attach(report: Inspection, user) -> None:
    """Refuse, with the reason, an attachment to ``report`` by ``user``: drafts only, by their party's inspectors."""
    if not may_report_inspection(user, report.inspecting_party):
        raise PermissionDenied(
            _("attachments go with a report of %(party)s's inspectors only") % {"party": report.inspecting_party.code}
        )
    refusal = refusal_to_change(report)
    if refusal:
        raise WrongState(refusal)


@transaction.atomic
def attach(report: Inspection, user, name: str, chunks: Iterable[bytes], caption: str = "") -> ReportAttachment:
    """Attach a photograph or document to a draft report, with its SHA-256 and size (VI.38)."""
    report = _locked(report)
    may_attach(report, user)
    attachment = prepared(name, chunks, caption)
    attachment.inspection, attachment.attached_by = report, user
    attachment.save()
    return attachment
