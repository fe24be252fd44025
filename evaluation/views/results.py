"""Consensus, opened prices and the ranking: the pages after every evaluator has submitted."""

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from core.charts import scores_chart
from core.confirm import confirmation_needed
from core.errors import InvalidInput, TransitionRefused
from core.permissions import can
from core.spreadsheet import csv_response
from core.workflow import allowed_transitions, transition_check, transition_problems

from .. import selectors, services
from ..forms import ConsensusProposalForm, DecideForm, apply_service_errors
from ..models import Criterion, Evaluation, EvaluationPlan
from ..rules import SCORE_VISIBILITY, Viewer, revealed, viewer_of
from .common import ask_first, back, refused, visible_evaluation

# Proposals per page of the consensus sheet.
CONSENSUS_PAGE_SIZE = 10


def _sheet_url(reference, page: str, anchor: str) -> str:
    return reverse("evaluation:consensus", kwargs={"reference": reference}) + f"{page}#{anchor}"


def _consensus_evaluation(user, reference):
    evaluation = visible_evaluation(user, reference)
    viewer, assignment = viewer_of(evaluation, user)
    if evaluation.status not in Evaluation.CONSENSUS_STATES or not revealed(
        SCORE_VISIBILITY[viewer].others_scores, evaluation, assignment
    ):
        raise Http404
    return evaluation


def _may_record(evaluation, user) -> bool:
    return (
        evaluation.status == Evaluation.Status.CONSENSUS
        and not evaluation.consensus_locked_at
        and evaluation.plan.combination == EvaluationPlan.Combination.CONSENSUS
        and can(user, "evaluation.lead_consensus", evaluation)
    )


@dataclass
class _SheetProposal:
    proposal_id: int
    label: str
    cells: list = field(default_factory=list)
    form: object = None  # the chair's form for every criterion of this proposal


def _by_proposal(cells) -> list[_SheetProposal]:
    proposals: list[_SheetProposal] = []
    for cell in cells:
        if not proposals or proposals[-1].proposal_id != cell.proposal_id:
            proposals.append(_SheetProposal(cell.proposal_id, cell.label))
        proposals[-1].cells.append(cell)
    return proposals


def _sheet_page(proposals, request, bound):
    """The page of proposals to show: the one asked for, or the one whose form was refused."""
    paginator = Paginator(proposals, CONSENSUS_PAGE_SIZE)
    number = request.GET.get("page")
    if bound:
        at = next((i for i, p in enumerate(proposals) if p.proposal_id == bound[0]), 0)
        number = at // CONSENSUS_PAGE_SIZE + 1
    return paginator.get_page(number)


def _rated_criteria(evaluation):
    return list(evaluation.plan.criteria.filter(kind=Criterion.Kind.RATED).order_by("order", "id"))


def _consensus_form(proposal_id, criteria, data=None, initial=None):
    return ConsensusProposalForm(
        data, criteria=criteria, initial=initial, auto_id=f"id_consensus_{proposal_id}_%s"
    )


def _render_consensus(request, evaluation, *, bound=None):
    """The sheet; `bound` is (proposal id, its refused form), shown with what was typed."""
    user = request.user
    cells = selectors.consensus_sheet(evaluation=evaluation, user=user)
    may_record = _may_record(evaluation, user)
    # The sheet shows a page of proposals at a time (every criterion of each, in one form per
    # proposal), so it stays a page a chair can read and submit without script however many
    # proposals there are.
    page = _sheet_page(_by_proposal(cells), request, bound)
    for proposal in page.object_list if may_record else ():
        criteria = [cell.criterion for cell in proposal.cells]
        if bound and bound[0] == proposal.proposal_id:
            form = bound[1]
        else:
            initial = {}
            for cell in proposal.cells:
                if cell.consensus:
                    initial[f"points_{cell.criterion.pk}"] = cell.consensus.points
                    initial[f"rationale_{cell.criterion.pk}"] = cell.consensus.rationale
            form = _consensus_form(proposal.proposal_id, criteria, initial=initial)
        proposal.form = form
        for cell in proposal.cells:
            cell.points_field, cell.rationale_field = form.field_pair(cell.criterion)
    may_lock = "lock_consensus" in allowed_transitions(evaluation, user)
    lock_problems = []
    if (
        not may_lock
        and evaluation.status == Evaluation.Status.CONSENSUS
        and can(user, "evaluation.lead_consensus", evaluation)
    ):
        lock_problems = transition_problems(evaluation, "lock_consensus")
    context = {
        "challenge": evaluation.challenge,
        "evaluation": evaluation,
        "page": page,
        "page_links": page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
        "may_record": may_record,
        "may_lock": may_lock,
        "lock_problems": lock_problems,
        "outliers": sum(1 for c in cells for s in c.scores if s["outlier"]),
    }
    return render(request, "evaluation/consensus.html", context)


