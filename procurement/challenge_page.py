"""What the award, the pilot and open data add to the challenge page (challenges.sections): the
challenge's history for staff, the way to its award and pilot, its outcomes and open data, and a
vendor's result letter once the letters went out."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from challenges.models import Challenge
from challenges.sections import (
    ChallengeLink,
    ChallengeSection,
    page_of,
    register_link,
    register_section,
    visible_by,
)
from core.permissions import can
from vendors.models import Proposal
from vendors.proposal_page import register_proposal_notice

from .models import Award


def _result_letter(request, challenge) -> dict | None:
    """The reader's result letter: only a vendor whose proposal was received has one, once the
    letters went out (`procurement.request_debrief`, the rule the letter's page asks)."""
    if not request.user.is_authenticated or challenge.status not in (
        Challenge.Status.EVALUATING,
        Challenge.Status.AWARDED,
    ):
        return None
    award = (
        Award.objects.filter(challenge=challenge, status__in=Award.ANNOUNCED_STATES)
        .only("pk", "challenge_id", "status")
        .first()
    )
    if award is None or not can(request.user, "procurement.request_debrief", award):
        return None
    return {"letter_url": reverse("procurement:result_letter", args=[challenge.reference])}


def _proposal_result_letter(request, proposal) -> dict | None:
    """On a received proposal's page, the way to its result letter once the letters went out."""
    if proposal.status not in Proposal.RECEIVED_STATES:
        return None
    found = _result_letter(request, proposal.challenge)
    if found is None:
        return None
    return {"label": _("Read the result letter for this proposal"), "url": found["letter_url"]}


def register_challenge_page() -> None:
    links = [
        ChallengeLink(
            name="procurement.history",
            label=_("History"),
            url=page_of("procurement:challenge_history"),
            visible=visible_by("challenges.view_challenge_history"),
            group="manage",
        ),
        ChallengeLink(
            name="procurement.award",
            label=_("Award"),
            url=page_of("procurement:award"),
            visible=visible_by("procurement.follow_award_stage"),
            group="follow",
            order=40,
        ),
        ChallengeLink(
            name="procurement.award_decision",
            label=_("Award: recommend from the ranking"),
            url=page_of("procurement:award"),
            visible=visible_by("procurement.join_award_decision"),
            group="follow",
            order=40,
        ),
        ChallengeLink(
            name="procurement.pilot",
            label=_("Pilot"),
            url=page_of("procurement:pilot"),
            visible=visible_by("procurement.follow_pilot_stage"),
            group="follow",
            order=50,
        ),
        ChallengeLink(
            name="procurement.contract",
            label=_("Contract"),
            url=page_of("procurement:contract"),
            visible=visible_by("procurement.follow_contract_stage"),
            group="follow",
            order=45,
        ),
        ChallengeLink(
            name="procurement.outcomes",
            label=_("Outcomes: what was bought, and whether it worked"),
            url=page_of("procurement:outcomes"),
            visible=visible_by("procurement.view_outcomes"),
            group="public",
            order=10,
        ),
    ]
    for link in links:
        register_link(link)
    register_proposal_notice("procurement.result_letter", _proposal_result_letter)
    register_section(
        ChallengeSection(
            name="procurement.result_letter",
            template="procurement/includes/challenge_result_letter.html",
            context=_result_letter,
            slot="header",
            order=10,
        )
    )
