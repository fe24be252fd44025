"""Open data of "you said, we did" (docs/engagement.md): one CSV row per theme of the published
challenges, in both official languages, with how many published contributions it groups (never
the contributions: who said what stays on the challenge page, moderated)."""

from django.db.models import QuerySet

from challenges.models import InputTheme
from challenges.theme_selectors import public_themes
from core.spreadsheet import csv_response

from . import ocds
from .selectors import open_data_challenges

HEADER = [
    "ocid",
    "reference",
    "position",
    "theme_en",
    "theme_fr",
    "outcome",
    "you_said_en",
    "you_said_fr",
    "we_did_en",
    "we_did_fr",
    "published_input_count",
]


def open_data_themes() -> QuerySet[InputTheme]:
    """The themes of published challenges, by challenge and position: one query, however many."""
    return (
        public_themes(challenge=None)
        .filter(challenge__in=open_data_challenges().order_by())
        .select_related("challenge")
        .order_by("challenge__reference", "position", "pk")
    )


def themes_csv(request):
    response, writer = csv_response("you-said-we-did.csv")
    writer.writerow(HEADER)
    for theme in open_data_themes():
        writer.writerow(
            [
                ocds.ocid(theme.challenge),
                theme.challenge.reference,
                theme.position,
                theme.title_en or "",
                theme.title_fr or "",
                theme.outcome,
                theme.you_said_en or "",
                theme.you_said_fr or "",
                theme.we_did_en or "",
                theme.we_did_fr or "",
                theme.published_input_count,
            ]
        )
    return response
