"""Labels of the documents' audited actions as a challenge's history shows them (core.steps)."""

from django.utils.translation import pgettext_lazy

from core.steps import register_steps


def register_document_steps() -> None:
    register_steps(
        "challenges.Document",
        {
            "create": pgettext_lazy("step", "Document attached"),
            "delete": pgettext_lazy("step", "Document deleted"),
            "withdraw": pgettext_lazy("step", "Document withdrawn"),
        },
    )
