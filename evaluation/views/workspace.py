"""The evaluator's workspace: assignments, the conflict-of-interest declaration, and scoring with
the rubric beside the proposal's technical envelope."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import InvalidInput, TransitionRefused
from core.files import document_response
from core.predicates import is_evaluator
from core.workflow import transition_problems

from .. import selectors, services
from ..forms import DeclarationForm, RecuseForm, ScoreForm, apply_service_errors
from ..models import Criterion, Evaluation, PanelAssignment
from .common import back, panel_member, refused


@login_required
def mine(request):
    if not is_evaluator(request.user):
        raise PermissionDenied(_("This page is for evaluators on a panel."))
    assignments = list(selectors.assignments_for_user(request.user))
    return render(request, "evaluation/mine.html", {"assignments": assignments})


def _scoring_open(evaluation, assignment) -> bool:
    """Mirrors the scoring service's rule, to offer the form only when saving can work."""
    if assignment.status == PanelAssignment.Status.ACCEPTED:
        return evaluation.status == Evaluation.Status.SCORING
    if assignment.status == PanelAssignment.Status.SUBMITTED:
        return evaluation.status == Evaluation.Status.SCORING or (
            evaluation.status == Evaluation.Status.CONSENSUS and not evaluation.consensus_locked_at
        )
    return False


@login_required
def workspace(request, reference):
    evaluation, assignment = panel_member(request.user, reference)
    proposals = selectors.proposals_for_panel(evaluation=evaluation, user=request.user)
    own = selectors.scores_visible(evaluation=evaluation, user=request.user).filter(
        assignment=assignment
    )
    scored = {}
    for proposal_id in own.values_list("proposal_id", flat=True):
        scored[proposal_id] = scored.get(proposal_id, 0) + 1
    rated = evaluation.plan.criteria.filter(kind=Criterion.Kind.RATED).count()
    for item in proposals:
        item.scored = scored.get(item.proposal.pk, 0) if item.proposal else 0
    context = {
        "challenge": evaluation.challenge,
        "evaluation": evaluation,
        "assignment": assignment,
        "proposals": proposals,
        "rated_count": rated,
        "consensus_open": evaluation.status in Evaluation.CONSENSUS_STATES,
        "scoring_open": _scoring_open(evaluation, assignment),
        "submission_problems": transition_problems(assignment, "submit")
        if assignment.status == PanelAssignment.Status.ACCEPTED
        else [],
        "panel": list(selectors.panel_progress(evaluation=evaluation, user=request.user)),
        "screening_results": list(
            selectors.screening_results(evaluation=evaluation, user=request.user)
        ),
    }
    return render(request, "evaluation/workspace.html", context)


def _declaration(request, evaluation, assignment, *, form=None, recuse_form=None, status=200):
    context = {
        "challenge": evaluation.challenge,
        "evaluation": evaluation,
        "assignment": assignment,
        "vendors": selectors.declaration_vendors(assignment=assignment, user=request.user),
        "form": form or DeclarationForm(),
        "recuse_form": recuse_form or RecuseForm(auto_id="id_recuse_%s"),
    }
    return render(request, "evaluation/declare.html", context, status=status)


@login_required
def declare(request, reference):
    evaluation, assignment = panel_member(request.user, reference)
    if request.method != "POST":
        return _declaration(request, evaluation, assignment)
    form = DeclarationForm(request.POST)
    form.is_valid()
    try:
        services.assignment_accept(
            assignment=assignment,
            actor=request.user,
            signature=form.cleaned_data.get("signature", ""),
            no_conflict=form.cleaned_data.get("no_conflict", False),
        )
    except InvalidInput as exc:
        apply_service_errors(form, exc)
        return _declaration(request, evaluation, assignment, form=form)
    except TransitionRefused as exc:
        refused(request, exc)
        return back("workspace", reference)
    messages.success(
        request, _("Your declaration is signed. You can now read the proposals and score them.")
    )
    return back("workspace", reference)


