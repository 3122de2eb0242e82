"""The audit trail (pghistory's events) can be read, never rewritten: not in the admin, not by raw SQL."""

import datetime

import pghistory.models
import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.db import ProgrammingError, connection, transaction
from django.urls import reverse
from pghistory import config

from tests import factories
from tracker.database_roles import as_owner
from tracker.models import Notification

EVENT_MODELS = sorted(
    (model for model in apps.get_models() if issubclass(model, pghistory.models.Event)), key=lambda m: m._meta.label
)


@pytest.fixture
def audited():
    ukr = factories.party("UKR")
    site = factories.site(ukr, code="DEPOT")
    return factories.notification(ukr, datetime.date(2026, 1, 1), [(site, "tanks", 10)])


def test_every_tracked_model_has_an_append_only_event_table():
    tables = {model._meta.db_table for model in EVENT_MODELS}
    assert {"tracker_notificationevent", "tracker_holdingevent", "zones_zoneversionevent"} <= tables
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT event_object_table FROM information_schema.triggers WHERE trigger_name LIKE %s",
            ["pgtrigger_append_only%"],
        )
        protected = {row[0] for row in cursor.fetchall()}
    assert tables <= protected


@pytest.mark.parametrize("statement", ["UPDATE {table} SET pgh_label = 'forged'", "DELETE FROM {table}"])
def test_raw_sql_cannot_rewrite_or_erase_events(audited, statement):
    event = Notification.pgh_event_model.objects.filter(pgh_obj=audited).first()
    assert event is not None
    table = Notification.pgh_event_model._meta.db_table
    # The application's role has no such privilege; the table's trigger refuses its owner too.
    with pytest.raises(ProgrammingError, match="permission denied for table"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(statement.format(table=table))
    assert Notification.pgh_event_model.objects.filter(pgh_obj=audited).count() >= 2


@pytest.mark.django_db(transaction=True)
def test_not_even_the_tables_owner_can_rewrite_events_by_raw_sql(audited):
    table = Notification.pgh_event_model._meta.db_table
    with as_owner(), pytest.raises(ProgrammingError, match="Cannot update or delete rows"):
        with connection.cursor() as cursor:
            cursor.execute(f"UPDATE {table} SET pgh_label = 'forged'")


def test_the_admin_shows_events_but_offers_no_way_to_change_them(client, audited):
    factories.sign_in(client, User.objects.create_superuser("root", password="x"))
    events = config.admin_queryset().model
    changelist = reverse(f"admin:{events._meta.app_label}_{events._meta.model_name}_changelist")
    count = events.objects.count()
    assert count > 0
    assert client.get(changelist).status_code == 200
    assert client.get(reverse(f"admin:{events._meta.app_label}_{events._meta.model_name}_add")).status_code == 403
    for model in EVENT_MODELS:
        assert client.get(f"/admin/{model._meta.app_label}/{model._meta.model_name}/").status_code == 404
    client.post(changelist, {"action": "delete_selected", "_selected_action": ["1"], "post": "yes"})
    assert events.objects.count() == count
