from tracker.models.audit import AuditEvent
from tracker.models.declarations import Holding, HoldingStatus, Notification, NotificationKind, NotificationStatus, Site
from tracker.models.idempotency import IdempotencyKey
from tracker.models.inspections import Inspection, InspectionFinding, InspectionKind
from tracker.models.membership import SiteZones, ZoneSet, ZoneTotal
from tracker.models.observations import Observation
from tracker.models.parties import Accreditation, PartyGroup, StateParty
from tracker.models.runs import ComplianceRun, RecordedBreach
from tracker.models.treaties import AppliesTo, Ceiling, Counting, EquipmentCategory, Treaty

__all__ = [
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
