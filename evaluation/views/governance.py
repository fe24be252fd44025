"""The owner's decision on each criterion the data governance record proposes: add it as is,
edit it then add it, dismiss it, or offer a dismissed one again. Shown on the plan's page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import InvalidInput, TransitionRefused
from core.permissions import require

from .. import governance
from ..forms import CriterionForm, apply_service_errors
from ..models.evaluation import OWNER_ONLY
from .common import back, refused, visible_challenge

REFUSED = (InvalidInput, TransitionRefused)


def plan_proposals_context(challenge, *, editable: bool) -> dict:
    """What the plan's page shows of the proposals: only to the owner while the plan may change."""
    if not editable:
        return {"show_proposals": False}
    record = governance.governance_record(challenge)
    return {
        "show_proposals": True,
        "has_record": record is not None,
        "criterion_proposals": governance.plan_criterion_proposals(
            challenge=challenge, record=record
        ),
        "dismissed_criteria": governance.dismissed_criterion_proposals(record),
    }


def _owned_challenge(request, reference):
    challenge = visible_challenge(request.user, reference)
    require(request.user, "evaluation.change_plan", challenge, str(OWNER_ONLY))
    return challenge


@require_POST
@login_required
def accept(request, reference, key):
    challenge = _owned_challenge(request, reference)
    try:
        criterion = governance.criterion_accept_proposal(
            challenge=challenge, actor=request.user, key=key
        )
    except REFUSED as exc:
        refused(request, exc)
        return back("plan", reference, "proposed-criteria")
    messages.success(request, _("Criterion “%(name)s” added.") % {"name": criterion.name})
    return back("plan", reference, "criteria")


@login_required
def edit_then_accept(request, reference, key):
    challenge = _owned_challenge(request, reference)
    proposal = next(
        (p for p in governance.plan_criterion_proposals(challenge=challenge) if p.key == key),
        None,
    )
    if proposal is None:
        raise Http404
    if request.method == "POST":
        form = CriterionForm(request.POST)
        if form.is_valid():
            try:
                criterion = governance.criterion_accept_proposal(
                    challenge=challenge, actor=request.user, key=key, **form.data_for_service()
                )
            except InvalidInput as exc:
                apply_service_errors(form, exc)
            except TransitionRefused as exc:
                refused(request, exc)
                return back("plan", reference, "proposed-criteria")
            else:
                messages.success(
                    request, _("Criterion “%(name)s” added.") % {"name": criterion.name}
                )
                return back("plan", reference, "criteria")
    else:
        form = CriterionForm(initial=proposal.as_data())
    context = {"challenge": challenge, "proposal": proposal, "form": form}
    return render(request, "evaluation/proposed_criterion_form.html", context)


@require_POST
@login_required
def dismiss(request, reference, key):
    challenge = _owned_challenge(request, reference)
    try:
        governance.criterion_dismiss_proposal(challenge=challenge, actor=request.user, key=key)
    except REFUSED as exc:
        refused(request, exc)
    else:
        messages.success(
            request, _("Proposal dismissed. The approver will see that it was dismissed.")
        )
    return back("plan", reference, "proposed-criteria")


@require_POST
@login_required
def restore(request, reference, key):
    challenge = _owned_challenge(request, reference)
    try:
        governance.criterion_restore_proposal(challenge=challenge, actor=request.user, key=key)
    except REFUSED as exc:
        refused(request, exc)
    else:
        messages.success(request, _("The proposal is offered again."))
    return back("plan", reference, "proposed-criteria")
