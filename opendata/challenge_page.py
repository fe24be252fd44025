"""What open data adds to the challenge page (`challenges.sections`)."""

from django.utils.translation import gettext_lazy as _

from challenges.sections import ChallengeLink, page_of, register_link, visible_by


def register_challenge_page() -> None:
    register_link(
        ChallengeLink(
            name="opendata.release_package",
            label=_("Open data for this challenge (OCDS release package, JSON)"),
            url=page_of("opendata:open_data_releases"),
            visible=visible_by("opendata.view_release_package"),
            group="public",
            order=20,
        )
    )
