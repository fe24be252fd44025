from django.db import migrations

# The database itself refuses to change or delete audit entries, whatever code connects to it.
CREATE = """
CREATE OR REPLACE FUNCTION procurement_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit entries are append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER procurement_auditentry_append_only
    BEFORE UPDATE OR DELETE ON procurement_auditentry
    FOR EACH ROW EXECUTE FUNCTION procurement_audit_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS procurement_auditentry_append_only ON procurement_auditentry;
DROP FUNCTION IF EXISTS procurement_audit_append_only();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("procurement", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
