"""What vendors add to the challenge page (challenges.sections): the proposals received, for
staff once it closed, and the invitation to respond while it is open."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from challenges.sections import (
    ChallengeLink,
    ChallengeSection,
    page_of,
    register_link,
    register_section,
    visible_by,
)
from core.permissions import can


def _respond(request, challenge) -> dict | None:
    """The one invitation that fits the reader: go to the portal, register, or sign up first."""
    user = request.user
    register = reverse("vendors:register")
    if can(user, "vendors.respond_to_challenge", challenge):
        portal = reverse("vendors:portal")
        return {
            "label": _("Respond to this challenge"),
            "url": f"{portal}#challenge-{challenge.reference}",
            "primary": True,
        }
    if can(user, "vendors.register_to_respond", challenge):
        return {"label": _("Register your organization to respond"), "url": register}
    if can(user, "vendors.sign_up_to_respond", challenge):
        return {
            "label": _("Create an account to respond"),
            "url": f"{reverse('signup')}?next={register}",
        }
    return None


def register_challenge_page() -> None:
    register_link(
        ChallengeLink(
            name="vendors.received_proposals",
            label=_("Proposals received"),
            url=page_of("vendors:received_proposals"),
            visible=visible_by("vendors.view_received_proposals"),
            group="follow",
            order=10,
        )
    )
    register_section(
        ChallengeSection(
            name="vendors.respond",
            template="vendors/includes/challenge_respond.html",
            context=_respond,
            slot="header",
            order=20,
        )
    )
