"""Reads for evaluation, with conflicts, blind scoring and sealed prices applied.

Who sees which scores is decided by `rules.SCORE_VISIBILITY` (data); these functions only read it.
Anything a person may not see comes back empty (or None, or Http404 for a single object),
the same answer as for something that does not exist.
"""

import statistics
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import (
    Avg,
    Count,
    Max,
    Min,
    OuterRef,
    Prefetch,
    QuerySet,
    StdDev,
    Subquery,
)
from django.http import Http404
from django.utils.translation import gettext as _

from challenges.models import Challenge
from core.audit import audit_history_of
from core.permissions import can
from core.predicates import is_evaluator
from vendors import sealing
from vendors.models import PriceEnvelope, Proposal, ProposalAnswer, ProposalDocument

from .models import (
    PASSED_SCREENING,
    ConsensusScore,
    Criterion,
    Evaluation,
    EvaluationPlan,
    PanelAssignment,
    RankingEntry,
    Score,
    ScoreRevision,
    ScreeningResult,
)
from .ranking import TIE_BREAK_LABELS, technical_standing
from .rules import (
    ACTIVE,
    SCORE_VISIBILITY,
    Viewer,
    remember_panel_places,
    revealed,
    viewer_of,
)

# An individual score is flagged when it is further than this share of the criterion's maximum
# from the median of the panel's scores for the same proposal and criterion. The median of all
# scores, not of the others': with three evaluators and one far off, the others' median would
# flag the two who agree as well.
OUTLIER_SHARE = Decimal("0.30")
# What the panel reads: received proposals, except those screening disqualified.
SCREENED_IN = [s for s in Proposal.RECEIVED_STATES if s != Proposal.Status.DISQUALIFIED]


# The plan ------------------------------------------------------------------------------------


def plan_for_challenge(*, challenge: Challenge, user) -> EvaluationPlan | None:
    """The plan with its criteria: municipal staff any time, everyone once it is frozen and the
    challenge public (see also plan_public_summary)."""
    plan = (
        EvaluationPlan.objects.filter(challenge=challenge)
        .prefetch_related(Prefetch("criteria", queryset=Criterion.objects.order_by("order", "pk")))
        .first()
    )
    if plan is None:
        return None
    if can(user, "evaluation.view_plan", plan) or (plan.is_frozen and challenge.is_public):
        return plan
    return None


def plan_digests(plan: EvaluationPlan) -> dict:
    """The plan's digests: {"current": as it stands, "approved": recorded at approval,
    "published": frozen at publication, "match": whether the published one is the approved one
    (None until both exist)}. Uses the plan's prefetched criteria when it has them."""
    current = plan.digest if plan.is_frozen else plan.compute_digest(list(plan.criteria.all()))
    both = bool(plan.approved_digest and plan.digest)
    return {
        "current": current,
        "approved": plan.approved_digest,
        "published": plan.digest,
        "match": (plan.approved_digest == plan.digest) if both else None,
    }


def plan_public_summary(challenge: Challenge) -> dict | None:
    """What the public challenge page shows of a frozen plan, or None before publication:
    {"criteria": [{"kind", "kind_label", "name", "description", "weight", "max_points"}],
    "price_formula", "minimum_technical_score", "combination", "combination_label",
    "tie_break_order": [labels], "total_weight", "digest", "approved_digest", "frozen_at"}."""
    plan = EvaluationPlan.objects.filter(challenge=challenge, frozen_at__isnull=False).first()
    if plan is None or not challenge.is_public:
        return None
    criteria = list(plan.criteria.order_by("order", "pk"))
    return {
        "criteria": [
            {
                "kind": c.kind,
                "kind_label": c.get_kind_display(),
                "name": c.name,
                "description": c.description,
                "weight": c.weight,
                "max_points": c.max_points,
            }
            for c in criteria
        ],
        "price_formula": "lowest price / bid price × points",
        "minimum_technical_score": plan.minimum_technical_score,
        "combination": plan.combination,
        "combination_label": plan.get_combination_display(),
        "tie_break_order": [str(TIE_BREAK_LABELS[key]) for key in plan.tie_break_order],
        "total_weight": sum(c.weight for c in criteria),
        "digest": plan.digest,
        "approved_digest": plan.approved_digest,
        "frozen_at": plan.frozen_at,
    }


# The evaluation and the panel -----------------------------------------------------------------


