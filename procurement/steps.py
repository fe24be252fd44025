"""Labels of the award's, the contract's and the pilot's steps (core.steps)."""

from django.utils.translation import pgettext_lazy

from core.steps import register_actions, register_steps


def register_procurement_steps() -> None:
    register_steps(
        "procurement.Award",
        {
            "recommend": pgettext_lazy("step", "Recommended"),
            "approve": pgettext_lazy("step", "Approved"),
            "reject": pgettext_lazy("step", "Rejected"),
            "notify": pgettext_lazy("step", "Vendors notified"),
            "start_standstill": pgettext_lazy("step", "Standstill started"),
            "finalise": pgettext_lazy("step", "Made final"),
            "withdraw": pgettext_lazy("step", "Withdrawn"),
        },
    )
    register_steps(
        "procurement.Pilot",
        {
            "plan": pgettext_lazy("step", "Planned"),
            "start": pgettext_lazy("step", "Pilot started"),
            "open_review": pgettext_lazy("step", "Review opened"),
            "adopt": pgettext_lazy("step", "Adopted"),
            "conclude": pgettext_lazy("step", "Concluded"),
            "terminate": pgettext_lazy("step", "Terminated"),
        },
    )
    register_steps(
        "procurement.Contract",
        {
            "draft": pgettext_lazy("step", "Contract drafted"),
            "sign": pgettext_lazy("step", "Contract signed"),
        },
    )
    register_steps(
        "procurement.DebriefRequest",
        {
            "schedule": pgettext_lazy("step", "Debrief scheduled"),
            "record_held": pgettext_lazy("step", "Debrief held"),
        },
    )
    register_actions({"done": pgettext_lazy("step", "Marked done")})
