from importlib import import_module

from django.db import migrations

from tracker import sql

# The zone totals' triggers now run static SQL, one function per table, instead of building
# query text; going back restores migration 0010's functions and recomputes the totals with them.
ZONE_TOTALS_0010 = import_module("tracker.migrations.0010_zone_totals").ZONE_TOTALS
UNDO_ZONE_TOTALS = (
    "".join(
        f"""
DROP TRIGGER zone_totals_on_insert ON {table};
DROP TRIGGER zone_totals_on_update ON {table};
DROP TRIGGER zone_totals_on_delete ON {table};
DROP TRIGGER zone_totals_on_truncate ON {table};
"""
        for table in ("tracker_holding", "tracker_sitezones")
    )
    + """
DROP FUNCTION tracker_zone_totals_emptied();
DROP FUNCTION tracker_zone_totals_site_zones_written();
DROP FUNCTION tracker_zone_totals_holdings_written();
DROP FUNCTION tracker_fold_zone_totals(jsonb);
DROP FUNCTION tracker_line_edges(integer, integer, date, date);
DELETE FROM tracker_zonetotal;
"""
    + ZONE_TOTALS_0010
)


class Migration(migrations.Migration):
    dependencies = [("tracker", "0011_dates_in_the_treaty_range")]

    operations = [
        sql.apply("data_version"),
        sql.apply("site_zones"),
        sql.apply("zone_totals", UNDO_ZONE_TOTALS),
        migrations.RunSQL(
            """
            DROP FUNCTION tracker_zone_totals_changed();
            DROP FUNCTION tracker_zone_totals_sql(text, boolean);
            """,
            migrations.RunSQL.noop,
        ),
    ]
