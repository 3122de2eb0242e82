"""A bundle loaded by the database's owner, with the row triggers and foreign-key checks set aside and
their work done set-wise, leaves exactly what the same bundle leaves when every trigger runs row by row:
the sites' zones, the zone totals, the holdings' periods and the audit events with their context; the
data versions move as the triggers move them, and a line naming no row is refused as a foreign key
refuses it."""

import datetime
from contextlib import nullcontext

import pytest
from django.db import IntegrityError, connection, transaction

from tests import bundles, factories
from tracker import bundle
from tracker.bundle.set_wise import check_references, history_trigger, rows_unchecked
from tracker.database_roles import as_owner, may_set_triggers_aside
from tracker.models import Holding, Notification, ObjectOfVerification

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _database(transactional_db):
    """The owner loads on a connection of its own, so nothing may wait in an open test transaction."""
    factories.ensure_categories()


# Every id is replaced by what names it in a bundle, so that two loads compare whatever ids they got.
STATE = {
    "site zones": """
        SELECT p.code, s.code, array_agg(zone.code || '@' || coalesce(v.valid_from::text, '') ORDER BY zone.code)
        FROM tracker_sitezones m JOIN tracker_zoneset z ON z.id = m.zone_set_id
        JOIN tracker_site s ON s.id = m.site_id JOIN tracker_stateparty p ON p.id = m.party_id
        CROSS JOIN LATERAL unnest(z.versions) AS version(id)
        JOIN zones_zoneversion v ON v.id = version.id JOIN zones_zone zone ON zone.id = v.zone_id
        GROUP BY 1, 2
    """,
    "zone totals": """
        SELECT zone.code, v.valid_from, p.code, c.code, t.name, z.status, n.reference, z.day,
               sum(z.quantity), sum(z.lines)
        FROM tracker_zonetotal z
        JOIN zones_zoneversion v ON v.id = z.zone_version_id JOIN zones_zone zone ON zone.id = v.zone_id
        JOIN tracker_stateparty p ON p.id = z.party_id JOIN tracker_equipmentcategory c ON c.id = z.category_id
        LEFT JOIN tracker_equipmenttype t ON t.id = z.equipment_type_id
        JOIN tracker_notification n ON n.id = z.notification_id
        GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
        HAVING sum(z.quantity) <> 0 OR sum(z.lines) <> 0
    """,
    "holding periods": """
        SELECT n.reference, n.status, o.record_number, s.code, c.code, t.name, h.quantity, h.status,
               h.effective_from, h.effective_to
        FROM tracker_holding h JOIN tracker_notification n ON n.id = h.notification_id
        JOIN tracker_objectofverification o ON o.id = h.object_of_verification_id
        JOIN tracker_site s ON s.id = h.site_id JOIN tracker_equipmentcategory c ON c.id = h.category_id
        LEFT JOIN tracker_equipmenttype t ON t.id = h.equipment_type_id
    """,
    "holding events": """
        SELECT e.pgh_label, n.reference, o.record_number, s.code, c.code, t.name, e.quantity, e.status,
               e.pgh_obj_id = e.id, x.metadata
        FROM tracker_holdingevent e JOIN tracker_notification n ON n.id = e.notification_id
        JOIN tracker_objectofverification o ON o.id = e.object_of_verification_id
        JOIN tracker_site s ON s.id = e.site_id JOIN tracker_equipmentcategory c ON c.id = e.category_id
        LEFT JOIN tracker_equipmenttype t ON t.id = e.equipment_type_id
        JOIN pghistory_context x ON x.id = e.pgh_context_id
    """,
    "site events": """
        SELECT e.pgh_label, p.code, e.code, e.name, ST_AsText(e.location), e.unit, e.storage_from, e.storage_to,
               e.pgh_obj_id = e.id, x.metadata
        FROM tracker_siteevent e JOIN tracker_stateparty p ON p.id = e.party_id
        JOIN pghistory_context x ON x.id = e.pgh_context_id
    """,
    "object events": """
        SELECT e.pgh_label, p.code, e.record_number, e.designation, s.code, e.pgh_obj_id = e.id, x.metadata
        FROM tracker_objectofverificationevent e JOIN tracker_stateparty p ON p.id = e.party_id
        JOIN tracker_site s ON s.id = e.site_id JOIN pghistory_context x ON x.id = e.pgh_context_id
    """,
    "notification events": """
        SELECT e.pgh_label, p.code, e.reference, e.kind, e.status, e.effective_date, e.submitted_at, o.reference,
               e.pgh_obj_id = e.id, x.metadata
        FROM tracker_notificationevent e JOIN tracker_stateparty p ON p.id = e.party_id
        LEFT JOIN tracker_notification o ON o.id = e.supersedes_id
        JOIN pghistory_context x ON x.id = e.pgh_context_id
    """,
}


