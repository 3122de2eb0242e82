from django.db import migrations

from tracker import sql


class Migration(migrations.Migration):
    """Sites written a statement at a time are placed each through the zone versions' spatial index."""

    dependencies = [("tracker", "0027_data_version_of_findings_and_receipts")]

    operations = [sql.apply("site_zones")]
