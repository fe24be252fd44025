"""Consensus: the chair records the panel's agreed score per proposal and criterion."""

from collections.abc import Mapping

from django.db import transaction
from django.utils.translation import gettext as _

from core.audit import audit_change
from core.errors import InvalidInput
from core.permissions import require

from ..models import ConsensusScore, Criterion, Evaluation, EvaluationPlan
from .scoring import clean_rationale, parse_points, scorable_proposal


def _open_for_consensus(evaluation: Evaluation, actor) -> Evaluation:
    """The evaluation, locked, if `actor` may record consensus scores in it now."""
    evaluation = Evaluation.objects.select_for_update().select_related("plan").get(pk=evaluation.pk)
    require(
        actor,
        "evaluation.lead_consensus",
        evaluation,
        _("Only the panel's chair records consensus scores."),
    )
    if evaluation.status != Evaluation.Status.CONSENSUS or evaluation.consensus_locked_at:
        raise InvalidInput(
            _("Consensus scores are recorded during the consensus stage, until it is locked.")
        )
    if evaluation.plan.combination != EvaluationPlan.Combination.CONSENSUS:
        raise InvalidInput(
            _("This plan averages the evaluators' scores; no consensus score is recorded.")
        )
    return evaluation


@transaction.atomic
def consensus_record_proposal(
    *, evaluation: Evaluation, actor, proposal, scores: Mapping
) -> list[ConsensusScore]:
    """Record (or correct, until the lock) the consensus scores of one proposal on several rated
    criteria at once: {criterion (or id): {"points": ..., "rationale": ...}}. All or nothing;
    field errors are keyed `points_<criterion id>`, `rationale_<criterion id>`."""
    evaluation = _open_for_consensus(evaluation, actor)
    proposal = scorable_proposal(evaluation, proposal)
    rated = {c.pk: c for c in evaluation.plan.criteria.filter(kind=Criterion.Kind.RATED)}
    errors: dict[str, list[str]] = {}
    cleaned: dict[int, tuple] = {}
    if not scores:
        raise InvalidInput(_("Give consensus points and a rationale for at least one criterion."))
    for key, value in scores.items():
        try:
            criterion_id = int(getattr(key, "pk", key))
        except (TypeError, ValueError):
            criterion_id = None
        if criterion_id not in rated:
            errors[f"points_{key}"] = [_("This is not a rated criterion of the plan.")]
            continue
        value = value if isinstance(value, Mapping) else {}
        points = rationale = None
        try:
            points = parse_points(value.get("points"), max_points=rated[criterion_id].max_points)
        except ValueError as exc:
            errors[f"points_{criterion_id}"] = [str(exc)]
        try:
            rationale = clean_rationale(value.get("rationale"))
        except ValueError as exc:
            errors[f"rationale_{criterion_id}"] = [str(exc)]
        cleaned[criterion_id] = (points, rationale)
    if errors:
        raise InvalidInput([m for ms in errors.values() for m in ms], field_errors=errors)
    return [
        _record(evaluation, actor, proposal, rated[criterion_id], points, rationale)
        for criterion_id, (points, rationale) in cleaned.items()
    ]


@transaction.atomic
def consensus_record(
    *, evaluation: Evaluation, actor, proposal, criterion, points, rationale: str
) -> ConsensusScore:
    """Record (or correct, until the lock) the consensus score of one proposal on one rated
    criterion. Only when the plan combines by consensus; with "average" the plan's average
    applies. Field errors: `points`, `rationale`, `criterion`, `proposal`."""
    evaluation = _open_for_consensus(evaluation, actor)
    proposal = scorable_proposal(evaluation, proposal)
    criterion = evaluation.plan.criteria.filter(
        pk=getattr(criterion, "pk", criterion), kind=Criterion.Kind.RATED
    ).first()
    if criterion is None:
        raise InvalidInput(
            _("This is not a rated criterion of the plan."),
            field_errors={"criterion": [_("Choose a rated criterion.")]},
        )
    errors: dict[str, list[str]] = {}
    try:
        points = parse_points(points, max_points=criterion.max_points)
    except ValueError as exc:
        errors["points"] = [str(exc)]
    try:
        rationale = clean_rationale(rationale)
    except ValueError as exc:
        errors["rationale"] = [str(exc)]
    if errors:
        raise InvalidInput([m for ms in errors.values() for m in ms], field_errors=errors)
    return _record(evaluation, actor, proposal, criterion, points, rationale)


def _record(evaluation, actor, proposal, criterion, points, rationale) -> ConsensusScore:
    previous = ConsensusScore.objects.filter(proposal=proposal, criterion=criterion).first()
    score, _created = ConsensusScore.objects.update_or_create(
        proposal=proposal,
        criterion=criterion,
        defaults={
            "evaluation": evaluation,
            "points": points,
            "max_points": criterion.max_points,
            "rationale": rationale,
            "recorded_by": actor,
        },
    )
    # The trail is the consensus score's history: every value it had, who set it and when.
    before = (previous.points, previous.rationale) if previous else (None, None)
    audit_change(
        obj=score,
        actor=actor,
        action="update" if previous else "create",
        changes={
            name: (old, new)
            for name, old, new in zip(
                ("points", "rationale"), before, (score.points, score.rationale), strict=True
            )
            if old != new
        },
        metadata={"challenge_id": evaluation.challenge_id},
    )
    return score