@require_POST
@login_required
def recuse(request, reference):
    evaluation, assignment = panel_member(request.user, reference)
    form = RecuseForm(request.POST, auto_id="id_recuse_%s")
    form.is_valid()
    try:
        services.assignment_recuse(
            assignment=assignment, actor=request.user, reason=form.cleaned_data.get("reason", "")
        )
    except InvalidInput as exc:
        apply_service_errors(form, exc)
        return _declaration(request, evaluation, assignment, recuse_form=form)
    except TransitionRefused as exc:
        refused(request, exc)
        return back("workspace", reference)
    messages.success(
        request,
        _("You recused yourself from this evaluation; you will see nothing more of it."),
    )
    return redirect("evaluation:mine")


def _panel_proposal(evaluation, user, public_id):
    """The proposal as the declared panel member reads it (404 if it is not one they score)."""
    for item in selectors.proposals_for_panel(evaluation=evaluation, user=user):
        if item.public_id == str(public_id) and item.proposal is not None:
            return item
    raise Http404


def _score_context(request, evaluation, assignment, item, *, form=None):
    # A posted form brings its own criteria, the rows the page shows: what is read goes on them.
    if form is None:
        criteria = list(evaluation.plan.criteria.filter(kind=Criterion.Kind.RATED))
    else:
        criteria = form.criteria
    visible = list(
        selectors.scores_visible(evaluation=evaluation, user=request.user).filter(
            proposal=item.proposal
        )
    )
    own = {s.criterion_id: s for s in visible if s.assignment_id == assignment.pk}
    submitted = assignment.status == PanelAssignment.Status.SUBMITTED
    if form is None:
        initial = {}
        for criterion_id, score in own.items():
            initial[f"points_{criterion_id}"] = score.points
            initial[f"rationale_{criterion_id}"] = score.rationale
        form = ScoreForm(criteria=criteria, submitted=submitted, initial=initial)
    others = {}
    for score in visible:
        if score.assignment_id != assignment.pk:
            others.setdefault(score.criterion_id, []).append(score)
    for criterion in criteria:
        criterion.own_score = own.get(criterion.pk)
        criterion.others = others.get(criterion.pk, [])
    return {
        "challenge": evaluation.challenge,
        "evaluation": evaluation,
        "assignment": assignment,
        "item": item,
        "criteria": criteria,
        "form": form,
        "submitted": submitted,
        "scoring_open": _scoring_open(evaluation, assignment),
        "others_visible": submitted,
    }


@login_required
def score(request, reference, public_id):
    evaluation, assignment = panel_member(request.user, reference, declared=True)
    item = _panel_proposal(evaluation, request.user, public_id)
    if not item.passed_screening:
        raise Http404
    if request.method != "POST":
        context = _score_context(request, evaluation, assignment, item)
        return render(request, "evaluation/score.html", context)
    criteria = list(evaluation.plan.criteria.filter(kind=Criterion.Kind.RATED))
    submitted = assignment.status == PanelAssignment.Status.SUBMITTED
    form = ScoreForm(request.POST, criteria=criteria, submitted=submitted)
    if form.is_valid():
        scores = form.scores()
        if not scores:
            form.add_error(None, _("Give points and a rationale for at least one criterion."))
        else:
            try:
                services.scores_save(
                    assignment=assignment,
                    actor=request.user,
                    proposal=item.proposal,
                    scores=scores,
                    reason=form.cleaned_data.get("reason", ""),
                )
            except InvalidInput as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("Your changes are saved with their reason.")
                    if submitted
                    else _("Draft saved. Submit all your scores when every proposal is scored."),
                )
                return back("score", reference, public_id=public_id)
    context = _score_context(request, evaluation, assignment, item, form=form)
    return render(request, "evaluation/score.html", context)


@require_POST
@login_required
def submit(request, reference):
    evaluation, assignment = panel_member(request.user, reference, declared=True)
    try:
        services.assignment_submit(assignment=assignment, actor=request.user)
    except (InvalidInput, TransitionRefused) as exc:
        refused(request, exc)
    else:
        messages.success(
            request,
            _("Your scores are submitted. You can now read the other evaluators' scores."),
        )
    return back("workspace", reference)


@login_required
def document(request, reference, public_id):
    evaluation, _assignment = panel_member(request.user, reference, declared=True)
    found = selectors.document_for_panel(
        evaluation=evaluation, public_id=public_id, user=request.user
    )
    return document_response(found)
