"""Moving an evaluation through its stages (DESIGN.md §3 Evaluation).

How an evaluation starts: the plan's freezing at publication creates it in `setup`; the
challenge's `start_evaluation` (closed → evaluating) runs `start_screening` in the same
transaction, as the same person. Every other step is run here, by name or by its own function.
"""

from django.db import transaction
from django.utils.translation import gettext as _

from challenges.models import Challenge
from core.errors import InvalidInput
from core.workflow import transition_run

from ..models import Evaluation, EvaluationPlan

STAGE_STEPS = (
    "start_screening",
    "start_scoring",
    "open_consensus",
    "lock_consensus",
    "open_prices",
)


def evaluation_transition(*, evaluation: Evaluation, actor, name: str, reason: str = ""):
    """Run a stage step by name: start_screening, start_scoring, open_consensus,
    lock_consensus, open_prices, rank (computes and stores the ranking) or decide.

    Raises PermissionDenied (403), TransitionRefused with the guard's sentences (409).
    """
    from .ranking import evaluation_decide, evaluation_rank

    if name == "rank":
        return evaluation_rank(evaluation=evaluation, actor=actor)
    if name == "decide":
        return evaluation_decide(evaluation=evaluation, actor=actor, reason=reason)
    if name not in STAGE_STEPS:
        raise InvalidInput(_("This is not a step of the evaluation."))
    return transition_run(instance=evaluation, name=name, actor=actor, reason=reason)


def consensus_lock(*, evaluation: Evaluation, actor) -> Evaluation:
    """The chair locks the consensus (every consensus score recorded, when the plan says so)."""
    return transition_run(instance=evaluation, name="lock_consensus", actor=actor)


def prices_open(*, evaluation: Evaluation, actor) -> Evaluation:
    """Open the price envelopes: the owner's explicit, audited step after the consensus lock."""
    return transition_run(instance=evaluation, name="open_prices", actor=actor)


def evaluation_start_on_challenge(*, instance: Challenge, actor=None) -> None:
    """Effect of `Challenge.start_evaluation`, inside its transaction: screening starts.

    A challenge published without a plan (loaded as history, from before evaluation existed)
    has no evaluation to start; it is left as it is.
    """
    plan = EvaluationPlan.objects.filter(challenge_id=instance.pk).first()
    if plan is None:
        return
    with transaction.atomic():
        evaluation, _created = Evaluation.objects.get_or_create(
            challenge_id=instance.pk, defaults={"plan": plan}
        )
        if evaluation.status == Evaluation.Status.SETUP:
            transition_run(instance=evaluation, name="start_screening", actor=actor)
