"""What community partners add to the challenge page (challenges.sections): the owner's links to
the partners page and the offline input form, and the partners for every reader."""

from django.utils.translation import gettext_lazy as _

from core.permissions import can

from .partner_selectors import challenge_partnerships
from .sections import (
    ChallengeLink,
    ChallengeSection,
    page_of,
    register_link,
    register_section,
    visible_by,
)


def public_context(request, challenge) -> dict | None:
    """The partners, the groups each serves and the activities it co-hosted (one query when
    there are none, three otherwise); left out while there are none."""
    partnerships = challenge_partnerships(challenge=challenge)
    if not partnerships:
        return None
    return {"challenge": challenge, "partnerships": partnerships}


def _owner_records(user, challenge) -> bool:
    # Asked of the owner only: a partner's contact finds the form from their own page, and the
    # challenge page asks no one else whether they are a partner's contact.
    return can(user, "challenges.manage_partners", challenge) and can(
        user, "challenges.record_offline_input", challenge
    )


def register_partner_page() -> None:
    register_link(
        ChallengeLink(
            name="challenges.partners",
            label=_("Community partners"),
            url=page_of("challenges:partners"),
            visible=visible_by("challenges.manage_partners"),
            group="manage",
            order=37,
        )
    )
    register_link(
        ChallengeLink(
            name="challenges.offline_input",
            label=_("Record input gathered offline"),
            url=page_of("challenges:offline_input"),
            visible=_owner_records,
            group="manage",
            order=38,
        )
    )
    register_section(
        ChallengeSection(
            name="community-partners",
            template="challenges/partners/section_public.html",
            context=public_context,
            slot="main",
            order=15,
        )
    )
