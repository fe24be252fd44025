"""The evaluation overview for municipal staff and the panel's chair: the stage and its steps,
the panel and its progress, and (for the owner) assigning evaluators and recording screening."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.confirm import confirmation_needed, is_one_way
from core.errors import InvalidInput, TransitionRefused
from core.permissions import can
from core.workflow import allowed_transitions, transition_check, transition_problems
from vendors import selectors as vendor_selectors
from vendors.models import Proposal

from .. import selectors, services
from ..forms import (
    STEP_LABELS,
    AssignForm,
    DecideForm,
    ReasonForm,
    ScreeningForm,
    apply_service_errors,
)
from ..models import Criterion, Evaluation, PanelAssignment
from ..services.panel import PANEL_OPEN_STATES
from .common import ask_first, back, refused, staff_or_chair

# The step each stage works toward; the page says what still blocks it.
NEXT_STEP = {
    Evaluation.Status.SETUP: "start_screening",
    Evaluation.Status.SCREENING: "start_scoring",
    Evaluation.Status.SCORING: "open_consensus",
    Evaluation.Status.PRICES_OPENED: "rank",
    Evaluation.Status.RANKED: "decide",
}
STEP_PAGES = {"open_consensus": "consensus", "lock_consensus": "consensus", "rank": "results"}


def _next_step(evaluation):
    if evaluation.status == Evaluation.Status.CONSENSUS:
        return "open_prices" if evaluation.consensus_locked_at else "lock_consensus"
    return NEXT_STEP.get(evaluation.status)


def _render(request, evaluation, viewer, *, assign_form=None, screening_forms=None):
    user = request.user
    challenge = evaluation.challenge
    may_manage_panel = can(user, "evaluation.manage_panel", evaluation)
    may_screen = can(user, "evaluation.record_screening", evaluation)
    allowed = allowed_transitions(evaluation, user)
    step = _next_step(evaluation)
    blocked = None
    if step and step not in allowed:
        problems = transition_problems(evaluation, step)
        if problems:
            blocked = {"label": STEP_LABELS[step], "problems": problems}
    panel = list(selectors.panel_progress(evaluation=evaluation, user=user))
    screening_forms = screening_forms or {}
    to_screen = []
    if may_screen and evaluation.status == Evaluation.Status.SCREENING:
        mandatory = list(evaluation.plan.criteria.filter(kind=Criterion.Kind.MANDATORY))
        for proposal in vendor_selectors.proposals_received_for_challenge(
            challenge=challenge, user=user
        ).filter(status=Proposal.Status.RECEIVED):
            proposal.screening_form = screening_forms.get(proposal.pk) or ScreeningForm(
                criteria=mandatory, auto_id=f"id_screen_{proposal.pk}_%s"
            )
            to_screen.append(proposal)
    context = {
        "challenge": challenge,
        "evaluation": evaluation,
        "viewer": viewer,
        "is_owner": may_manage_panel,
        "transitions": [
            {
                "name": name,
                "label": STEP_LABELS.get(name, name),
                "form": DecideForm(auto_id="id_decide_%s")
                if name == "decide"
                else ReasonForm(auto_id=f"id_{name}_%s"),
                "confirm": f"evaluation.{name}" if is_one_way(f"evaluation.{name}") else "",
            }
            for name in allowed
        ],
        "blocked": blocked,
        "panel": panel,
        "panel_open": evaluation.status in PANEL_OPEN_STATES,
        "assign_form": assign_form
        or AssignForm(exclude=[a.evaluator_id for a in panel], auto_id="id_assign_%s"),
        "to_screen": to_screen,
        "prices_open": selectors.prices_open_to(evaluation, user),
        "consensus_stage": evaluation.status in Evaluation.CONSENSUS_STATES,
        "ranked": evaluation.status in (Evaluation.Status.RANKED, Evaluation.Status.DECIDED),
        "screening_results": list(selectors.screening_results(evaluation=evaluation, user=user)),
    }
    return render(request, "evaluation/overview.html", context)


@login_required
def overview(request, reference):
    evaluation, viewer = staff_or_chair(request.user, reference)
    return _render(request, evaluation, viewer)


@require_POST
@login_required
def transition(request, reference, name):
    if name not in STEP_LABELS:
        raise Http404
    evaluation, _viewer = staff_or_chair(request.user, reference)
    try:
        if is_one_way(f"evaluation.{name}") and confirmation_needed(request):
            transition_check(instance=evaluation, name=name, actor=request.user)
            return ask_first(request, f"evaluation.{name}", evaluation)
        if name == "decide":
            form = DecideForm(request.POST)
            size = form.cleaned_data["shortlist_size"] if form.is_valid() else 0
            evaluation = services.evaluation_decide(
                evaluation=evaluation,
                actor=request.user,
                reason=form.cleaned_data.get("reason", "") if form.is_valid() else "",
                shortlist_size=size,
            )
        else:
            form = ReasonForm(request.POST)
            form.is_valid()
            evaluation = services.evaluation_transition(
                evaluation=evaluation,
                actor=request.user,
                name=name,
                reason=form.cleaned_data.get("reason", ""),
            )
    except (InvalidInput, TransitionRefused) as exc:
        refused(request, exc)
        return back("overview", reference)
    messages.success(
        request,
        _("Done: %(step)s. The evaluation is now “%(stage)s”.")
        % {"step": STEP_LABELS[name], "stage": evaluation.get_status_display()},
    )
    return back(STEP_PAGES.get(name, "overview"), reference)


@require_POST
@login_required
def panel_assign(request, reference):
    evaluation, viewer = staff_or_chair(request.user, reference)
    panel = evaluation.assignments.values_list("evaluator_id", flat=True)
    form = AssignForm(request.POST, exclude=list(panel), auto_id="id_assign_%s")
    if form.is_valid():
        try:
            assignment = services.panel_assign(
                evaluation=evaluation, actor=request.user, **form.cleaned_data
            )
        except InvalidInput as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(person)s is invited to the panel.")
                % {"person": assignment.evaluator.get_username()},
            )
            return back("overview", reference, "panel")
    return _render(request, evaluation, viewer, assign_form=form)


def _assignment(evaluation, pk) -> PanelAssignment:
    return get_object_or_404(
        PanelAssignment.objects.select_related("evaluator"), pk=pk, evaluation=evaluation
    )


@require_POST
@login_required
def panel_unassign(request, reference, pk):
    evaluation, _viewer = staff_or_chair(request.user, reference)
    assignment = _assignment(evaluation, pk)
    try:
        services.panel_unassign(assignment=assignment, actor=request.user)
    except InvalidInput as exc:
        refused(request, exc)
    else:
        messages.success(
            request,
            _("The invitation of %(person)s is taken back.")
            % {"person": assignment.evaluator.get_username()},
        )
    return back("overview", reference, "panel")


@require_POST
@login_required
def panel_set_chair(request, reference, pk):
    evaluation, _viewer = staff_or_chair(request.user, reference)
    assignment = _assignment(evaluation, pk)
    try:
        services.panel_set_chair(assignment=assignment, actor=request.user)
    except InvalidInput as exc:
        refused(request, exc)
    else:
        messages.success(
            request,
            _("%(person)s now chairs the panel.") % {"person": assignment.evaluator.get_username()},
        )
    return back("overview", reference, "panel")


@require_POST
@login_required
def screening_record(request, reference, public_id):
    evaluation, viewer = staff_or_chair(request.user, reference)
    proposal = get_object_or_404(
        Proposal, public_id=public_id, challenge_id=evaluation.challenge_id
    )
    mandatory = list(evaluation.plan.criteria.filter(kind=Criterion.Kind.MANDATORY))
    form = ScreeningForm(request.POST, criteria=mandatory, auto_id=f"id_screen_{proposal.pk}_%s")
    if form.is_valid():
        try:
            proposal = services.screening_record(
                evaluation=evaluation, proposal=proposal, actor=request.user, results=form.results()
            )
        except InvalidInput as exc:
            if not exc.field_errors:
                refused(request, exc)
                return back("overview", reference, "screening")
            apply_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Screening of %(vendor)s recorded: %(status)s.")
                % {"vendor": proposal.vendor.legal_name, "status": proposal.get_status_display()},
            )
            return back("overview", reference, "screening")
    return _render(request, evaluation, viewer, screening_forms={proposal.pk: form})