def state() -> dict[str, list[tuple]]:
    found = {}
    with connection.cursor() as cursor:
        for what, query in STATE.items():
            cursor.execute(query)
            found[what] = sorted(cursor.fetchall(), key=repr)
    return found


def loaded(folder, owner: bool) -> dict[str, list[tuple]]:
    """What loading ``folder`` leaves, as the owner (bulk) or as the application's role (triggers); rolled back."""
    with as_owner() if owner else nullcontext(), transaction.atomic():
        with connection.cursor() as cursor:
            assert may_set_triggers_aside(cursor) == owner
        bundle.load(folder)
        written = state()
        transaction.set_rollback(True)
    return written


def test_a_bulk_load_leaves_what_the_row_triggers_leave(tmp_path):
    folder = bundles.write(tmp_path, records=True)
    by_triggers, in_bulk = loaded(folder, owner=False), loaded(folder, owner=True)
    for what in STATE:
        assert in_bulk[what] == by_triggers[what], what
    assert all(by_triggers[what] for what in STATE)  # every kind of record is there to compare


def test_a_bulk_load_after_stored_notifications_leaves_what_the_row_triggers_leave(tmp_path):
    """Stored lines of the same objects of verification have their periods ended by the bundle's."""
    first, second = bundles.write(tmp_path / "first"), tmp_path / "second"
    with as_owner():
        bundle.load(first)
    later = "UKR-N9,UKR,change,2024-06-01,2024-05-20T08:00:00+00:00,S1,Depot one,35.5,48.5,tanks,70,active,"
    bundles.write(second)
    # Only the new notification: every other record of the bundle is there already.
    (second / "declarations.csv").write_text(",".join(bundles.DECLARATION_COLUMNS) + "\n" + later + "\n")
    (second / "zones.geojson").write_text('{"type": "FeatureCollection", "features": []}')
    for name in ("treaties.csv", "ceilings.csv", "inspections.csv", "observations.csv"):
        path = second / name
        path.write_text(path.read_text().splitlines()[0] + "\n")
    by_triggers, in_bulk = loaded(second, owner=False), loaded(second, owner=True)
    for what in STATE:
        assert in_bulk[what] == by_triggers[what], what
    ended = [line for line in in_bulk["holding periods"] if line[0] == "UKR-N3" and line[4] == "tanks"]
    assert ended and all(line[-1] is not None for line in ended if line[7] == "active")


def versions() -> dict[str, int]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT table_name, version FROM tracker_dataversion")
        return dict(cursor.fetchall())


def test_a_bulk_load_moves_the_versions_of_lines_and_of_each_party_and_zone_it_writes(tmp_path):
    folder = bundles.write(tmp_path)
    before = versions()
    with as_owner(), transaction.atomic():
        bundle.load(folder)
        after = versions()
        with connection.cursor() as cursor:
            cursor.execute("SELECT DISTINCT 'party ' || party_id FROM tracker_notification")
            parties = {scope for (scope,) in cursor.fetchall()}
            cursor.execute(
                "SELECT DISTINCT 'zone ' || v.zone_id FROM tracker_zonetotal z"
                " JOIN zones_zoneversion v ON v.id = z.zone_version_id"
            )
            zones = {scope for (scope,) in cursor.fetchall()}
        transaction.set_rollback(True)
    assert parties and zones
    for scope in ("tracker_holding", *parties, *zones):
        assert after[scope] > before.get(scope, 0), scope


