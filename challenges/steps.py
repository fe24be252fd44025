"""Labels of the challenge's steps as its history shows them (core.steps)."""

from django.utils.translation import pgettext_lazy

from core.steps import register_actions, register_steps


def register_challenge_steps() -> None:
    register_steps(
        "challenges.Challenge",
        {
            "open_co_design": pgettext_lazy("step", "Co-design opened"),
            "submit_for_review": pgettext_lazy("step", "Submitted for review"),
            "request_changes": pgettext_lazy("step", "Changes requested"),
            "approve": pgettext_lazy("step", "Approved"),
            "publish": pgettext_lazy("step", "Published"),
            "close": pgettext_lazy("step", "Closed to submissions"),
            "start_evaluation": pgettext_lazy("step", "Evaluation started"),
            "award": pgettext_lazy("step", "Awarded"),
            "end_without_award": pgettext_lazy("step", "Ended without an award"),
            "cancel": pgettext_lazy("step", "Cancelled"),
        },
    )
    register_steps(
        "challenges.CommunityInput",
        {
            "publish": pgettext_lazy("step", "Input published"),
            "reject": pgettext_lazy("step", "Input rejected"),
        },
    )
    register_steps(
        "challenges.Question",
        {
            "publish_answer": pgettext_lazy("step", "Answer published"),
            "dismiss": pgettext_lazy("step", "Question dismissed"),
        },
    )
    register_steps("challenges.Addendum", {"issue": pgettext_lazy("step", "Addendum issued")})
    register_actions(
        {
            "schedule": pgettext_lazy("step", "Dates changed"),
            "move": pgettext_lazy("step", "Order changed"),
        }
    )
