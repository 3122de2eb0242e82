import pghistory
from django.apps import apps
from django.conf import settings
from django.db import models
from django.db.models import BigIntegerField, Q, QuerySet
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy as _
from pghistory.models import Events

from tracker.models.concerns import Concern, ConcernStep
from tracker.models.declarations import NotificationStatus, Site
from tracker.models.inspection_requests import InspectionRequest
from tracker.models.inspections import Inspection, ReportStatus
from tracker.models.parties import party_of, readable, visible_records

# Records every party reads whole, so their history is everyone's too.
OPEN_RECORDS = ("tracker.Observation", "tracker.Ceiling", "zones.Zone", "zones.ZoneVersion")
SCOPED_RECORDS = (
    "tracker.Notification",
    "tracker.Holding",
    "tracker.Site",
    "tracker.Inspection",
    "tracker.InspectionFinding",
    "tracker.ReportAttachment",
    "tracker.InspectionRequest",
    "tracker.Concern",
    "tracker.ConcernStep",
    "tracker.StepAttachment",
)


def snapshot_id(key: str) -> Cast:
    """A foreign key as the event's snapshot of the row recorded it."""
    return Cast(KeyTextTransform(key, "pgh_data"), BigIntegerField())


class AuditEvent(Events):
    """A change to a tracked record, written by a database trigger, with the user and page it came from."""

    user = pghistory.ProxyField(
        "pgh_context__user",
        models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.DO_NOTHING, null=True, related_name="+"),
    )
    url = pghistory.ProxyField("pgh_context__url", models.TextField(null=True))

    class Meta:
        proxy = True
        verbose_name = _("audit event")
        verbose_name_plural = _("audit trail entries")


def visible_events(events: QuerySet, user) -> QuerySet:
    """The events ``user`` may read: each as the record it shows was, under the record's own rule.

    Drafting stays private: a notification's events while it was a draft, and every event of its
    lines (lines change only in drafts), are read by its own party alone, even after submission; an
    inspection report's events while it was a draft by its inspecting party alone. Its findings and
    attachments are read as the report is; a concern's steps and their attachments as the concern is.
    Records not named here are read by no party but the administrators.
    """
    party = party_of(user)
    own_sites = Site.objects.filter(party=party).values("pk")
    sites = Site.objects.visible_to(user).values("pk")
    inspections = Inspection.objects.visible_to(user).values("pk")
    requests = InspectionRequest.objects.visible_to(user).values("pk")
    concerns = Concern.objects.visible_to(user).values("pk")
    steps = ConcernStep.objects.visible_to(user).values("pk")
    rule = (
        Q(pgh_obj_model__in=OPEN_RECORDS)
        | Q(pgh_obj_model="tracker.Notification")
        & (~Q(pgh_data__status=NotificationStatus.DRAFT) | Q(pgh_data__party_id=party.pk if party else None))
        | Q(pgh_obj_model="tracker.Holding", site__in=own_sites)
        | Q(pgh_obj_model="tracker.Site", record__in=sites)
        | Q(pgh_obj_model="tracker.InspectionRequest", record__in=requests)
        | Q(pgh_obj_model="tracker.Concern", record__in=concerns)
        | Q(pgh_obj_model="tracker.ConcernStep", concern__in=concerns)
        | Q(pgh_obj_model="tracker.StepAttachment", step__in=steps)
    )
    rule |= Q(pgh_obj_model="tracker.Inspection", record__in=inspections) & (
        ~Q(pgh_data__status=ReportStatus.DRAFT) | Q(pgh_data__inspecting_party_id=party.pk if party else None)
    )
    rule |= Q(pgh_obj_model__in=["tracker.InspectionFinding", "tracker.ReportAttachment"], inspection__in=inspections)
    events = events.alias(
        record=Cast("pgh_obj_id", BigIntegerField()),
        site=snapshot_id("site_id"),
        inspection=snapshot_id("inspection_id"),
        concern=snapshot_id("concern_id"),
        step=snapshot_id("step_id"),
    )
    return readable(events, user, rule)


def audited_record(label: str, pk: str, user) -> models.Model | None:
    """The tracked record ``label:pk`` if ``user`` may read it; None for anything else, however malformed."""
    if label not in OPEN_RECORDS + SCOPED_RECORDS or not pk.isdigit() or len(pk) > 18:
        return None
    return visible_records(apps.get_model(label), user).filter(pk=int(pk)).first()
