from django.db import migrations

from tracker import sql


class Migration(migrations.Migration):
    """A data version per party and per zone, so a notification leaves the answers about the others kept."""

    dependencies = [("tracker", "0025_labels_in_languages")]

    operations = [sql.apply("scope_versions")]