@login_required
def consensus(request, reference):
    return _render_consensus(request, _consensus_evaluation(request.user, reference))


@require_POST
@login_required
def consensus_record(request, reference, proposal_id):
    """Every criterion of one proposal in one submit; a refusal keeps what was typed."""
    evaluation = _consensus_evaluation(request.user, reference)
    form = _consensus_form(proposal_id, _rated_criteria(evaluation), data=request.POST)
    anchor = f"consensus-{proposal_id}"
    position = selectors.consensus_position(evaluation=evaluation, proposal_id=proposal_id)
    page = f"?page={position // CONSENSUS_PAGE_SIZE + 1}" if position else ""
    if form.is_valid():
        scores = form.scores()
        if not scores:
            form.add_error(
                None, _("Give consensus points and a rationale for at least one criterion.")
            )
        else:
            try:
                services.consensus_record_proposal(
                    evaluation=evaluation,
                    actor=request.user,
                    proposal=proposal_id,
                    scores=scores,
                )
            except InvalidInput as exc:
                if not exc.field_errors:
                    refused(request, exc)
                    return redirect(_sheet_url(reference, page, anchor))
                apply_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    ngettext(
                        "%(count)d consensus score recorded.",
                        "%(count)d consensus scores recorded.",
                        len(scores),
                    )
                    % {"count": len(scores)},
                )
                return redirect(_sheet_url(reference, page, anchor))
    return _render_consensus(request, evaluation, bound=(proposal_id, form))


@require_POST
@login_required
def consensus_lock(request, reference):
    evaluation = _consensus_evaluation(request.user, reference)
    try:
        if confirmation_needed(request):
            transition_check(instance=evaluation, name="lock_consensus", actor=request.user)
            return ask_first(request, "evaluation.lock_consensus", evaluation, back_to="consensus")
        services.consensus_lock(evaluation=evaluation, actor=request.user)
    except TransitionRefused as exc:
        refused(request, exc)
    else:
        messages.success(
            request,
            _("The consensus is locked. The challenge's owner can now open the price envelopes."),
        )
    return back("consensus", reference)


@login_required
def prices(request, reference):
    evaluation = visible_evaluation(request.user, reference)
    if not selectors.prices_open_to(evaluation, request.user):
        raise Http404
    context = {
        "challenge": evaluation.challenge,
        "evaluation": evaluation,
        "rows": selectors.opened_prices(evaluation=evaluation, user=request.user),
        "may_rank": "rank" in allowed_transitions(evaluation, request.user),
    }
    return render(request, "evaluation/prices.html", context)


def _ranked_evaluation(user, reference):
    evaluation = visible_evaluation(user, reference)
    viewer, _assignment = viewer_of(evaluation, user)
    if viewer not in (Viewer.STAFF, Viewer.CHAIR) or evaluation.status not in (
        Evaluation.Status.RANKED,
        Evaluation.Status.DECIDED,
    ):
        raise Http404
    return evaluation


def _number(value) -> Decimal | None:
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


@login_required
def results(request, reference):
    evaluation = _ranked_evaluation(request.user, reference)
    user = request.user
    entries = list(selectors.ranking_for(evaluation=evaluation, user=user))
    labels = selectors.proposal_labels(evaluation)
    prices_by_proposal = {
        row["proposal_id"]: row["price"]
        for row in selectors.opened_prices(evaluation=evaluation, user=user)
    }
    for entry in entries:
        entry.label = labels.get(entry.proposal_id, "")
        entry.price = prices_by_proposal.get(entry.proposal_id)
    criteria = list(evaluation.plan.criteria.filter(kind=Criterion.Kind.RATED))
    for entry in entries:
        entry.scores = [
            {"criterion": c, "points": _number(entry.criterion_scores.get(str(c.pk)))}
            for c in criteria
        ]
    context = {
        "challenge": evaluation.challenge,
        "evaluation": evaluation,
        "entries": entries,
        "criteria": criteria,
        "show_prices": selectors.prices_open_to(evaluation, user),
        "chart": scores_chart(entries, criteria) if entries and criteria else None,
        "may_decide": "decide" in allowed_transitions(evaluation, user),
        "decide_form": DecideForm(auto_id="id_decide_%s"),
    }
    return render(request, "evaluation/results.html", context)


@login_required
def results_csv(request, reference):
    evaluation = _ranked_evaluation(request.user, reference)
    rows = selectors.ranking_rows(evaluation=evaluation, user=request.user)
    if not rows:
        raise Http404
    response, writer = csv_response(f"ranking-{evaluation.challenge.reference}.csv", private=True)
    writer.writerows(rows)
    return response
