"""Rows inserted set-wise together with the audit events pghistory's insert trigger would write.

That trigger does, for every row, two sub-transactions and an upsert of the history context:
milliseconds a row, hours for a bundle of millions of lines. A bulk loader sets it aside for its
statement and writes the very same events here, in the same statement. This is the only code that
writes pghistory's event rows itself or calls its private ``_pgh_attach_context()``;
tests/test_bulk_audit_rows.py fails as soon as these events and the trigger's differ.
"""

from django.apps import apps
from django.db import models


def insert_with_events(cursor, model: type[models.Model], statement: str) -> int:
    """Run ``statement``, an INSERT ... SELECT into ``model``'s table, and write an 'insert' event
    per row it inserts, as pghistory's trigger would (same columns, label, time and context).

    Returns the number of rows inserted."""
    event = next(m for m in apps.get_models() if getattr(m, "pgh_tracked_model", None) is model)
    tracked = ", ".join(f.column for f in event._meta.concrete_fields if not f.name.startswith("pgh_"))
    cursor.execute(
        f"""
        WITH inserted AS ({statement} RETURNING {tracked})
        INSERT INTO {event._meta.db_table} ({tracked}, pgh_obj_id, pgh_label, pgh_created_at, pgh_context_id)
        SELECT {tracked}, id, 'insert', NOW(), (SELECT _pgh_attach_context()) FROM inserted
        """
    )
    return cursor.rowcount
