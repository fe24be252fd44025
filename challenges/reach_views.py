"""The reach page (docs/engagement.md): the ledger of whom the challenge meant to reach against
whom it reached, and, for the owner before review, the targets and the reason for a gap."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.charts import reach_chart
from core.errors import InvalidInput
from core.permissions import can, require

from . import reach_services as services
from .forms import apply_service_errors
from .reach import reach_problems
from .reach_forms import ReachGapReasonForm, ReachTargetsForm
from .reach_selectors import active_priority_groups, challenge_reach_targets, reach_ledger
from .views import visible_challenge


def ledger_context(challenge) -> dict:
    """The ledger and its chart (None when there is nothing to draw)."""
    ledger = reach_ledger(challenge=challenge)
    rows = [*ledger.rows, *ledger.untargeted]
    chart = None
    if rows:
        chart = reach_chart(
            [
                {
                    "label": row.group.name,
                    "target": row.target,
                    "reached": row.reached,
                    "gap": row.gap,
                }
                for row in rows
            ]
        )
    return {"ledger": ledger, "ledger_rows": rows, "chart": chart}


def _page(request, challenge, *, targets_form=None, reason_form=None):
    user = request.user
    may_set = can(user, "challenges.set_reach_targets", challenge)
    ledger = ledger_context(challenge)
    if may_set and targets_form is None:
        targets = {row.group.pk: row.target for row in ledger["ledger"].rows}
        targets_form = ReachTargetsForm(groups=active_priority_groups(), targets=targets)
    if may_set and reason_form is None:
        reason_form = ReachGapReasonForm(initial={"reach_gap_reason": challenge.reach_gap_reason})
    context = {
        "challenge": challenge,
        "may_set": may_set,
        "targets_form": targets_form,
        "reason_form": reason_form,
        "problems": reach_problems(challenge, ledger=ledger["ledger"]) if may_set else [],
        **ledger,
    }
    return render(request, "challenges/reach/page.html", context)


def reach(request, reference):
    challenge = visible_challenge(request.user, reference)
    require(request.user, "challenges.view_reach", challenge)
    return _page(request, challenge)


def _owned(request, reference):
    challenge = visible_challenge(request.user, reference)
    require(request.user, "challenges.set_reach_targets", challenge, str(services.REACH_DENIED))
    return challenge


def _to_page(challenge, anchor):
    return redirect(f"{reverse('challenges:reach', args=[challenge.reference])}#{anchor}")


@require_POST
@login_required
def reach_targets(request, reference):
    challenge = _owned(request, reference)
    targets = {t.group_id: t.target for t in challenge_reach_targets(challenge=challenge)}
    form = ReachTargetsForm(request.POST, groups=active_priority_groups(), targets=targets)
    if form.is_valid():
        try:
            services.reach_targets_save(
                challenge=challenge, actor=request.user, targets=form.targets()
            )
        except InvalidInput as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Reach targets saved."))
            return _to_page(challenge, "targets")
    return _page(request, challenge, targets_form=form)


@require_POST
@login_required
def reach_gap_reason(request, reference):
    challenge = _owned(request, reference)
    form = ReachGapReasonForm(request.POST)
    if form.is_valid():
        try:
            services.reach_gap_reason_set(
                challenge=challenge,
                actor=request.user,
                reason=form.cleaned_data["reach_gap_reason"],
            )
        except InvalidInput as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Reason saved."))
            return _to_page(challenge, "gap-reason")
    return _page(request, challenge, reason_form=form)