def evaluation_for_challenge(*, challenge: Challenge, user) -> Evaluation | None:
    """The challenge's evaluation for municipal staff and for panel members who have not
    recused; None for everyone else."""
    evaluation = (
        Evaluation.objects.select_related("challenge", "plan").filter(challenge=challenge).first()
    )
    if evaluation is None:
        return None
    return _shown_to(evaluation, user)


def evaluation_by_reference(*, reference: str, user) -> Evaluation | None:
    """The evaluation of the challenge `reference`, read with its challenge and plan at once,
    for those who may see the challenge and whom `evaluation_for_challenge` lets in."""
    evaluation = (
        Evaluation.objects.select_related("challenge__owner", "challenge__department", "plan")
        .filter(challenge__reference=reference)
        .first()
    )
    if evaluation is None or not can(user, "challenges.view_challenge", evaluation.challenge):
        return None
    return _shown_to(evaluation, user)


def _shown_to(evaluation: Evaluation, user) -> Evaluation | None:
    # Read for this request's page or API answer: the viewer's place is read once.
    remember_panel_places(evaluation)
    viewer, assignment = viewer_of(evaluation, user)
    if viewer != Viewer.NOBODY or (
        assignment is not None and assignment.status == PanelAssignment.Status.INVITED
    ):
        return evaluation
    return None


def assignments_for_user(user) -> QuerySet[PanelAssignment]:
    """The evaluator's own places on panels (their workspace), newest first."""
    if not is_evaluator(user):
        return PanelAssignment.objects.none()
    return (
        PanelAssignment.objects.filter(evaluator=user)
        .select_related("evaluation__challenge")
        .order_by("-assigned_at", "-pk")
    )


def panel_progress(*, evaluation: Evaluation, user) -> QuerySet[PanelAssignment]:
    """Who is on the panel and who has submitted (no scores): for staff and the chair always,
    for an evaluator after their own submission; empty for everyone else."""
    viewer, assignment = viewer_of(evaluation, user)
    if not revealed(SCORE_VISIBILITY[viewer].progress, evaluation, assignment):
        return PanelAssignment.objects.none()
    return (
        evaluation.assignments.select_related("evaluator")
        .only(
            "pk",
            "evaluation_id",
            "evaluator__username",
            "evaluator__first_name",
            "evaluator__last_name",
            "is_chair",
            "status",
            "due_at",
            "submitted_at",
        )
        .order_by("-is_chair", "evaluator__username")
    )


def declaration_vendors(*, assignment: PanelAssignment, user) -> list[str]:
    """The vendors the evaluator declares against (only to that evaluator, while invited)."""
    from .services.panel import declared_vendors

    if assignment.evaluator_id != getattr(user, "pk", None):
        return []
    if assignment.status != PanelAssignment.Status.INVITED:
        return list(assignment.declaration_vendors)
    return declared_vendors(assignment.evaluation)


# Proposals as the panel sees them -------------------------------------------------------------


def anonymised_label(index: int) -> str:
    """0 → "Proposal A", 25 → "Proposal Z", 26 → "Proposal AA" (« Proposition A » in French)."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return _("Proposal %(letters)s") % {"letters": letters}


def _received(evaluation: Evaluation) -> QuerySet[Proposal]:
    """The challenge's received proposals in label order: by their random public ids."""
    return Proposal.objects.filter(
        sealing.unsealed_q("challenge__"),
        challenge_id=evaluation.challenge_id,
        status__in=Proposal.RECEIVED_STATES,
    ).order_by("public_id")


def _labels(ids) -> dict[int, str]:
    return {pk: anonymised_label(i) for i, pk in enumerate(ids)}


def proposal_labels(evaluation: Evaluation) -> dict[int, str]:
    """Stable labels by the proposals' random public ids, so they reveal no submission order."""
    return _labels(_received(evaluation).values_list("pk", flat=True))


@dataclass
class PanelProposal:
    label: str
    public_id: str
    passed_screening: bool
    answers: list[tuple[str, str]]
    # Only once the evaluator has declared no conflict:
    vendor_name: str | None = None
    proposal: Proposal | None = None
    documents: list[ProposalDocument] = field(default_factory=list)


