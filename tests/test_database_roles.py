"""The application's database role cannot switch off the guards on submitted records and the audit trail.

Every test here runs as the runtime role (tests/conftest.py), the one the web application connects as.
"""

import datetime

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from pghistory.models import Events

from tests import bundles, factories
from tracker.models import Holding, Notification, Site

D = datetime.date


@pytest.fixture
def submitted():
    ukr = factories.party("UKR")
    return factories.notification(ukr, D(2026, 1, 1), [(factories.site(ukr, code="DEPOT"), "tanks", 10)])


def execute(sql: str, *params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def refused(sql: str, *params) -> str:
    """Run ``sql`` and return the database's refusal; fails the test if the statement goes through."""
    with pytest.raises(DatabaseError) as refusal, transaction.atomic():
        execute(sql, *params)
    return str(refusal.value)


def ignore_every_trigger_on(*tables: str) -> None:
    """What pgtrigger.ignore() does, for every trigger of ``tables``: guards and history alike."""
    execute(
        "SELECT set_config('pgtrigger.ignore', (SELECT array_agg(tgname)::text FROM pg_trigger "
        "WHERE tgrelid = ANY(%s::regclass[]) AND NOT tgisinternal), true)",
        list(tables),
    )


def events_of(instance) -> int:
    return type(instance).pgh_event_model.objects.filter(pgh_obj=instance).count()


def test_the_application_connects_as_a_role_that_is_no_superuser_and_owns_nothing():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_user, rolsuper, rolcreatedb, rolcreaterole, rolbypassrls FROM pg_roles "
            "WHERE rolname = current_user"
        )
        assert cursor.fetchone() == (settings.DATABASE_RUNTIME_ROLE, False, False, False, False)
        cursor.execute(
            "SELECT (SELECT count(*) FROM pg_class WHERE relowner = r.oid) "
            "     + (SELECT count(*) FROM pg_proc WHERE proowner = r.oid) "
            "     + (SELECT count(*) FROM pg_namespace WHERE nspowner = r.oid) "
            "     + (SELECT count(*) FROM pg_database WHERE datdba = r.oid), "
            "  pg_has_role(r.oid, (SELECT datdba FROM pg_database WHERE datname = current_database()), 'MEMBER') "
            "FROM pg_roles r WHERE r.rolname = current_user"
        )
        assert cursor.fetchone() == (0, False)


@pytest.mark.parametrize("statement", ["UPDATE {table} SET pgh_label = 'forged'", "DELETE FROM {table}"])
def test_it_cannot_rewrite_or_erase_an_audit_event_even_with_the_triggers_ignored(submitted, statement):
    table = Notification.pgh_event_model._meta.db_table
    before = events_of(submitted)
    ignore_every_trigger_on(table)
    assert "permission denied" in refused(statement.format(table=table))
    assert "permission denied" in refused(f"TRUNCATE {table}")
    assert events_of(submitted) == before


def test_it_cannot_change_a_submitted_notification_or_its_lines_with_the_guards_ignored(submitted):
    ignore_every_trigger_on("tracker_notification", "tracker_holding")
    message = refused("UPDATE tracker_notification SET remarks = 'rewritten' WHERE id = %s", submitted.pk)
    assert "it cannot be changed or deleted" in message
    refused("UPDATE tracker_holding SET quantity = 999 WHERE notification_id = %s", submitted.pk)
    refused("DELETE FROM tracker_notification WHERE id = %s", submitted.pk)
    submitted.refresh_from_db()
    assert submitted.remarks != "rewritten"
    assert list(submitted.holdings.values_list("quantity", flat=True)) == [10]


def test_a_change_to_a_draft_or_a_site_is_recorded_even_with_the_history_triggers_ignored():
    ukr = factories.party("UKR")
    site = factories.site(ukr, code="DEPOT")
    draft = factories.notification(ukr, D(2026, 2, 1), [(site, "tanks", 3)], submit=False)
    site_events, draft_events = events_of(site), events_of(draft)
    ignore_every_trigger_on("tracker_site", "tracker_notification")
    execute("UPDATE tracker_site SET name = 'renamed' WHERE id = %s", site.pk)
    execute("UPDATE tracker_notification SET remarks = 'quietly' WHERE id = %s", draft.pk)
    assert events_of(site) == site_events + 1
    assert events_of(draft) == draft_events + 1


