"""The evaluation plan: edited by the challenge's owner with the statement (draft, co-design),
fixed from review on, then frozen and public with its approved and published digests."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from challenges.models import Challenge
from core.errors import InvalidInput, TransitionRefused
from core.permissions import can, require

from .. import selectors, services
from ..challenge_page import plan_facts
from ..forms import CriterionForm, PlanSettingsForm, apply_service_errors
from ..models import Criterion
from ..models.evaluation import OWNER_ONLY
from .common import back, refused, visible_challenge
from .governance import plan_proposals_context

# A refused change is shown on the page it came from and changes nothing.
REFUSED = (InvalidInput, TransitionRefused)


def _render(request, challenge, *, settings_form=None, criterion_form=None):
    user = request.user
    plan = selectors.plan_for_challenge(challenge=challenge, user=user)
    locked = services.plan_lock_reason(challenge, plan)
    editable = locked is None and can(user, "evaluation.change_plan", challenge)
    # Staff who may read the plan are told it is still being written, not sent a 404 by the link
    # the challenge page offers them.
    if plan is None and not editable and not can(user, "evaluation.view_plan", challenge):
        raise Http404
    context = {
        "challenge": challenge,
        **(plan_facts(plan) if plan else {"plan": None, "criteria": []}),
        "editable": editable,
        "locked": locked,
        "digests": selectors.plan_digests(plan) if plan else None,
        # The plan is fixed from review on: what it lacks is said while it can still change.
        "problems": services.plan_review_problems(challenge)
        if challenge.status in Challenge.EDITABLE_STATES
        else [],
        "settings_form": settings_form
        or PlanSettingsForm(initial=PlanSettingsForm.initial_for(plan)),
        "criterion_form": criterion_form or CriterionForm(auto_id="id_new_%s"),
        **plan_proposals_context(challenge, editable=editable),
    }
    return render(request, "evaluation/plan.html", context)


def plan(request, reference):
    return _render(request, visible_challenge(request.user, reference))


@require_POST
@login_required
def plan_settings(request, reference):
    challenge = visible_challenge(request.user, reference)
    form = PlanSettingsForm(request.POST)
    if form.is_valid():
        try:
            services.plan_save(
                challenge=challenge,
                actor=request.user,
                minimum_technical_score=form.cleaned_data["minimum_technical_score"],
                combination=form.cleaned_data["combination"],
                tie_break_order=form.tie_break_order(),
            )
        except REFUSED as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Plan settings saved."))
            return back("plan", reference)
    return _render(request, challenge, settings_form=form)


@require_POST
@login_required
def criterion_add(request, reference):
    challenge = visible_challenge(request.user, reference)
    form = CriterionForm(request.POST, auto_id="id_new_%s")
    if form.is_valid():
        try:
            with transaction.atomic():
                plan = services.plan_save(challenge=challenge, actor=request.user)
                criterion = services.criterion_add(
                    plan=plan, actor=request.user, **form.data_for_service()
                )
        except REFUSED as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Criterion “%(name)s” added.") % {"name": criterion.name})
            return back("plan", reference, "criteria")
    return _render(request, challenge, criterion_form=form)


def _criterion(request, challenge, pk) -> Criterion:
    plan = selectors.plan_for_challenge(challenge=challenge, user=request.user)
    if plan is None:
        raise Http404
    return get_object_or_404(Criterion, pk=pk, plan=plan)


@login_required
def criterion_edit(request, reference, pk):
    challenge = visible_challenge(request.user, reference)
    criterion = _criterion(request, challenge, pk)
    require(request.user, "evaluation.change_plan", challenge, str(OWNER_ONLY))
    locked = services.plan_lock_reason(challenge, criterion.plan)
    if locked:
        messages.error(request, locked)
        return back("plan", reference, "criteria")
    fields = ("kind", "name", "description", "weight", "max_points", "order")
    form = CriterionForm(
        request.POST if request.method == "POST" else None,
        initial={name: getattr(criterion, name) for name in fields},
    )
    if form.is_bound and form.is_valid():
        try:
            services.criterion_update(
                criterion=criterion, actor=request.user, **form.data_for_service()
            )
        except REFUSED as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Criterion saved."))
            return back("plan", reference, "criteria")
    context = {"challenge": challenge, "criterion": criterion, "form": form}
    return render(request, "evaluation/criterion_form.html", context)


@require_POST
@login_required
def criterion_remove(request, reference, pk):
    challenge = visible_challenge(request.user, reference)
    criterion = _criterion(request, challenge, pk)
    try:
        services.criterion_remove(criterion=criterion, actor=request.user)
    except REFUSED as exc:
        refused(request, exc)
    else:
        messages.success(request, _("Criterion “%(name)s” removed.") % {"name": criterion.name})
    return back("plan", reference, "criteria")