def proposals_for_panel(*, evaluation: Evaluation, user) -> list[PanelProposal]:
    """Proposals as a panel member sees them.

    Invited, not yet declared: anonymised labels and the answers, without vendor identity or
    documents (files may carry letterheads). Declared (accepted or submitted): with vendor,
    proposal and current documents. Recused, unassigned, anyone else: nothing.
    """
    _viewer, assignment = viewer_of(evaluation, user)
    if assignment is None or assignment.status == PanelAssignment.Status.RECUSED:
        return []
    if not is_evaluator(user) or evaluation.status == Evaluation.Status.SETUP:
        return []
    declared = assignment.status in ACTIVE
    # Every received proposal, in label order: their labels come from the same read.
    proposals = (
        _received(evaluation)
        .select_related("vendor")
        .prefetch_related(
            Prefetch(
                "answers",
                queryset=ProposalAnswer.objects.select_related("question").order_by(
                    "question__order", "question_id"
                ),
            )
        )
    )
    if declared:
        proposals = proposals.prefetch_related(
            Prefetch(
                "documents",
                queryset=ProposalDocument.objects.filter(
                    superseded_at__isnull=True, removed_at__isnull=True
                ).order_by("title"),
                to_attr="current_documents",
            )
        )
    proposals = list(proposals)
    labels = _labels(p.pk for p in proposals)
    result = [
        PanelProposal(
            label=labels[p.pk],
            public_id=str(p.public_id),
            passed_screening=p.status in PASSED_SCREENING,
            answers=[(a.question.prompt, a.text) for a in p.answers.all()],
            vendor_name=p.vendor.legal_name if declared else None,
            proposal=p if declared else None,
            documents=list(p.current_documents) if declared else [],
        )
        for p in proposals
        if p.status in SCREENED_IN
    ]
    return sorted(result, key=lambda item: (len(item.label), item.label))


def document_for_panel(*, evaluation: Evaluation, public_id, user) -> ProposalDocument:
    """A current document of a proposal under evaluation, for a declared panel member; Http404
    otherwise. Serve it as an attachment with its `content_type`."""
    _viewer, assignment = viewer_of(evaluation, user)
    if assignment is None or assignment.status not in ACTIVE or not is_evaluator(user):
        raise Http404
    document = (
        ProposalDocument.objects.filter(
            sealing.unsealed_q("proposal__challenge__"),
            public_id=public_id,
            proposal__challenge_id=evaluation.challenge_id,
            proposal__status__in=SCREENED_IN,
            superseded_at__isnull=True,
            removed_at__isnull=True,
        )
        .select_related("proposal")
        .first()
    )
    if document is None:
        raise Http404
    return document


# Screening -------------------------------------------------------------------------------------


def screening_results(*, evaluation: Evaluation, user) -> QuerySet[ScreeningResult]:
    """Screening results with notes, for those who may read them (`evaluation.view_screening`:
    staff, and the panel's declared members)."""
    if not can(user, "evaluation.view_screening", evaluation):
        return ScreeningResult.objects.none()
    return evaluation.screening_results.select_related("criterion", "proposal__vendor")


# Scores -------------------------------------------------------------------------------------


def scores_visible(*, evaluation: Evaluation, user) -> QuerySet[Score]:
    """The scores `user` may read now, by SCORE_VISIBILITY: own scores (drafts included) for
    panel members; others' submitted scores after one's own submission (chair, evaluators) or
    from the consensus stage (staff); nothing for anyone else."""
    viewer, assignment = viewer_of(evaluation, user)
    rule = SCORE_VISIBILITY[viewer]
    own = assignment is not None and revealed(rule.own_scores, evaluation, assignment)
    others = revealed(rule.others_scores, evaluation, assignment)
    qs = Score.objects.filter(assignment__evaluation=evaluation).select_related(
        "criterion", "assignment__evaluator"
    )
    if own and others:
        return qs.filter(assignment__status=PanelAssignment.Status.SUBMITTED) | qs.filter(
            assignment=assignment
        )
    if own:
        return qs.filter(assignment=assignment)
    if others:
        return qs.filter(assignment__status=PanelAssignment.Status.SUBMITTED)
    return Score.objects.none()


def score_history(*, score: Score, user) -> QuerySet[ScoreRevision]:
    """Every submitted version of a score, for those who may read the score."""
    if (
        not scores_visible(evaluation=score.assignment.evaluation, user=user)
        .filter(pk=score.pk)
        .exists()
    ):
        return ScoreRevision.objects.none()
    return score.revisions.select_related("changed_by").order_by("version")


