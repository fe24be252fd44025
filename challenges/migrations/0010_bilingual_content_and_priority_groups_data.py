from django.db import migrations
from django.db.models import F

# Content written before both languages existed was written in English, the default language.
TRANSLATED = {
    "Challenge": ("title", "summary", "problem", "context", "desired_outcomes", "success_measures"),
    "Addendum": ("title", "body"),
    "Question": ("answer",),
    "EngagementActivity": ("summary",),
    "DataGovernanceRecord": ("legal_authority", "storage_reason", "impact_explanation", "exit_plan"),
    "GovernanceDecision": ("decision", "reason"),
}

# A sensible Canadian default; the municipality edits the list in the admin.
PRIORITY_GROUPS = [
    ("low-income", "Low-income households", "Ménages à faible revenu"),
    ("seniors", "Seniors", "Personnes aînées"),
    ("youth", "Youth", "Jeunes"),
    ("newcomers", "Newcomers and refugees", "Personnes nouvellement arrivées et réfugiées"),
    ("indigenous", "Indigenous peoples", "Peuples autochtones"),
    ("disabilities", "Persons with disabilities", "Personnes en situation de handicap"),
    (
        "official-language-minority",
        "Official-language minority",
        "Minorité de langue officielle",
    ),
    ("rural", "Rural residents", "Résidents et résidentes en milieu rural"),
    ("renters", "Renters", "Locataires"),
]


def forwards(apps, schema_editor):
    for model_name, fields in TRANSLATED.items():
        model = apps.get_model("challenges", model_name)
        model.objects.update(**{f"{field}_en": F(field) for field in fields})
    PriorityGroup = apps.get_model("challenges", "PriorityGroup")
    for position, (slug, name_en, name_fr) in enumerate(PRIORITY_GROUPS):
        PriorityGroup.objects.get_or_create(
            slug=slug,
            defaults={"name": name_en, "name_en": name_en, "name_fr": name_fr, "position": position},
        )
    # Input given before consent was asked was given with an account, to be published once
    # moderated: that was its consent.
    apps.get_model("challenges", "CommunityInput").objects.update(consent_to_publish=True)


class Migration(migrations.Migration):
    dependencies = [
        ("challenges", "0009_engagement_and_bilingual_content"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
