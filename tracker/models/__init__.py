from tracker.models.audit import AuditEvent
from tracker.models.declarations import (
    Holding,
    HoldingStatus,
    Notification,
    NotificationKind,
    NotificationStatus,
    ObjectOfVerification,
    Site,
)
from tracker.models.idempotency import IdempotencyKey
from tracker.models.inspection_requests import Answer, InspectionRequest, PassiveQuota, PlannedInspection
from tracker.models.inspections import Inspection, InspectionFinding, InspectionKind, ReportAttachment, ReportStatus
from tracker.models.membership import SiteZones, ZoneSet, ZoneTotal
from tracker.models.observations import Observation
from tracker.models.parties import Accreditation, GroupMembership, Holiday, PartyGroup, StateParty
from tracker.models.runs import ComplianceRun, RecordedBreach
from tracker.models.treaties import (
    AppliesTo,
    Ceiling,
    ChangeThreshold,
    Counting,
    DayCount,
    DistanceRule,
    EquipmentCategory,
    EquipmentType,
    Rounding,
    Subtype,
    Treaty,
)

__all__ = [
    "Answer",
    "InspectionRequest",
    "PassiveQuota",
    "PlannedInspection",
    "ReportAttachment",
    "ReportStatus",
    "Rounding",
    "Subtype",
    "EquipmentType",
    "DistanceRule",
    "DayCount",
    "ChangeThreshold",
    "Holiday",
    "GroupMembership",
    "ObjectOfVerification",
    "Accreditation",
    "AuditEvent",
    "AppliesTo",
    "Ceiling",
    "ComplianceRun",
    "Counting",
    "EquipmentCategory",
    "Holding",
    "IdempotencyKey",
    "HoldingStatus",
    "Inspection",
    "InspectionFinding",
    "InspectionKind",
    "Notification",
    "NotificationKind",
    "NotificationStatus",
    "Observation",
    "PartyGroup",
    "RecordedBreach",
    "Site",
    "SiteZones",
    "StateParty",
    "Treaty",
    "ZoneSet",
    "ZoneTotal",
]
