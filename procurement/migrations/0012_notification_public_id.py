import uuid

from django.db import migrations, models


def give_each_notification_its_own_id(apps, schema_editor):
    Notification = apps.get_model("procurement", "Notification")
    for notification in Notification.objects.filter(public_id__isnull=True).only("pk").iterator():
        Notification.objects.filter(pk=notification.pk).update(public_id=uuid.uuid4())


class Migration(migrations.Migration):
    dependencies = [("procurement", "0011_audit_trail_moves_to_core")]

    operations = [
        migrations.AddField(
            model_name="notification",
            name="public_id",
            field=models.UUIDField(editable=False, null=True),
        ),
        migrations.RunPython(give_each_notification_its_own_id, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="notification",
            name="public_id",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
    ]
