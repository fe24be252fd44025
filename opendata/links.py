"""What open data adds to the challenge page (`challenges.sections`)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from challenges.sections import ChallengeLink, register_link
from procurement.selectors import is_published


def register_challenge_links() -> None:
    register_link(
        ChallengeLink(
            name="open_data",
            label=_("Open data for this challenge (OCDS release package, JSON)"),
            url=lambda challenge: reverse(
                "opendata:open_data_releases", kwargs={"reference": challenge.reference}
            ),
            visible=lambda user, challenge: is_published(challenge),
            group="public",
            order=200,
        )
    )
