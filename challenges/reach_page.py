"""What the reach ledger adds to the challenge page (challenges.sections): the ledger for
everyone once the challenge is public (staff before), and beside the statement in review, with
the owner's reason for any gap, for the approver."""

from django.utils.translation import gettext_lazy as _

from core.permissions import can

from .models import Challenge
from .sections import ChallengeLink, ChallengeSection, page_of, register_link, register_section


def _internal(user, challenge) -> bool:
    return can(user, "challenges.view_challenge_history", challenge)


def public_context(request, challenge) -> dict | None:
    from .reach_views import ledger_context

    if challenge.status == Challenge.Status.IN_REVIEW:
        return None  # the review slot shows it
    if not can(request.user, "challenges.view_reach", challenge):
        return None
    context = ledger_context(challenge)
    if not context["ledger_rows"]:
        return None  # the owner finds the targets through the "Reach targets" link
    return {"challenge": challenge, "may_manage": _internal(request.user, challenge), **context}


def review_context(request, challenge) -> dict | None:
    from .reach_views import ledger_context

    if challenge.status != Challenge.Status.IN_REVIEW or not _internal(request.user, challenge):
        return None
    return {"challenge": challenge, **ledger_context(challenge)}


def register_reach_page() -> None:
    register_link(
        ChallengeLink(
            name="challenges.reach",
            label=_("Reach targets"),
            url=page_of("challenges:reach"),
            visible=lambda user, challenge: can(user, "challenges.set_reach_targets", challenge),
            group="manage",
            order=35,
        )
    )
    register_section(
        ChallengeSection(
            name="reach-review",
            template="challenges/reach/section_review.html",
            context=review_context,
            slot="review",
            order=20,
        )
    )
    register_section(
        ChallengeSection(
            name="reach-public",
            template="challenges/reach/section_public.html",
            context=public_context,
            slot="main",
            order=10,
        )
    )
