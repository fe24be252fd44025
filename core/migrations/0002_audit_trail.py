import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

# Takes over the audit trail's tables that procurement's migration 0008 renamed (rows kept).


def move_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in ("auditentry", "auditchainhead"):
        if not ContentType.objects.filter(app_label="core", model=model).exists():
            ContentType.objects.filter(app_label="procurement", model=model).update(
                app_label="core"
            )


def restore_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(
        app_label="core", model__in=["auditentry", "auditchainhead"]
    ).update(app_label="procurement")


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_roles"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("procurement", "0011_audit_trail_moves_to_core"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="AuditChainHead",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("last_sequence", models.PositiveBigIntegerField(default=0)),
                        ("last_digest", models.CharField(default="", max_length=64)),
                    ],
                ),
                migrations.CreateModel(
                    name="AuditEntry",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("sequence", models.PositiveBigIntegerField(editable=False, unique=True)),
                        ("occurred_at", models.DateTimeField(db_index=True, editable=False)),
                        ("actor_label", models.CharField(editable=False, max_length=200)),
                        ("object_id", models.CharField(editable=False, max_length=64)),
                        ("object_label", models.CharField(editable=False, max_length=300)),
                        ("transition", models.CharField(editable=False, max_length=64)),
                        ("source", models.CharField(editable=False, max_length=32)),
                        ("target", models.CharField(editable=False, max_length=32)),
                        ("reason", models.TextField(blank=True, editable=False)),
                        ("metadata", models.JSONField(blank=True, default=dict, editable=False)),
                        ("previous_digest", models.CharField(editable=False, max_length=64)),
                        ("digest", models.CharField(editable=False, max_length=64, unique=True)),
                        (
                            "actor",
                            models.ForeignKey(
                                blank=True,
                                editable=False,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "content_type",
                            models.ForeignKey(
                                editable=False,
                                on_delete=django.db.models.deletion.PROTECT,
                                to="contenttypes.contenttype",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "audit entry",
                        "verbose_name_plural": "audit trail",
                        "ordering": ["sequence"],
                        "indexes": [
                            models.Index(
                                fields=["content_type", "object_id", "sequence"],
                                name="procurement_content_49e10f_idx",
                            )
                        ],
                    },
                ),
            ]
        ),
        migrations.RenameIndex(
            model_name="auditentry",
            new_name="core_audit_object_idx",
            old_name="procurement_content_49e10f_idx",
        ),
        migrations.RunPython(move_content_types, restore_content_types),
    ]
