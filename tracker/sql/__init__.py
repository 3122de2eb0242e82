"""The database functions and triggers that keep derived data and guard the record, one file per concern.

``site_zones.sql`` (which zone versions each site lies in), ``zone_totals.sql`` (what each party
holds in each zone version, by day), ``data_version.sql`` (the counter cached answers are kept
against), ``scope_versions.sql`` (its finer rows per party and per zone) and ``audit_context.sql`` (who made a change stays as it was recorded). Each file holds the current definitions, written to be applied again over older ones
(``CREATE OR REPLACE``). A change edits the file and adds a migration that applies it by name,
so the file, not a chain of migrations, says what runs. As every migration naming a file applies
its current text, a file must keep working on the schema of the first migration that names it.
"""

from pathlib import Path

from django.db import migrations

FOLDER = Path(__file__).resolve().parent


def text(name: str) -> str:
    """The SQL of ``<name>.sql``."""
    return (FOLDER / f"{name}.sql").read_text()


def apply(name: str, reverse_sql: str = migrations.RunSQL.noop) -> migrations.RunSQL:
    """A migration operation that (re)defines everything in ``<name>.sql``."""
    return migrations.RunSQL(text(name), reverse_sql)
