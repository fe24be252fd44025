"""Scores: saved as drafts, submitted together, changed afterwards only with a reason."""

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.audit import audit_change, audit_diff
from core.errors import InvalidInput, PermissionDenied
from core.permissions import can
from vendors.models import Proposal

from ..models import (
    PASSED_SCREENING,
    Criterion,
    Evaluation,
    PanelAssignment,
    Score,
    ScoreRevision,
)

RATIONALE_LIMIT = 5000
EVALUATOR_ONLY = gettext_lazy("Only the evaluator this assignment names can score with it.")


def parse_points(value, *, max_points: int) -> Decimal:
    """Points as a Decimal with at most two decimals, from 0 to `max_points`; ValueError with a
    sentence otherwise."""
    try:
        points = Decimal(str(value).strip())
    except (InvalidOperation, ValueError, TypeError):
        points = None
    if points is None or not points.is_finite():
        raise ValueError(_("Enter points as a number, for example 7 or 7.5."))
    if points != points.quantize(Decimal("0.01")):
        raise ValueError(_("Use at most two decimals."))
    if points < 0 or points > max_points:
        raise ValueError(
            _("Give between 0 and %(max)d points for this criterion.") % {"max": max_points}
        )
    return points.quantize(Decimal("0.01"))


def clean_rationale(value) -> str:
    text = str(value or "").strip()
    if not text:
        raise ValueError(_("Explain the score: a rationale is required."))
    if len(text) > RATIONALE_LIMIT:
        raise ValueError(
            _("Keep the rationale to %(limit)d characters or fewer.") % {"limit": RATIONALE_LIMIT}
        )
    return text


def scorable_proposal(evaluation: Evaluation, proposal) -> Proposal:
    """The proposal if the panel scores it (this challenge, passed screening); InvalidInput."""
    found = Proposal.objects.filter(
        pk=getattr(proposal, "pk", proposal),
        challenge_id=evaluation.challenge_id,
        status__in=PASSED_SCREENING,
    ).first()
    if found is None:
        raise InvalidInput(
            _(
                "This proposal is not assigned to you: the panel scores only the proposals of "
                "this challenge that passed screening."
            ),
            field_errors={"proposal": [_("Not a proposal you can score.")]},
        )
    return found


def _lock_for_scoring(assignment: PanelAssignment, actor) -> PanelAssignment:
    assignment = (
        PanelAssignment.objects.select_for_update()
        .select_related("evaluation__plan")
        .get(pk=assignment.pk)
    )
    if not can(actor, "evaluation.respond_to_assignment", assignment):
        raise PermissionDenied(EVALUATOR_ONLY)
    if assignment.status == PanelAssignment.Status.INVITED:
        raise InvalidInput(_("Declare that you have no conflict of interest before scoring."))
    if assignment.status == PanelAssignment.Status.RECUSED:
        raise PermissionDenied(_("You recused yourself from this evaluation."))
    evaluation = assignment.evaluation
    open_for_changes = evaluation.status == Evaluation.Status.SCORING or (
        evaluation.status == Evaluation.Status.CONSENSUS
        and assignment.status == PanelAssignment.Status.SUBMITTED
        and not evaluation.consensus_locked_at
    )
    if not open_for_changes:
        raise InvalidInput(
            _("Scores can be changed only during scoring, or until the consensus is locked.")
        )
    return assignment


def scores_save(
    *, assignment: PanelAssignment, actor, proposal, scores: Mapping, reason: str = ""
) -> list[Score]:
    """Save the scores of one proposal: {criterion (or id): {"points": ..., "rationale": ...}}.

    Before submission these are drafts. After submission each change needs `reason` and keeps
    the earlier version (ScoreRevision). All or nothing; field errors are keyed
    `points_<criterion id>`, `rationale_<criterion id>`, `reason`, `proposal`.
    """
    with transaction.atomic():
        assignment = _lock_for_scoring(assignment, actor)
        evaluation = assignment.evaluation
        proposal = scorable_proposal(evaluation, proposal)
        rated = {c.pk: c for c in evaluation.plan.criteria.filter(kind=Criterion.Kind.RATED)}
        submitted = assignment.status == PanelAssignment.Status.SUBMITTED
        reason = (reason or "").strip()
        errors: dict[str, list[str]] = {}
        if submitted and not reason:
            errors["reason"] = [
                _("You already submitted these scores; give a reason for the change.")
            ]
        cleaned: dict[int, tuple[Decimal, str]] = {}
        for key, value in scores.items():
            criterion_id = getattr(key, "pk", key)
            try:
                criterion_id = int(criterion_id)
            except (TypeError, ValueError):
                criterion_id = None
            if criterion_id not in rated:
                errors[f"points_{key}"] = [_("This is not a rated criterion of the plan.")]
                continue
            value = value if isinstance(value, Mapping) else {}
            try:
                points = parse_points(
                    value.get("points"), max_points=rated[criterion_id].max_points
                )
            except ValueError as exc:
                errors[f"points_{criterion_id}"] = [str(exc)]
                continue
            try:
                rationale = clean_rationale(value.get("rationale"))
            except ValueError as exc:
                errors[f"rationale_{criterion_id}"] = [str(exc)]
                continue
            cleaned[criterion_id] = (points, rationale)
        if errors:
            raise InvalidInput([m for ms in errors.values() for m in ms], field_errors=errors)
        existing = {
            s.criterion_id: s
            for s in Score.objects.select_for_update().filter(
                assignment=assignment, proposal=proposal, criterion_id__in=cleaned
            )
        }
        saved = []
        for criterion_id, (points, rationale) in cleaned.items():
            criterion = rated[criterion_id]
            score = existing.get(criterion_id)
            if submitted and score is None:
                raise InvalidInput(_("This score was never submitted; it cannot be changed."))
            if score is None:
                score = Score(assignment=assignment, proposal=proposal, criterion=criterion)
            elif score.points == points and score.rationale == rationale:
                saved.append(score)
                continue
            before = (
                dict.fromkeys(("points", "rationale"))
                if score._state.adding
                else {"points": score.points, "rationale": score.rationale}
            )
            score.points = points
            score.rationale = rationale
            score.max_points = criterion.max_points
            if submitted:
                score.version += 1
            score.save()
            if submitted:
                ScoreRevision.objects.create(
                    score=score,
                    version=score.version,
                    points=points,
                    max_points=score.max_points,
                    rationale=rationale,
                    reason=reason,
                    changed_by=actor,
                )
            audit_change(
                obj=score,
                actor=actor,
                action="score",
                changes=audit_diff(before, score),
                reason=reason,
                metadata={"challenge_id": evaluation.challenge_id, "proposal": proposal.pk},
            )
            saved.append(score)
    return saved


def score_save(
    *,
    assignment: PanelAssignment,
    actor,
    proposal,
    criterion,
    points,
    rationale: str,
    reason: str = "",
) -> Score:
    """Save one score (see scores_save)."""
    return scores_save(
        assignment=assignment,
        actor=actor,
        proposal=proposal,
        scores={getattr(criterion, "pk", criterion): {"points": points, "rationale": rationale}},
        reason=reason,
    )[0]


def snapshot_submitted_scores(*, assignment: PanelAssignment, actor) -> None:
    """Keep version 1 of every score at submission (inside the submitting transaction)."""
    ScoreRevision.objects.bulk_create(
        ScoreRevision(
            score=score,
            version=score.version,
            points=score.points,
            max_points=score.max_points,
            rationale=score.rationale,
            reason="",
            changed_by=actor,
        )
        for score in assignment.scores.all()
    )
