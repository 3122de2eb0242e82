from django.db import migrations

from tracker import sql


class Migration(migrations.Migration):
    """The findings register and the ledger's entries, keys, heads and receipts move the data version too:
    a violations answer shows each finding's state, and a receipt recorded ends a receipt_missing finding."""

    dependencies = [("tracker", "0026_scope_versions")]

    operations = [sql.apply("data_version")]
