from django.db import migrations

# The audit trail moved to core (the platform every app writes to). Its tables are renamed, not
# copied: existing entries, their digests and the append-only trigger stay as they are; core's
# migration 0002 takes the models over in Django's state.


class Migration(migrations.Migration):
    dependencies = [("procurement", "0010_notification_sealed_with")]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.AlterModelTable(name="auditentry", table="core_auditentry"),
                migrations.AlterModelTable(name="auditchainhead", table="core_auditchainhead"),
            ],
            state_operations=[
                migrations.DeleteModel(name="AuditEntry"),
                migrations.DeleteModel(name="AuditChainHead"),
            ],
        )
    ]
