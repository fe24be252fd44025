"""What the evaluation adds to the challenge page (challenges.sections): its plan, and for staff
the evaluation itself once the challenge is published."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from challenges.sections import ChallengeLink, register_link, visible_by


def _page(name):
    return lambda challenge: reverse(f"evaluation:{name}", args=[challenge.reference])


def register_challenge_page() -> None:
    register_link(
        ChallengeLink(
            name="evaluation.plan",
            label=_("Evaluation plan"),
            url=_page("plan"),
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
            url=_page("plan"),
            visible=visible_by("evaluation.read_published_plan"),
            group="follow",
            order=20,
        )
    )
    register_link(
        ChallengeLink(
            name="evaluation.overview",
            label=_("Evaluation"),
            url=_page("overview"),
            visible=visible_by("evaluation.view_overview"),
            group="follow",
            order=30,
        )
    )
