from django.db import migrations

from tracker import sql


class Migration(migrations.Migration):
    """The tables the treaty's new rules read bump the data version too, so no kept answer outlives them."""

    dependencies = [("tracker", "0017_holding_in_storage"), ("zones", "0003_contact_lines")]

    operations = [sql.apply("data_version")]
