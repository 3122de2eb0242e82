from django.db import migrations

from tracker import sql


class Migration(migrations.Migration):
    """Sites written a statement at a time are placed each through the zone versions' spatial index."""

    dependencies = [("tracker", "0028_lean_indexes_for_bulk_loads")]

    operations = [sql.apply("site_zones")]
