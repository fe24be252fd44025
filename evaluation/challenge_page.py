"""What the evaluation adds to the challenge page (challenges.sections): its plan (and, in review,
the plan the approver approves with its digest), and for staff the evaluation itself once the
challenge is published."""

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

from . import selectors
from .models import Criterion
from .ranking import TIE_BREAK_LABELS


def plan_facts(plan) -> dict:
    """What a reader of the plan needs besides its criteria: weights, tie-break labels."""
    criteria = list(plan.criteria.all())
    return {
        "plan": plan,
        "criteria": criteria,
        "rated_weight": sum(c.weight for c in criteria if c.kind == Criterion.Kind.RATED),
        "total_weight": sum(c.weight for c in criteria),
        "tie_break_labels": [TIE_BREAK_LABELS[key] for key in plan.tie_break_order],
    }


def plan_review_context(request, challenge) -> dict | None:
    """The plan as the approver approves it, with its digest: in review, for approvers and
    staff (they may read the plan before publication)."""
    if challenge.status != Challenge.Status.IN_REVIEW:
        return None
    if not can(request.user, "evaluation.view_plan", challenge):
        return None
    plan = selectors.plan_for_challenge(challenge=challenge, user=request.user)
    if plan is None:
        return {"challenge": challenge, "plan": None}
    return {
        "challenge": challenge,
        **plan_facts(plan),
        "digests": selectors.plan_digests(plan),
    }


PLAN_REVIEW_SECTION = ChallengeSection(
    name="evaluation-plan-review",
    template="evaluation/includes/plan_review.html",
    context=plan_review_context,
    slot="review",
)


def register_challenge_page() -> None:
    register_section(PLAN_REVIEW_SECTION)
    register_link(
        ChallengeLink(
            name="evaluation.plan",
            label=_("Evaluation plan"),
            url=page_of("evaluation:plan"),
            visible=visible_by("evaluation.view_plan"),
            group="follow",
            order=20,
        )
    )
    # The same page, for the public and vendors once the plan is published with the challenge.
    register_link(
        ChallengeLink(
            name="evaluation.published_plan",
            label=_("How proposals are evaluated"),
            url=page_of("evaluation:plan"),
            visible=visible_by("evaluation.read_published_plan"),
            group="follow",
            order=20,
        )
    )
    register_link(
        ChallengeLink(
            name="evaluation.overview",
            label=_("Evaluation"),
            url=page_of("evaluation:overview"),
            visible=visible_by("evaluation.view_overview"),
            group="follow",
            order=30,
        )
    )
