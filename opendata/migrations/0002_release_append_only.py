from django.db import migrations

# The database itself refuses to change or delete a stored release: open data never rewrites
# what it published.
CREATE = """
CREATE OR REPLACE FUNCTION opendata_release_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'stored OCDS releases never change';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER opendata_release_append_only
    BEFORE UPDATE OR DELETE ON opendata_release
    FOR EACH ROW EXECUTE FUNCTION opendata_release_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS opendata_release_append_only ON opendata_release;
DROP FUNCTION IF EXISTS opendata_release_append_only();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("opendata", "0001_release")]

    operations = [migrations.RunPython(forwards, backwards)]
