"""Labels of the proposal's steps and the vendors' audited actions (core.steps)."""

from django.utils.translation import pgettext_lazy

from core.steps import register_actions, register_steps


def register_vendor_steps() -> None:
    register_steps(
        "vendors.Proposal",
        {
            "submit": pgettext_lazy("step", "Submitted"),
            "withdraw": pgettext_lazy("step", "Withdrawn"),
            "revise": pgettext_lazy("step", "Back to draft"),
            "require_reconfirmation": pgettext_lazy("step", "Reconfirmation required"),
            "reconfirm": pgettext_lazy("step", "Reconfirmed"),
            "receive": pgettext_lazy("step", "Received"),
            "lapse": pgettext_lazy("step", "Lapsed"),
            "disqualify": pgettext_lazy("step", "Disqualified"),
            "qualify": pgettext_lazy("step", "Qualified"),
            "shortlist": pgettext_lazy("step", "Shortlisted"),
            "not_select": pgettext_lazy("step", "Not selected"),
            "award": pgettext_lazy("step", "Awarded"),
            "mark_unsuccessful": pgettext_lazy("step", "Marked unsuccessful"),
            "cancel": pgettext_lazy("step", "Cancelled"),
            "save_answers": pgettext_lazy("step", "Answers saved"),
            "save_price": pgettext_lazy("step", "Price saved"),
            "add_document": pgettext_lazy("step", "Document added"),
            "remove_document": pgettext_lazy("step", "Document removed"),
        },
    )
    register_actions({"accept": pgettext_lazy("step", "Accepted")})
