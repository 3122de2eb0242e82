from django.db import migrations

from tracker import sql


class Migration(migrations.Migration):
    dependencies = [("tracker", "0014_idempotency_keys"), ("pghistory", "0007_auto_20250421_0444")]

    operations = [
        sql.apply(
            "audit_context",
            "DROP TRIGGER freeze_audit_context ON pghistory_context; DROP FUNCTION tracker_freeze_audit_context();",
        )
    ]