@dataclass
class ConsensusCell:
    proposal_id: int
    label: str
    criterion: Criterion
    scores: list[dict]  # {"evaluator", "points", "rationale", "outlier"}
    count: int
    minimum: Decimal | None
    maximum: Decimal | None
    mean: Decimal | None
    stddev: Decimal | None  # population standard deviation
    consensus: ConsensusScore | None = None
    # The consensus score's values so far, oldest first, from the audit trail.
    history: list = field(default_factory=list)

    @property
    def has_outliers(self) -> bool:
        return any(s["outlier"] for s in self.scores)


def _outliers(points: list[Decimal], max_points: int) -> list[bool]:
    if len(points) < 2:
        return [False] * len(points)
    threshold = OUTLIER_SHARE * max_points
    middle = statistics.median(points)
    return [abs(value - middle) > threshold for value in points]


def _consensus_proposals(evaluation: Evaluation) -> tuple[dict[int, str], list[int]]:
    """The labels, and the proposals that passed screening (the evaluation's qualified ones)
    in label order: the consensus sheet's rows."""
    received = list(_received(evaluation).values_list("pk", "status"))
    labels = _labels(pk for pk, _status in received)
    proposal_ids = sorted(
        (pk for pk, status in received if status in PASSED_SCREENING),
        key=lambda pk: (len(labels.get(pk, "")), labels.get(pk, "")),
    )
    return labels, proposal_ids


def consensus_position(*, evaluation: Evaluation, proposal_id: int) -> int | None:
    """Where a proposal stands on the consensus sheet (0 first), to find its page."""
    _labels, proposal_ids = _consensus_proposals(evaluation)
    return proposal_ids.index(proposal_id) if proposal_id in proposal_ids else None


def consensus_sheet(*, evaluation: Evaluation, user) -> list[ConsensusCell]:
    """Per proposal and rated criterion: the submitted scores visible to `user`, their spread
    (min, max, mean, population stddev, from the database) and outliers flagged, with the
    consensus score if recorded. Empty for anyone who may not see others' scores."""
    viewer, assignment = viewer_of(evaluation, user)
    if not revealed(SCORE_VISIBILITY[viewer].others_scores, evaluation, assignment):
        return []
    submitted = scores_visible(evaluation=evaluation, user=user).filter(
        assignment__status=PanelAssignment.Status.SUBMITTED
    )
    # Each score comes with its cell's spread, computed by the database in the same query.
    cell = (
        submitted.filter(proposal_id=OuterRef("proposal_id"), criterion_id=OuterRef("criterion_id"))
        .order_by()
        .values("proposal_id", "criterion_id")
    )

    def of_cell(aggregate):
        return Subquery(cell.annotate(value=aggregate).values("value"))

    spread: dict[tuple[int, int], dict] = {}
    scores: dict[tuple[int, int], list[Score]] = {}
    for score in submitted.annotate(
        cell_count=of_cell(Count("pk")),
        cell_low=of_cell(Min("points")),
        cell_high=of_cell(Max("points")),
        cell_mean=of_cell(Avg("points")),
        cell_stddev=of_cell(StdDev("points", sample=False)),
    ).order_by("assignment__evaluator__username", "pk"):
        key = (score.proposal_id, score.criterion_id)
        scores.setdefault(key, []).append(score)
        spread[key] = {
            "count": score.cell_count,
            "low": score.cell_low,
            "high": score.cell_high,
            "mean": score.cell_mean,
            "stddev": score.cell_stddev,
        }
    consensus = {
        (c.proposal_id, c.criterion_id): c
        for c in ConsensusScore.objects.filter(evaluation=evaluation)
    }
    history = audit_history_of(list(consensus.values()))
    criteria = list(evaluation.plan.criteria.filter(kind=Criterion.Kind.RATED))
    labels, proposal_ids = _consensus_proposals(evaluation)
    cells = []
    for proposal_id in proposal_ids:
        for criterion in criteria:
            key = (proposal_id, criterion.pk)
            rows = scores.get(key, [])
            flags = _outliers([s.points for s in rows], criterion.max_points)
            stats = spread.get(key, {})
            cells.append(
                ConsensusCell(
                    proposal_id=proposal_id,
                    label=labels.get(proposal_id, ""),
                    criterion=criterion,
                    scores=[
                        {
                            "evaluator": s.assignment.evaluator.get_full_name()
                            or s.assignment.evaluator.get_username(),
                            "points": s.points,
                            "rationale": s.rationale,
                            "outlier": flag,
                        }
                        for s, flag in zip(rows, flags, strict=True)
                    ],
                    count=stats.get("count", 0),
                    minimum=stats.get("low"),
                    maximum=stats.get("high"),
                    mean=stats.get("mean"),
                    stddev=stats.get("stddev"),
                    consensus=consensus.get(key),
                    history=history.get(consensus[key].pk, []) if key in consensus else [],
                )
            )
    return cells


