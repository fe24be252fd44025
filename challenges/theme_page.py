"""What "you said, we did" adds to the challenge page (challenges.sections): the owner's link in
the manage links, and the themes for every reader once the challenge is public."""

from django.utils.translation import gettext_lazy as _

from core.permissions import can

from .sections import (
    ChallengeLink,
    ChallengeSection,
    page_of,
    register_link,
    register_section,
    visible_by,
)
from .theme_selectors import public_themes


def public_context(request, challenge) -> dict | None:
    """The themes with their published input counts (one query); left out while there are none."""
    if not can(request.user, "challenges.view_inputtheme", challenge):
        return None
    themes = list(public_themes(challenge=challenge))
    if not themes:
        return None
    return {
        "challenge": challenge,
        "themes": themes,
        "may_manage_themes": can(request.user, "challenges.change_inputtheme", challenge),
    }


def register_theme_page() -> None:
    register_link(
        ChallengeLink(
            name="challenges.themes",
            label=_("You said, we did"),
            url=page_of("challenges:themes"),
            visible=visible_by("challenges.change_inputtheme"),
            group="manage",
            order=40,
        )
    )
    register_section(
        ChallengeSection(
            name="you-said-we-did",
            template="challenges/themes/section_public.html",
            context=public_context,
            slot="main",
            order=20,
        )
    )
