"""The audit events a bulk insert writes itself are the very rows pghistory's own trigger writes.

``tracker.audit_bulk`` stands in for pghistory's insert trigger during bulk loads. Here the trigger
is left on, so the same inserted row gets both events: any change in what pghistory writes
(a column, the label, the time, the context) makes them differ.
"""

import pghistory
import pytest
from django.apps import apps
from django.db import connection
from pghistory.models import Events

from tests import factories as f
from tracker import audit_bulk
from tracker.models import Holding, Notification, ObjectOfVerification, Site


def bulk_site() -> str:
    return f"""
        INSERT INTO tracker_site (party_id, code, name, location, unit)
        SELECT {f.party("UKR").id}, 'BULK', 'Bulk depot', ST_SetSRID(ST_MakePoint(33.5, 47.25), 4326), 'brigade'
    """


def bulk_notification() -> str:
    return f"""
        INSERT INTO tracker_notification (party_id, reference, kind, effective_date, status, submitted_at, remarks)
        SELECT {f.party("UKR").id}, 'UKR-BULK', 'annual', '2026-01-01', 'draft', NULL, 'loaded'
    """


def bulk_holding() -> str:
    ukr = f.party("UKR")
    draft = f.notification(ukr, None, [], submit=False)
    held_by = ObjectOfVerification.objects.of_site(f.site(ukr))
    return f"""
        INSERT INTO tracker_holding (notification_id, object_of_verification_id, site_id, category_id, quantity, status)
        SELECT {draft.id}, {held_by.id}, {held_by.site_id}, c.id, 7, 'storage'
        FROM tracker_equipmentcategory c WHERE c.code = 'tanks'
    """


def event_rows(model) -> list[dict]:
    event = next(m for m in apps.get_models() if getattr(m, "pgh_tracked_model", None) is model)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {event._meta.db_table} ORDER BY pgh_id")
        columns = [column.name for column in cursor.description]
        return [dict(zip(columns, row)) for row in cursor]


@pytest.mark.parametrize(
    "model, statement", [(Site, bulk_site), (Notification, bulk_notification), (Holding, bulk_holding)]
)
def test_a_bulk_insert_writes_the_event_pghistorys_own_trigger_writes(model, statement):
    sql = statement()
    with pghistory.context(source="bulk load"), connection.cursor() as cursor:
        already = len(event_rows(model))
        assert audit_bulk.insert_with_events(cursor, model, sql) == 1

    written, by_trigger = event_rows(model)[already:]
    assert written.pop("pgh_id") != by_trigger.pop("pgh_id")
    assert written == by_trigger
    assert written["pgh_label"] == "insert" and written["pgh_context_id"] is not None
    shown = Events.objects.filter(pgh_obj_model=model._meta.label, pgh_obj_id=written["pgh_obj_id"])
    assert [(event.pgh_label, event.pgh_data, event.pgh_context) for event in shown] == 2 * [
        (shown[0].pgh_label, shown[0].pgh_data, {"source": "bulk load"})
    ]
