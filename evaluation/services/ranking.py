"""Storing the ranking with its draw and the digest of its inputs; deciding from it."""

import hashlib
import json
import random
import secrets

from django.db import transaction
from django.utils.translation import gettext as _

from core.errors import InvalidInput, PermissionDenied, TransitionRefused
from core.workflow import (
    allowed_transitions,
    denied_message,
    permitted,
    transition_problems,
    transition_run,
)
from vendors.models import PriceEnvelope, Proposal
from vendors.services import proposal_evaluate

from ..models import (
    ConsensusScore,
    DrawEntry,
    DrawRecord,
    Evaluation,
    EvaluationPlan,
    PanelAssignment,
    RankingEntry,
    Score,
)
from ..ranking import Ranking, compute_ranking


def ranking_inputs(evaluation: Evaluation) -> dict:
    """Everything the ranking is computed from, in a stable order (digested, not shown)."""
    plan = evaluation.plan
    proposals = evaluation.ranked_proposals()
    if plan.combination == EvaluationPlan.Combination.CONSENSUS:
        scores = ConsensusScore.objects.filter(evaluation_id=evaluation.pk).order_by(
            "proposal_id", "criterion_id"
        )
        score_rows = [
            [p, c, str(points)]
            for p, c, points in scores.values_list("proposal_id", "criterion_id", "points")
        ]
    else:
        scores = Score.objects.filter(
            assignment__evaluation_id=evaluation.pk,
            assignment__status=PanelAssignment.Status.SUBMITTED,
        ).order_by("assignment_id", "proposal_id", "criterion_id")
        score_rows = [
            [a, p, c, str(points)]
            for a, p, c, points in scores.values_list(
                "assignment_id", "proposal_id", "criterion_id", "points"
            )
        ]
    prices = PriceEnvelope.objects.filter(proposal__in=proposals).order_by("proposal_id")
    draw = DrawRecord.objects.filter(evaluation_id=evaluation.pk).first()
    return {
        "plan": plan.compute_digest(),
        "proposals": sorted(proposals.values_list("pk", flat=True)),
        "scores": score_rows,
        "prices": [[p, str(amount)] for p, amount in prices.values_list("proposal_id", "amount")],
        "draw": None
        if draw is None
        else {
            "seed": draw.seed,
            "positions": list(
                draw.entries.order_by("position").values_list("proposal_id", "position")
            ),
        },
    }


