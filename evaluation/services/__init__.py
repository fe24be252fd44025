"""Every write to evaluation (DESIGN.md §2): one atomic function per user action.

Pages, API and tasks call these, never a transition directly.
"""

from .consensus import consensus_record, consensus_record_proposal
from .panel import (
    assignment_accept,
    assignment_recuse,
    assignment_submit,
    declaration_statement,
    declared_vendors,
    panel_assign,
    panel_set_chair,
    panel_unassign,
)
from .plan import (
    criterion_add,
    criterion_remove,
    criterion_update,
    plan_define,
    plan_freeze,
    plan_freeze_on_publication,
    plan_lock_reason,
    plan_publication_problems,
    plan_record_approval,
    plan_require_editable,
    plan_review_problems,
    plan_save,
)
from .ranking import (
    draw_record,
    evaluation_decide,
    evaluation_rank,
    ranking_differences,
    ranking_inputs_digest,
)
from .scoring import score_save, scores_save
from .screening import screening_record
from .stages import (
    consensus_lock,
    evaluation_start_on_challenge,
    evaluation_transition,
    prices_open,
)

__all__ = [
    "assignment_accept",
    "assignment_recuse",
    "assignment_submit",
    "consensus_lock",
    "consensus_record",
    "consensus_record_proposal",
    "criterion_add",
    "criterion_remove",
    "criterion_update",
    "declaration_statement",
    "declared_vendors",
    "draw_record",
    "evaluation_decide",
    "evaluation_rank",
    "evaluation_start_on_challenge",
    "evaluation_transition",
    "panel_assign",
    "panel_set_chair",
    "panel_unassign",
    "plan_define",
    "plan_freeze",
    "plan_freeze_on_publication",
    "plan_lock_reason",
    "plan_publication_problems",
    "plan_record_approval",
    "plan_require_editable",
    "plan_review_problems",
    "plan_save",
    "prices_open",
    "ranking_differences",
    "ranking_inputs_digest",
    "score_save",
    "scores_save",
    "screening_record",
]
