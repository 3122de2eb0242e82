"""A bundle's big inserts with the database's per-row work done once for all rows instead.

Row by row, a table's history trigger, its guards and its foreign keys' checks each cost more than
the insert itself: at a million lines, the foreign-key checks alone took longer than everything else
together. Only a session of the database's owner that may set ``session_replication_role`` may set
them aside (``may_set_triggers_aside``), and then only inside its transaction; any other role's load
runs them all, row by row.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import IntegrityError, models

from tracker.audit_bulk import insert_with_events
from tracker.database_roles import may_set_triggers_aside


def quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


@contextmanager
def set_aside(cursor, model: type[models.Model], *names: str) -> Iterator[bool]:
    """Disable ``model``'s triggers ``names`` for the block, in this transaction only; whether they are.

    Even a trigger pgtrigger is told to ignore still runs for every row to find that out. A writer's
    statement meanwhile waits (SHARE ROW EXCLUSIVE) and, as the catalogue change is rolled back or
    undone before the commit, only ever sees them enabled."""
    if not may_set_triggers_aside(cursor):
        yield False
        return
    table = model._meta.db_table
    for name in names:
        cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER {quoted(name)}")
    yield True
    # The foreign keys' checks of the rows just written wait for the commit, and a table with
    # checks pending cannot be altered: they are made now, then later ones wait again (every
    # deferrable constraint here is initially deferred).
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    for name in names:
        cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER {quoted(name)}")
    cursor.execute("SET CONSTRAINTS ALL DEFERRED")


@contextmanager
def rows_unchecked(cursor) -> Iterator[bool]:
    """Skip every per-row trigger and foreign-key check of the block's statements; whether they are.

    With ``session_replication_role = replica`` only the statement triggers enabled ALWAYS run: the data
    versions (tracker/sql/data_version.sql, scope_versions.sql), so kept answers still see the write.
    Unlike ``set_aside`` it changes no table, so other writers go on meanwhile. Whatever the skipped
    triggers do, the caller does set-wise, and the foreign keys by ``check_references``."""
    if not may_set_triggers_aside(cursor):
        yield False
        return
    cursor.execute("SET LOCAL session_replication_role = replica")
    yield True
    cursor.execute("SET LOCAL session_replication_role = origin")


def check_references(cursor, model: type[models.Model], where: str, params: dict) -> None:
    """What ``model``'s foreign keys check of each row, for the rows matching ``where`` at once.

    A foreign key's check takes the row it names FOR KEY SHARE, so that it cannot be deleted, nor its
    key changed, before this transaction ends; here each distinct row named is taken so, and a value
    naming no row is refused as the check would refuse it."""
    table = model._meta.db_table
    for field in model._meta.concrete_fields:
        if not (field.is_relation and field.db_constraint):
            continue
        target = field.related_model._meta
        cursor.execute(
            f"""
            WITH named AS (SELECT DISTINCT {field.column} AS id FROM {table} WHERE ({where})
                           AND {field.column} IS NOT NULL),
                 held AS (SELECT FROM {target.db_table} WHERE {target.pk.column} IN (SELECT id FROM named)
                          FOR KEY SHARE)
            SELECT (SELECT count(*) FROM named) - (SELECT count(*) FROM held)
            """,
            params,
        )
        if cursor.fetchone()[0]:
            raise IntegrityError(
                f"insert or update on table {table} violates its foreign key on {field.column}:"
                f" a value names no row of {target.db_table}"
            )


def history_trigger(model: type[models.Model]) -> str:
    trigger = next(t for t in model._meta.triggers if getattr(t, "label", None) == "insert")
    return trigger.get_pgid(model)


def insert_recorded(cursor, model: type[models.Model], statement: str) -> tuple[int, bool]:
    """Run an INSERT ... SELECT into ``model``'s table with the history events its trigger would write;
    the number of rows inserted, and whether the per-row triggers and foreign-key checks were set aside
    (``rows_unchecked``) and their work done here: the events by ``insert_with_events``, the foreign
    keys by ``check_references`` (of every row numbered after those before the statement: rows of
    other writers among them are checked again, harmlessly). What else the caller's triggers would
    have done, the caller does when they were set aside."""
    with rows_unchecked(cursor) as aside:
        if not aside:
            cursor.execute(statement)
            return cursor.rowcount, False
        key = model._meta.pk.column
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s))", [model._meta.db_table, key])
        (before,) = cursor.fetchone()
        inserted = insert_with_events(cursor, model, statement)
    check_references(cursor, model, f"{key} > %(before)s", {"before": before})
    return inserted, True


def insert_with_history_aside(cursor, model: type[models.Model], statement: str) -> int:
    """Run an INSERT ... SELECT into ``model``'s table, whose other triggers must run, and write its history
    events alongside: only the history trigger, slow row by row (``tracker.audit_bulk``), is set aside."""
    with set_aside(cursor, model, history_trigger(model)) as aside:
        if not aside:
            cursor.execute(statement)
            return cursor.rowcount
        return insert_with_events(cursor, model, statement)