def ranking_inputs_digest(evaluation: Evaluation) -> str:
    text = json.dumps(ranking_inputs(evaluation), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def draw_record(*, evaluation: Evaluation, actor, groups: list[list[int]], seed=None) -> DrawRecord:
    """Draw the order of proposals the earlier tie-breaks leave tied, from a recorded seed, so
    anyone can replay it: each group (sorted by id) is shuffled with random.Random(seed)."""
    seed = secrets.randbits(62) if seed is None else seed
    draw = DrawRecord.objects.create(
        evaluation=evaluation, seed=seed, drawn_by=actor if getattr(actor, "pk", None) else None
    )
    generator = random.Random(seed)  # noqa: S311  (a replayable draw, not a secret)
    entries = []
    position = 0
    for group in groups:
        members = sorted(group)
        generator.shuffle(members)
        for proposal_id in members:
            position += 1
            entries.append(DrawEntry(draw=draw, proposal_id=proposal_id, position=position))
    DrawEntry.objects.bulk_create(entries)
    return draw


def _entries(evaluation: Evaluation, ranking: Ranking) -> list[RankingEntry]:
    return [
        RankingEntry(
            evaluation=evaluation,
            proposal_id=row.proposal_id,
            technical=row.technical,
            meets_minimum=row.meets_minimum,
            price_points=row.price_points,
            total=row.total,
            rank=row.rank,
            tie_break_applied=row.tie_break_applied,
            criterion_scores={key: str(value) for key, value in row.criterion_scores.items()},
        )
        for row in ranking.rows
    ]


def evaluation_rank(*, evaluation: Evaluation, actor) -> Evaluation:
    """Compute the ranking in the database, draw if the chain needs it, store the rows and the
    inputs' digest, and move to `ranked` (the digest and draw seed are in the audit entry)."""
    with transaction.atomic():
        locked = (
            Evaluation.objects.select_for_update()
            .select_related("plan", "challenge")
            .get(pk=evaluation.pk)
        )
        if actor is not None and not permitted(locked, "rank", actor):
            raise PermissionDenied(denied_message(locked, "rank"))
        problems = transition_problems(locked, "rank")
        if problems:
            raise TransitionRefused(problems, allowed=allowed_transitions(locked, actor))
        ranking = compute_ranking(locked)
        draw = DrawRecord.objects.filter(evaluation=locked).first()
        if ranking.draw_groups and draw is None:
            draw = draw_record(evaluation=locked, actor=actor, groups=ranking.draw_groups)
            ranking = compute_ranking(locked)
        RankingEntry.objects.filter(evaluation=locked).delete()
        RankingEntry.objects.bulk_create(_entries(locked, ranking))
        return transition_run(
            instance=locked,
            name="rank",
            actor=actor,
            inputs_digest=ranking_inputs_digest(locked),
            draw_seed=draw.seed if draw else None,
            entries=len(ranking.rows),
        )


def ranking_differences(evaluation: Evaluation) -> list[str]:
    """Recompute the ranking from the stored inputs (and the recorded draw) and compare it with
    the stored one; every difference as a sentence, empty when they agree."""
    evaluation = Evaluation.objects.select_related("plan", "challenge").get(pk=evaluation.pk)
    stored = {e.proposal_id: e for e in RankingEntry.objects.filter(evaluation=evaluation)}
    if not stored:
        return [_("No ranking is stored for this evaluation.")]
    differences = []
    digest = ranking_inputs_digest(evaluation)
    if digest != evaluation.ranking_inputs_digest:
        differences.append(
            _("The inputs changed since the ranking: digest %(now)s, stored %(stored)s.")
            % {"now": digest, "stored": evaluation.ranking_inputs_digest or "-"}
        )
    fresh = {row.proposal_id: row for row in compute_ranking(evaluation).rows}
    for proposal_id in sorted(set(stored) | set(fresh)):
        old, new = stored.get(proposal_id), fresh.get(proposal_id)
        if old is None or new is None:
            differences.append(
                _("Proposal %(id)s is only in the %(where)s ranking.")
                % {"id": proposal_id, "where": _("recomputed") if old is None else _("stored")}
            )
            continue
        for name in ("technical", "meets_minimum", "price_points", "total", "rank"):
            if getattr(old, name) != getattr(new, name):
                differences.append(
                    _("Proposal %(id)s: %(field)s is %(new)s, stored %(old)s.")
                    % {
                        "id": proposal_id,
                        "field": name,
                        "new": getattr(new, name),
                        "old": getattr(old, name),
                    }
                )
    return differences


def evaluation_decide(
    *, evaluation: Evaluation, actor, reason: str = "", shortlist_size: int = 1
) -> Evaluation:
    """Close the evaluation: the top `shortlist_size` ranks that meet the technical minimum are
    shortlisted (ties at the edge included), every other qualified proposal is not selected."""
    try:
        shortlist_size = int(shortlist_size)
    except (TypeError, ValueError):
        shortlist_size = 0
    if shortlist_size < 1:
        raise InvalidInput(
            _("Shortlist at least one proposal."),
            field_errors={"shortlist_size": [_("Enter a whole number of at least 1.")]},
        )
    with transaction.atomic():
        entries = list(
            RankingEntry.objects.filter(evaluation_id=evaluation.pk).order_by("rank", "pk")
        )
        shortlisted = [
            e.proposal_id for e in entries if e.meets_minimum and e.rank <= shortlist_size
        ]
        evaluation = transition_run(
            instance=evaluation,
            name="decide",
            actor=actor,
            reason=reason,
            shortlisted=shortlisted,
        )
        proposals = Proposal.objects.in_bulk([e.proposal_id for e in entries])
        for entry in entries:
            proposal = proposals[entry.proposal_id]
            if proposal.status != Proposal.Status.QUALIFIED:
                continue
            if entry.proposal_id in shortlisted:
                proposal_evaluate(proposal=proposal, actor=actor, name="shortlist")
            else:
                why = (
                    _("Ranked %(rank)d of %(count)d.") % {"rank": entry.rank, "count": len(entries)}
                    if entry.meets_minimum
                    else _("Below the minimum technical score.")
                )
                proposal_evaluate(proposal=proposal, actor=actor, name="not_select", reason=why)
    return evaluation
