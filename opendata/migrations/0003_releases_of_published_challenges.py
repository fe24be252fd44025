"""A first set of releases for challenges published before releases were stored when their
stages happened: built once from their state now, then kept like any other release.

It uses the live builder (`opendata.services.releases_backfill`), so it depends on the latest schema
of every app the builder reads.
"""

from django.db import migrations


def forwards(apps, schema_editor):
    from challenges.models import Challenge
    from opendata.services import releases_backfill

    for challenge in Challenge.objects.filter(published_at__isnull=False).order_by("pk"):
        releases_backfill(challenge=challenge)


class Migration(migrations.Migration):
    dependencies = [
        ("opendata", "0002_release_append_only"),
        ("challenges", "0003_challenge_next_due_at"),
        ("vendors", "0003_proposal_cancelled_from_alter_proposal_status"),
        ("evaluation", "0002_plan_approved_digest"),
        ("procurement", "0011_audit_trail_moves_to_core"),
        ("core", "0003_audit_refuses_truncate"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
