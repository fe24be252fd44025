"""Labels of the evaluation's and the panel's steps (core.steps)."""

from django.utils.translation import pgettext_lazy

from core.steps import register_actions, register_steps


def register_evaluation_steps() -> None:
    register_steps(
        "evaluation.Evaluation",
        {
            "start_screening": pgettext_lazy("step", "Screening started"),
            "start_scoring": pgettext_lazy("step", "Scoring started"),
            "open_consensus": pgettext_lazy("step", "Consensus opened"),
            "lock_consensus": pgettext_lazy("step", "Consensus locked"),
            "open_prices": pgettext_lazy("step", "Prices opened"),
            "rank": pgettext_lazy("step", "Ranked"),
            "decide": pgettext_lazy("step", "Decision recorded"),
        },
    )
    register_steps(
        "evaluation.PanelAssignment",
        {
            "accept": pgettext_lazy("step", "Declaration signed"),
            "recuse": pgettext_lazy("step", "Recused"),
            "submit": pgettext_lazy("step", "Scores submitted"),
            "chair": pgettext_lazy("step", "Chair changed"),
        },
    )
    register_actions(
        {
            "score": pgettext_lazy("step", "Scored"),
            "screen": pgettext_lazy("step", "Screened"),
        }
    )
