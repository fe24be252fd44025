from django.db import migrations

# PostgreSQL refuses UPDATE and DELETE of audit entries (procurement's migration 0002) and, from
# here, TRUNCATE too, which no row trigger sees. The trigger and its function take core's names.
# A transaction may allow TRUNCATE by setting core.audit_truncate to 'allowed' (the test suite's
# flush does); the owner of the table can always disable triggers, which is why the chain head is
# also published for outsiders to keep (docs/audit.md).
FORWARDS = """
ALTER FUNCTION procurement_audit_append_only() RENAME TO core_audit_append_only;
ALTER TRIGGER procurement_auditentry_append_only ON core_auditentry
    RENAME TO core_auditentry_append_only;
CREATE OR REPLACE FUNCTION core_audit_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'TRUNCATE'
       AND coalesce(current_setting('core.audit_truncate', true), '') = 'allowed' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'audit entries are append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER core_auditentry_no_truncate
    BEFORE TRUNCATE ON core_auditentry
    FOR EACH STATEMENT EXECUTE FUNCTION core_audit_append_only();
"""
BACKWARDS = """
DROP TRIGGER IF EXISTS core_auditentry_no_truncate ON core_auditentry;
CREATE OR REPLACE FUNCTION core_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit entries are append-only';
END;
$$ LANGUAGE plpgsql;
ALTER TRIGGER core_auditentry_append_only ON core_auditentry
    RENAME TO procurement_auditentry_append_only;
ALTER FUNCTION core_audit_append_only() RENAME TO procurement_audit_append_only;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARDS)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARDS)


class Migration(migrations.Migration):
    dependencies = [("core", "0002_audit_trail")]

    operations = [migrations.RunPython(forwards, backwards)]
