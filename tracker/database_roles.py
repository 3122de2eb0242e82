"""The two database roles: the owner, which migrates, and the runtime role, which the application runs as.

The owner (settings.DATABASE_OWNER) owns the database, its tables, functions and triggers. The runtime
role (the user of DATABASE_URL, settings.DATABASE_RUNTIME_ROLE) owns nothing: it reads and writes rows
through the grants below, so it cannot alter a table, drop or disable a trigger, truncate a table, or
rewrite the audit trail. After every migrate (pytest-django's test databases included) the grants and
the trigger guards below are put back, since a migration may add tables or reinstall pgtrigger's
functions. With one role for both (no DATABASE_OWNER), there is nothing to separate and nothing is done.
"""

from collections.abc import Iterator
from contextlib import contextmanager

import pghistory.models
from django.apps import apps
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

# pgtrigger's triggers skip themselves when the session's `pgtrigger.ignore` names them, and any role
# may set that variable. Only a session of the database's owner (or a superuser) is obeyed: the
# runtime role's guards and history triggers always run. session_user, not current_user: a cascading
# foreign-key action runs its triggers as the table's owner.
SHOULD_IGNORE = """
CREATE OR REPLACE FUNCTION public._pgtrigger_should_ignore(trigger_name NAME) RETURNS BOOLEAN AS $$
DECLARE
    _pgtrigger_ignore TEXT[];
BEGIN
    BEGIN
        SELECT INTO _pgtrigger_ignore CURRENT_SETTING('pgtrigger.ignore');
    EXCEPTION WHEN OTHERS THEN
    END;
    IF _pgtrigger_ignore IS NULL OR NOT trigger_name = ANY(_pgtrigger_ignore) THEN
        RETURN FALSE;
    END IF;
    RETURN pg_has_role(session_user, (SELECT datdba FROM pg_database WHERE datname = current_database()), 'MEMBER');
END;
$$ LANGUAGE plpgsql
"""

# Names in our functions resolve in public before the session's temporary schema: otherwise the
# runtime role could shadow tracker_notification or an event table with a temporary table of its own
# and have a guard check, or a history trigger write into, the wrong table.
PIN_SEARCH_PATH = """
SELECT format('ALTER FUNCTION %s SET search_path = public, pg_temp', p.oid::regprocedure)
FROM pg_proc p
JOIN pg_namespace n ON n.oid = p.pronamespace AND n.nspname = 'public'
WHERE p.proowner = (SELECT oid FROM pg_roles WHERE rolname = current_user)
  AND p.prokind = 'f'
  AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')
"""

# The ledger's tables take new rows only (tracker.models.ledger); a signing key is only ever revoked.
APPEND_ONLY = {"tracker_ledgerentry", "tracker_ledgernode", "tracker_treehead", "tracker_receipt"}

OWNED_TABLES = """
SELECT c.relname FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
WHERE c.relkind IN ('r', 'p', 'v', 'm') AND c.relowner = (SELECT oid FROM pg_roles WHERE rolname = current_user)
"""


def audit_tables() -> set[str]:
    """The tables of pghistory's events: the runtime role may add to them, never change them."""
    return {
        model._meta.db_table
        for model in apps.get_models()
        if issubclass(model, pghistory.models.Event) and model._meta.managed and not model._meta.proxy
    }


def grant_runtime_role(using: str = DEFAULT_DB_ALIAS, **kwargs) -> None:
    """Give the runtime role exactly the rows it needs, and make pgtrigger's guards binding on it."""
    runtime = settings.DATABASE_RUNTIME_ROLE
    with connections[using].cursor() as cursor:
        cursor.execute("SELECT current_user")
        if cursor.fetchone()[0] == runtime:
            return
        cursor.execute(SHOULD_IGNORE)
        cursor.execute(PIN_SEARCH_PATH)
        for (statement,) in cursor.fetchall():
            cursor.execute(statement)
        cursor.execute(OWNED_TABLES)
        tables = {name for (name,) in cursor.fetchall()}
        audit = audit_tables() & tables
        if not tables or not audit:
            return  # a partial migrate: the tracker's tables are not there yet
        role = connections[using].ops.quote_name(runtime)
        quoted = ", ".join(connections[using].ops.quote_name(table) for table in sorted(tables))
        cursor.execute(f"REVOKE ALL ON {quoted} FROM {role}")
        cursor.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON {quoted} TO {role}")
        # The history context says who made a change: it is written and updated within a request, never deleted.
        cursor.execute(f"REVOKE UPDATE, DELETE ON {', '.join(sorted(audit))} FROM {role}")
        ledger = sorted(APPEND_ONLY & tables)
        if ledger:
            cursor.execute(f"REVOKE UPDATE, DELETE ON {', '.join(ledger)} FROM {role}")
        if "tracker_signingkey" in tables:
            cursor.execute(f"REVOKE DELETE ON tracker_signingkey FROM {role}")
        if "pghistory_context" in tables:
            cursor.execute(f"REVOKE DELETE ON pghistory_context FROM {role}")
        cursor.execute(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role}")


@contextmanager
def as_owner(using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """Run the block on a connection of the database's owner, then go back to the runtime role.

    Inside a transaction the connection cannot change hands: the block then runs as the role it has."""
    connection = connections[using]
    owner = {"USER": settings.DATABASE_OWNER, "PASSWORD": settings.DATABASE_OWNER_PASSWORD}
    if connection.settings_dict["USER"] == owner["USER"] or connection.in_atomic_block:
        yield
        return
    runtime = connection.settings_dict
    connection.close()
    connection.settings_dict = {**runtime, **owner}
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict = runtime


def may_set_triggers_aside(cursor) -> bool:
    """Whether this session may set triggers aside: its `pgtrigger.ignore` is obeyed, it may disable a
    trigger (the owner's or a superuser's session), and it may set `session_replication_role`, which
    skips every per-row trigger and foreign-key check (granted to the owner by scripts/bootstrap.sh)."""
    cursor.execute(
        "SELECT pg_has_role(session_user, (SELECT datdba FROM pg_database WHERE datname = current_database()), "
        "'MEMBER') AND has_parameter_privilege('session_replication_role', 'SET')"
    )
    return cursor.fetchone()[0]
