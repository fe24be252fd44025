from django.db import migrations


class Migration(migrations.Migration):
    """django-rest-knox's migrations create its own token table even when KNOX_TOKEN_MODEL
    replaces its model (here by core.ApiToken). Nothing uses that table; left in place, its
    foreign key to the users would also stop a flush of the tables Django knows (tests)."""

    dependencies = [
        ("core", "0004_api_tokens"),
        ("knox", "0009_extend_authtoken_field"),
    ]

    operations = [
        migrations.RunSQL(
            "DROP TABLE IF EXISTS knox_authtoken", reverse_sql=migrations.RunSQL.noop
        ),
    ]
