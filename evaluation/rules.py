"""Who may do what in an evaluation (DESIGN.md §1, §3 Evaluation).

Predicates take an Evaluation, or an object that belongs to one (panel assignment), or for the
plan the challenge, the plan or a criterion. What a person may *see* of the scores is data, in
`SCORE_VISIBILITY` below, read by the selectors.
"""

from dataclasses import dataclass
from enum import StrEnum

import rules

from challenges.models import Challenge
from challenges.rules import was_published
from core.predicates import is_approver, is_evaluator, is_staff_member

from .models import Criterion, Evaluation, EvaluationPlan, PanelAssignment

ACTIVE = (PanelAssignment.Status.ACCEPTED, PanelAssignment.Status.SUBMITTED)


def _challenge(obj):
    if isinstance(obj, Challenge):
        return obj
    if isinstance(obj, Evaluation | EvaluationPlan):
        return obj.challenge
    if isinstance(obj, Criterion):
        return obj.plan.challenge
    if isinstance(obj, PanelAssignment):
        return obj.evaluation.challenge
    return None


def _evaluation(obj):
    if isinstance(obj, Evaluation):
        return obj
    if isinstance(obj, PanelAssignment):
        return obj.evaluation
    return None


def assignment_for(evaluation, user) -> PanelAssignment | None:
    """The user's place on the panel, if any (read fresh: it changes as the evaluator acts),
    unless the evaluation was read for one request's pages (`remember_panel_places`)."""
    if evaluation is None or not getattr(user, "is_authenticated", False):
        return None
    remembered = getattr(evaluation, "_panel_places", None)
    if remembered is not None and user.pk in remembered:
        return remembered[user.pk]
    assignment = PanelAssignment.objects.filter(evaluation=evaluation, evaluator_id=user.pk).first()
    if remembered is not None:
        remembered[user.pk] = assignment
    return assignment


def remember_panel_places(evaluation: Evaluation) -> Evaluation:
    """Read each person's place on this evaluation's panel once. A page asks it many times (its
    rules, its selectors, its template) while nothing changes it; only an evaluation read for
    one request may remember: services lock and read their own copy, so they read it fresh."""
    evaluation._panel_places = {}
    return evaluation


@rules.predicate
def is_challenge_owner(user, obj):
    challenge = _challenge(obj)
    return challenge is not None and challenge.owner_id == getattr(user, "pk", None)


@rules.predicate
def is_chair(user, obj):
    assignment = assignment_for(_evaluation(obj), user)
    return assignment is not None and assignment.is_chair and assignment.status in ACTIVE


@rules.predicate
def is_assigned_evaluator(user, obj):
    return isinstance(obj, PanelAssignment) and obj.evaluator_id == getattr(user, "pk", None)


@rules.predicate
def sees_screening(user, obj):
    """Screening results name the vendors: municipal staff read them, and so do the panel's
    members once they have declared no conflict. A place on the panel comes first: a recused or
    undeclared member reads none, even if they are also staff (as for the scores)."""
    evaluation = _evaluation(obj)
    if evaluation is None:
        return False
    assignment = assignment_for(evaluation, user)
    if assignment is not None:
        return assignment.status in ACTIVE and bool(is_evaluator(user))
    return bool(is_staff_member(user))


owns_it = is_staff_member & is_challenge_owner

rules.add_perm("evaluation.change_plan", owns_it)
# The approver approves the plan with the statement (four eyes), so sees it before publication.
rules.add_perm("evaluation.view_plan", is_staff_member | is_approver)
rules.add_perm("evaluation.manage_evaluation", owns_it)
rules.add_perm("evaluation.manage_panel", owns_it)
rules.add_perm("evaluation.record_screening", owns_it)
rules.add_perm("evaluation.view_screening", sees_screening)
rules.add_perm("evaluation.open_consensus", owns_it | (is_evaluator & is_chair))
rules.add_perm("evaluation.lead_consensus", is_evaluator & is_chair)
rules.add_perm("evaluation.respond_to_assignment", is_evaluator & is_assigned_evaluator)
rules.add_perm("evaluation.view_progress", is_staff_member)
# The way in from the challenge page: staff edit the plan and follow the evaluation once the
# challenge is published; everyone else reads the published plan.
rules.add_perm("evaluation.view_overview", is_staff_member & was_published)
rules.add_perm("evaluation.read_published_plan", ~(is_staff_member | is_approver) & was_published)


# Score visibility as data (the Pretalx way): which scores, and whether the panel's progress, each
# kind of viewer sees, and from when. Selectors read this table; nothing else decides it.


class Viewer(StrEnum):
    CHAIR = "chair"
    EVALUATOR = "evaluator"
    STAFF = "staff"
    NOBODY = "nobody"  # recused, invited but undeclared, unassigned, vendor, public, admin


class Reveal(StrEnum):
    NEVER = "never"
    ALWAYS = "always"
    AFTER_OWN_SUBMISSION = "after_own_submission"
    FROM_CONSENSUS = "from_consensus"


@dataclass(frozen=True)
class ScoreVisibility:
    own_scores: Reveal
    others_scores: Reveal
    progress: Reveal


SCORE_VISIBILITY = {
    Viewer.CHAIR: ScoreVisibility(Reveal.ALWAYS, Reveal.AFTER_OWN_SUBMISSION, Reveal.ALWAYS),
    Viewer.EVALUATOR: ScoreVisibility(
        Reveal.ALWAYS, Reveal.AFTER_OWN_SUBMISSION, Reveal.AFTER_OWN_SUBMISSION
    ),
    Viewer.STAFF: ScoreVisibility(Reveal.NEVER, Reveal.FROM_CONSENSUS, Reveal.ALWAYS),
    Viewer.NOBODY: ScoreVisibility(Reveal.NEVER, Reveal.NEVER, Reveal.NEVER),
}


def viewer_of(evaluation: Evaluation, user) -> tuple[Viewer, PanelAssignment | None]:
    """What kind of viewer `user` is for this evaluation.

    A place on the panel comes first: a recused or undeclared member sees nothing of the scores,
    even if they are also municipal staff.
    """
    assignment = assignment_for(evaluation, user)
    if assignment is not None:
        if assignment.status in ACTIVE and is_evaluator(user):
            return (Viewer.CHAIR if assignment.is_chair else Viewer.EVALUATOR), assignment
        return Viewer.NOBODY, assignment
    if is_staff_member(user):
        return Viewer.STAFF, None
    return Viewer.NOBODY, None


def revealed(reveal: Reveal, evaluation: Evaluation, assignment: PanelAssignment | None) -> bool:
    if reveal == Reveal.ALWAYS:
        return True
    if reveal == Reveal.AFTER_OWN_SUBMISSION:
        return assignment is not None and assignment.status == PanelAssignment.Status.SUBMITTED
    if reveal == Reveal.FROM_CONSENSUS:
        return evaluation.status in Evaluation.CONSENSUS_STATES
    return False
