from django.db import migrations
from django.db.models import F


def forwards(apps, schema_editor):
    # Indicators written before both languages existed were written in English.
    apps.get_model("procurement", "OutcomeIndicator").objects.update(
        name_en=F("name"), success_measure_en=F("success_measure")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("procurement", "0016_follow_notices_and_bilingual_indicators"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
