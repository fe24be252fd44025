from django.db import migrations
from django.db.models import F

from challenges.priority_groups import default_priority_groups_ensure

# Content written before both languages existed was written in English, the default language.
TRANSLATED = {
    "Challenge": ("title", "summary", "problem", "context", "desired_outcomes", "success_measures"),
    "Addendum": ("title", "body"),
    "Question": ("answer",),
    "EngagementActivity": ("summary",),
    "DataGovernanceRecord": ("legal_authority", "storage_reason", "impact_explanation", "exit_plan"),
    "GovernanceDecision": ("decision", "reason"),
}

def forwards(apps, schema_editor):
    for model_name, fields in TRANSLATED.items():
        model = apps.get_model("challenges", model_name)
        model.objects.update(**{f"{field}_en": F(field) for field in fields})
    default_priority_groups_ensure(apps.get_model("challenges", "PriorityGroup"))
    # Input given before consent was asked was given with an account, to be published once
    # moderated: that was its consent.
    apps.get_model("challenges", "CommunityInput").objects.update(consent_to_publish=True)


class Migration(migrations.Migration):
    dependencies = [
        ("challenges", "0009_engagement_and_bilingual_content"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