# Prices and the ranking --------------------------------------------------------------------------


def prices_open_to(evaluation: Evaluation | None, user) -> bool:
    """Whether `user` may read prices of this evaluation at all: the challenge's owner and the
    panel's chair, once the evaluation has opened prices. Nobody else, admins included, and
    nobody at all once the challenge is cancelled."""
    if evaluation is None or evaluation.status not in Evaluation.PRICES_OPEN_STATES:
        return False
    if evaluation.challenge.status == Challenge.Status.CANCELLED:
        return False
    viewer, _assignment = viewer_of(evaluation, user)
    is_owner = viewer == Viewer.STAFF and evaluation.challenge.owner_id == user.pk
    return is_owner or viewer == Viewer.CHAIR


def price_readable(user, proposal) -> bool:
    """Registered with vendors.sealing: a price opens to those of `prices_open_to`, and only for a
    proposal that passed screening and meets the technical minimum."""
    if proposal.status not in PASSED_SCREENING:
        return False
    evaluation = (
        Evaluation.objects.select_related("challenge", "plan")
        .filter(challenge_id=proposal.challenge_id)
        .first()
    )
    if not prices_open_to(evaluation, user):
        return False
    return technical_standing(evaluation, proposal_id=proposal.pk)


def _may_read_ranking(evaluation: Evaluation, user) -> bool:
    if evaluation.status not in (Evaluation.Status.RANKED, Evaluation.Status.DECIDED):
        return False
    viewer, _assignment = viewer_of(evaluation, user)
    return viewer in (Viewer.STAFF, Viewer.CHAIR)


def ranking_for(*, evaluation: Evaluation, user) -> QuerySet[RankingEntry]:
    """The stored ranking, best first, for municipal staff and the chair once ranked."""
    if not _may_read_ranking(evaluation, user):
        return RankingEntry.objects.none()
    return evaluation.ranking_entries.select_related("proposal__vendor").order_by(
        "rank", "proposal_id"
    )


def ranking_rows(*, evaluation: Evaluation, user) -> list[list[str]]:
    """The results as rows for a CSV file, header first. Prices appear only for proposals that
    meet the technical minimum and only for people who may read them."""
    entries = list(ranking_for(evaluation=evaluation, user=user))
    if not entries:
        return []
    prices = {}
    if prices_open_to(evaluation, user):
        prices = dict(
            PriceEnvelope.objects.filter(
                proposal_id__in=[e.proposal_id for e in entries if e.meets_minimum]
            ).values_list("proposal_id", "amount")
        )
    criteria = list(evaluation.plan.criteria.filter(kind=Criterion.Kind.RATED))
    labels = proposal_labels(evaluation)
    header = ["rank", "label", "vendor", *(c.name for c in criteria)]
    header += ["technical", "meets_minimum", "price", "price_points", "total", "tie_break"]
    rows = [header]
    for entry in entries:
        price = prices.get(entry.proposal_id) if entry.meets_minimum else None
        rows.append(
            [
                str(entry.rank),
                labels.get(entry.proposal_id, ""),
                entry.proposal.vendor.legal_name,
                *(entry.criterion_scores.get(str(c.pk), "") for c in criteria),
                str(entry.technical),
                "yes" if entry.meets_minimum else "no",
                "" if price is None else str(price),
                str(entry.price_points),
                str(entry.total),
                entry.tie_break_applied,
            ]
        )
    return rows


def opened_prices(*, evaluation: Evaluation, user) -> list[dict]:
    """After prices open, per proposal that passed screening: {"proposal_id", "label",
    "technical", "meets_minimum", "price"}; the price is None below the technical minimum.
    Empty for anyone `prices_open_to` leaves out."""
    if not prices_open_to(evaluation, user):
        return []
    from .ranking import technical_table

    labels = proposal_labels(evaluation)
    rows = [
        {**row, "label": labels.get(row["proposal_id"], "")} for row in technical_table(evaluation)
    ]
    return sorted(rows, key=lambda r: (len(r["label"]), r["label"]))
