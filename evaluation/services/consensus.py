"""Consensus: the chair records the panel's agreed score per proposal and criterion."""

from django.db import transaction
from django.utils.translation import gettext as _

from core.audit import audit_change
from core.errors import InvalidInput
from core.permissions import require

from ..models import ConsensusScore, Criterion, Evaluation, EvaluationPlan
from .scoring import clean_rationale, parse_points, scorable_proposal


@transaction.atomic
def consensus_record(
    *, evaluation: Evaluation, actor, proposal, criterion, points, rationale: str
) -> ConsensusScore:
    """Record (or correct, until the lock) the consensus score of one proposal on one rated
    criterion. Only when the plan combines by consensus; with "average" the plan's average
    applies. Field errors: `points`, `rationale`, `criterion`, `proposal`."""
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