def test_it_cannot_switch_triggers_off_for_its_session():
    assert "permission denied" in refused("SET session_replication_role = replica")


@pytest.mark.parametrize(
    "statement",
    [
        "ALTER TABLE tracker_notification DISABLE TRIGGER ALL",
        "ALTER TABLE tracker_holdingevent DISABLE TRIGGER USER",
        "DROP TRIGGER pgtrigger_protect_submitted_notification_8a84a ON tracker_notification",
        "CREATE OR REPLACE FUNCTION public._pgtrigger_should_ignore(trigger_name NAME) RETURNS BOOLEAN "
        "AS $$ BEGIN RETURN TRUE; END; $$ LANGUAGE plpgsql",
        "TRUNCATE tracker_notification CASCADE",
    ],
)
def test_it_cannot_disable_drop_or_replace_a_guard_nor_truncate_around_one(submitted, statement):
    message = refused(statement)
    assert "must be owner" in message or "permission denied" in message
    assert Notification.objects.filter(pk=submitted.pk).exists()


def test_a_temporary_table_cannot_stand_in_for_the_one_a_guard_or_history_trigger_reads(submitted):
    site = submitted.holdings.get().site
    before = events_of(site)
    execute("CREATE TEMPORARY TABLE tracker_notification (id bigint, status text)")
    execute("CREATE TEMPORARY TABLE tracker_siteevent (LIKE public.tracker_siteevent)")
    refused("UPDATE tracker_holding SET quantity = 999 WHERE notification_id = %s", submitted.pk)
    execute("UPDATE tracker_site SET name = 'renamed' WHERE id = %s", site.pk)
    execute("DROP TABLE pg_temp.tracker_notification, pg_temp.tracker_siteevent")
    assert events_of(site) == before + 1


@pytest.mark.django_db(transaction=True)
def test_a_bundle_imported_by_the_command_records_each_event_once(tmp_path):
    call_command("import_bundle", bundles.write(tmp_path), "--no-progress", verbosity=0)
    for model in (Site, Notification, Holding):
        inserted = Events.objects.filter(pgh_model=model.pgh_event_model._meta.label, pgh_label="insert")
        assert inserted.count() == model.objects.count() > 0


@pytest.mark.django_db(transaction=True)
def test_who_made_a_change_cannot_be_rewritten_once_its_transaction_has_ended(client):
    ukr = factories.party("UKR")
    depot = factories.site(ukr, code="DEPOT")
    factories.sign_in(client, factories.person("officer", "notifying officer", ukr))
    form = {"party": ukr.pk, "code": "DEPOT", "name": "Renamed", "unit": "", "location": ""}
    form |= factories.inline("objects_of_verification")
    answer = client.post(f"/admin/tracker/site/{depot.pk}/change/", form | {"longitude": "31", "latitude": "51"})
    assert answer.status_code == 302, answer.context["adminform"].form.errors
    event = Events.objects.tracks(depot).get(pgh_label="update")
    assert event.pgh_context["user"] is not None
    refusal = refused("UPDATE pghistory_context SET metadata = '{}' WHERE id = %s", event.pgh_context_id)
    assert "cannot be changed afterwards" in refusal
    with transaction.atomic():  # the request's own transaction may still add to it, as pghistory does
        execute(
            "INSERT INTO pghistory_context (id, metadata, created_at, updated_at) "
            "VALUES ('00000000-0000-0000-0000-000000000001', '{}', NOW(), NOW())"
        )
        execute(
            'UPDATE pghistory_context SET metadata = \'{"url": "/x"}\' '
            "WHERE id = '00000000-0000-0000-0000-000000000001'"
        )
