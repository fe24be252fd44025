"""Evaluation pages. Views read through selectors, write through services and redirect after a
successful POST; whatever a person may not see answers 404, as if it did not exist."""

from .overview import (
    overview,
    panel_assign,
    panel_set_chair,
    panel_unassign,
    screening_record,
    transition,
)
from .plan import criterion_add, criterion_edit, criterion_remove, plan, plan_settings
from .results import consensus, consensus_lock, consensus_record, prices, results, results_csv
from .workspace import declare, document, mine, recuse, score, submit, workspace

__all__ = [
    "consensus",
    "consensus_lock",
    "consensus_record",
    "criterion_add",
    "criterion_edit",
    "criterion_remove",
    "declare",
    "document",
    "mine",
    "overview",
    "panel_assign",
    "panel_set_chair",
    "panel_unassign",
    "plan",
    "plan_settings",
    "prices",
    "recuse",
    "results",
    "results_csv",
    "score",
    "screening_record",
    "submit",
    "transition",
    "workspace",
]
