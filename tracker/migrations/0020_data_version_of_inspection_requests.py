from django.db import migrations

from tracker import sql


class Migration(migrations.Migration):
    """Inspection requests and announced passive quotas bump the data version, so no kept answer outlives them."""

    dependencies = [("tracker", "0019_inspection_regime")]

    operations = [sql.apply("data_version")]
