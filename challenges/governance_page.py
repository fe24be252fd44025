"""What the data governance record adds to the challenge page (challenges.sections): a link and
its completeness for staff, the record beside the statement in review (risks highlighted), and
its public view once the challenge is public."""

from django.utils.translation import gettext_lazy as _

from core.permissions import can

from .governance import governance_problems, governance_risks
from .governance_selectors import governance_view
from .models import Challenge
from .sections import (
    ChallengeLink,
    ChallengeSection,
    page_of,
    register_link,
    register_section,
    visible_by,
)


def _internal(request, challenge) -> bool:
    return can(request.user, "challenges.view_confidential_governance", challenge)


def completeness_context(request, challenge) -> dict | None:
    """Staff, before review: how far the record is from complete."""
    if challenge.status not in Challenge.EDITABLE_STATES or not _internal(request, challenge):
        return None
    return {"challenge": challenge, "problems": governance_problems(challenge)}


def review_context(request, challenge) -> dict | None:
    """The approver's review: the record beside the statement and plan, risks first."""
    if challenge.status != Challenge.Status.IN_REVIEW or not _internal(request, challenge):
        return None
    view = governance_view(challenge=challenge, user=request.user)
    return {
        "challenge": challenge,
        "view": view,
        "problems": governance_problems(challenge),
        "risks": governance_risks(challenge),
    }


def public_context(request, challenge) -> dict | None:
    """Everyone, once the challenge is public: the record minus its confidential rows (staff
    and approvers see those too, marked)."""
    if not challenge.is_public or challenge.status == Challenge.Status.IN_REVIEW:
        return None
    view = governance_view(challenge=challenge, user=request.user)
    if view is None or view.record is None:
        return None
    return {"challenge": challenge, "view": view}


def register_governance_page() -> None:
    register_link(
        ChallengeLink(
            name="challenges.governance",
            label=_("Data governance record"),
            url=page_of("challenges:governance"),
            visible=visible_by("challenges.view_confidential_governance"),
            group="manage",
            order=30,
        )
    )
    register_section(
        ChallengeSection(
            name="governance-completeness",
            template="challenges/governance/section_completeness.html",
            context=completeness_context,
            slot="header",
            order=30,
        )
    )
    register_section(
        ChallengeSection(
            name="governance-review",
            template="challenges/governance/section_review.html",
            context=review_context,
            slot="review",
            order=10,
        )
    )
    register_section(
        ChallengeSection(
            name="governance-public",
            template="challenges/governance/section_public.html",
            context=public_context,
            slot="main",
            order=50,
        )
    )
