"""What open data adds to the challenge page (`challenges.sections`)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from challenges.sections import ChallengeLink, register_link, visible_by


def register_challenge_page() -> None:
    register_link(
        ChallengeLink(
            name="opendata.release_package",
            label=_("Open data for this challenge (OCDS release package, JSON)"),
            url=lambda challenge: reverse(
                "opendata:open_data_releases", kwargs={"reference": challenge.reference}
            ),
            visible=visible_by("opendata.view_release_package"),
            group="public",
            order=20,
        )
    )