@pytest.mark.parametrize(
    "model, done_by_the_load",
    [
        # The guard of submitted lines by a check first, the zone totals by BUNDLE_ZONE_TOTALS.
        (Holding, {"protect_submitted_lines", "zone_totals_on_insert"}),
        (ObjectOfVerification, set()),
        (Notification, set()),
    ],
)
def test_the_triggers_a_bulk_insert_skips_are_those_whose_work_it_does_itself(model, done_by_the_load):
    """Under session_replication_role = replica a trigger enabled ORIGIN does not fire. On an insert those
    must be the history (written by insert_with_events) and those the load does itself; and the foreign
    keys whose checks are skipped are those check_references makes."""
    pgids = {t.name: t.get_pgid(model) for t in model._meta.triggers}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass AND NOT tgisinternal"
            " AND tgenabled = 'O' AND tgtype & 4 <> 0",  # fires on INSERT
            [model._meta.db_table],
        )
        skipped = {name for (name,) in cursor.fetchall()}
        cursor.execute(
            "SELECT a.attname FROM pg_constraint c JOIN pg_attribute a ON a.attrelid = c.conrelid"
            " AND a.attnum = ANY(c.conkey) WHERE c.conrelid = %s::regclass AND c.contype = 'f'",
            [model._meta.db_table],
        )
        keys = {column for (column,) in cursor.fetchall()}
    assert skipped == {history_trigger(model), *(pgids.get(name, name) for name in done_by_the_load)}
    assert keys == {f.column for f in model._meta.concrete_fields if f.is_relation and f.db_constraint}


def test_a_line_naming_no_site_is_refused_by_the_set_wise_check_of_foreign_keys():
    ukraine = factories.party("UKR")
    draft = factories.notification(
        ukraine, datetime.date(2025, 6, 1), [(factories.site(ukraine), "tanks", 10)], submit=False
    )
    line = draft.holdings.get()
    with as_owner(), transaction.atomic():
        with connection.cursor() as cursor, rows_unchecked(cursor) as aside:
            assert aside
            cursor.execute(
                "INSERT INTO tracker_holding (notification_id, object_of_verification_id, site_id, category_id,"
                " quantity, status) SELECT notification_id, object_of_verification_id,"
                " (SELECT max(id) + 1 FROM tracker_site), category_id, 5, 'temporary' FROM tracker_holding"
                " WHERE id = %s",
                [line.pk],
            )
        with connection.cursor() as cursor, pytest.raises(IntegrityError, match="site_id"):
            check_references(cursor, Holding, "notification_id = %(n)s", {"n": draft.pk})
        transaction.set_rollback(True)
    assert draft.holdings.count() == 1


def test_a_bulk_load_takes_no_table_lock_on_the_objects_notifications_and_lines_it_writes(tmp_path):
    """None of those tables is altered to set a trigger aside, so the load holds only the locks any writer
    holds there (another writer still waits for the tables' data-version rows, as for any writer)."""
    with as_owner(), transaction.atomic():
        bundle.load(bundles.write(tmp_path))
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT relation::regclass::text, mode FROM pg_locks WHERE pid = pg_backend_pid()"
                " AND relation::regclass::text = ANY(%s)",
                [["tracker_holding", "tracker_notification", "tracker_objectofverification"]],
            )
            held = set(cursor.fetchall())
        transaction.set_rollback(True)
    assert {table for table, _ in held} == {"tracker_holding", "tracker_notification", "tracker_objectofverification"}
    # ANALYZE's SHARE UPDATE EXCLUSIVE waits for no writer and makes none wait.
    writers_ignore = {"AccessShareLock", "RowShareLock", "RowExclusiveLock", "ShareUpdateExclusiveLock"}
    assert {mode for _, mode in held} <= writers_ignore, held
