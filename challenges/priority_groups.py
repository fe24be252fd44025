"""The priority groups a municipality starts with (docs/engagement.md).

A sensible Canadian default; the municipality edits the list in the admin. The data migration
seeds it; the demo, which may run on a database that browser tests emptied, adds it again.
"""

DEFAULT_PRIORITY_GROUPS = [
    ("low-income", "Low-income households", "Ménages à faible revenu"),
    ("seniors", "Seniors", "Personnes aînées"),
    ("youth", "Youth", "Jeunes"),
    ("newcomers", "Newcomers and refugees", "Personnes nouvellement arrivées et réfugiées"),
    ("indigenous", "Indigenous peoples", "Peuples autochtones"),
    ("disabilities", "Persons with disabilities", "Personnes en situation de handicap"),
    ("official-language-minority", "Official-language minority", "Minorité de langue officielle"),
    ("rural", "Rural residents", "Résidents et résidentes en milieu rural"),
    ("renters", "Renters", "Locataires"),
]


def default_priority_groups_ensure(model) -> None:
    """Add the default groups that are missing; `model` is PriorityGroup, or its historical
    version in a migration. Groups the municipality renamed or retired are left as they are."""
    for position, (slug, name_en, name_fr) in enumerate(DEFAULT_PRIORITY_GROUPS):
        model.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name_en,
                "name_en": name_en,
                "name_fr": name_fr,
                "position": position,
            },
        )
