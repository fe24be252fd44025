"""The award pages: recommend, approve or reject (four eyes), notify, finalise, or end the
challenge without an award; the result letter a vendor reads and its debrief request. Views only
call services (DESIGN.md §2)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef, Subquery, prefetch_related_objects
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from challenges.forms import apply_service_errors
from challenges.models import Challenge
from challenges.views import visible_challenge
from core.confirm import confirmation_needed, confirmation_page, is_one_way
from core.errors import InvalidInput, TransitionRefused
from core.permissions import can
from core.workflow import allowed_transitions, transition_check, transition_problems
from evaluation.models import Evaluation, RankingEntry
from vendors.models import Proposal, VendorMembership

from ..forms import (
    DebriefForm,
    DebriefHeldForm,
    DebriefScheduleForm,
    EndWithoutAwardForm,
    ReasonForm,
    RecommendForm,
)
from ..models import Award, DebriefRequest
from ..services import award as award_services
from ..services import debriefs as debrief_services

STEP_LABELS = {
    "approve": gettext_lazy("Approve"),
    "reject": gettext_lazy("Reject"),
    "notify": gettext_lazy("Notify vendors"),
    "finalise": gettext_lazy("Make final"),
}
STEP_SUCCESS = {
    "approve": gettext_lazy("The award is approved."),
    "reject": gettext_lazy("The recommendation is rejected."),
    "notify": gettext_lazy("Vendors are notified; the standstill period has started."),
    "finalise": gettext_lazy("The award is final."),
}


def _evaluation(challenge):
    return Evaluation.objects.select_related("plan").filter(challenge=challenge).first()


def _decision(user, reference):
    challenge = visible_challenge(user, reference)
    evaluation = _evaluation(challenge)
    award = award_services.live_award(challenge)
    # Before a recommendation the rule asks about the evaluation (its chair), then the award.
    if evaluation is None or not can(user, "procurement.follow_award", award or evaluation):
        raise Http404
    return challenge, evaluation, award


def _back(reference):
    return redirect("procurement:award", reference=reference)


def _refused(request, exc) -> None:
    for message in exc.messages:
        messages.error(request, message)


def _candidates(evaluation):
    """Shortlisted proposals that meet the minimum, best ranked first (the default choice)."""
    rank = RankingEntry.objects.filter(evaluation=evaluation, proposal=OuterRef("pk")).values(
        "rank"
    )[:1]
    ids = RankingEntry.objects.filter(evaluation=evaluation, meets_minimum=True).values(
        "proposal_id"
    )
    return (
        Proposal.objects.filter(pk__in=ids, status=Proposal.Status.SHORTLISTED)
        .annotate(rank=Subquery(rank))
        .select_related("vendor")
        .order_by("rank", "pk")
    )


def _may_end_without_award(user, challenge) -> bool:
    return challenge.status == Challenge.Status.EVALUATING and can(
        user, "procurement.end_challenge_without_award", challenge
    )


def _debriefs(user, award, bound=None) -> list:
    """The debrief requests the owner handles, each with the step it is ready for."""
    if award is None or not can(user, "procurement.manage_award", award):
        return []
    bound = bound or {}
    debriefs = list(
        DebriefRequest.objects.filter(award=award).select_related("proposal__vendor", "award")
    )
    for debrief in debriefs:
        allowed = allowed_transitions(debrief, user)
        if "schedule" in allowed:
            debrief.schedule_form = bound.get((debrief.pk, "schedule")) or DebriefScheduleForm(
                initial={"scheduled_for": debrief.scheduled_for, "location": debrief.location},
                auto_id=f"id_debrief_{debrief.pk}_%s",
            )
        if "record_held" in allowed:
            debrief.held_form = bound.get((debrief.pk, "record_held")) or DebriefHeldForm(
                auto_id=f"id_debrief_{debrief.pk}_held_%s"
            )
    return debriefs


def _may_recommend(user, evaluation, award) -> bool:
    return (
        award is None
        and evaluation.status == Evaluation.Status.DECIDED
        and can(user, "procurement.recommend_award", evaluation)
    )


def _ask_first(request, key, obj, challenge, *, shown=()):
    """The page that asks to confirm a one-way step of the award (core/confirm.py)."""
    return confirmation_page(
        request,
        key,
        obj,
        back_url=reverse("procurement:award", kwargs={"reference": challenge.reference}),
        shown=shown,
        context={"challenge": challenge},
    )


def _render(
    request,
    challenge,
    evaluation,
    award,
    *,
    recommend_form=None,
    step_forms=None,
    end_form=None,
    debrief_forms=None,
):
    user = request.user
    may_recommend = _may_recommend(user, evaluation, award)
    if may_recommend and recommend_form is None:
        recommend_form = RecommendForm(proposals=_candidates(evaluation))
    steps = []
    if award is not None:
        allowed = allowed_transitions(award, user)
        step_forms = step_forms or {}
        for name in ("approve", "reject", "notify", "finalise"):
            if name in allowed:
                form = step_forms.get(name) or ReasonForm(auto_id=f"id_{name}_%s")
                key = f"procurement.award_{name}"
                steps.append(
                    {
                        "name": name,
                        "label": STEP_LABELS[name],
                        "form": form,
                        "confirm": key if is_one_way(key) else "",
                    }
                )
        if (
            award.status == Award.Status.STANDSTILL
            and "finalise" not in allowed
            and can(user, "procurement.manage_award", award)
        ):
            steps.append(
                {
                    "name": "finalise",
                    "label": STEP_LABELS["finalise"],
                    "problems": transition_problems(award, "finalise"),
                }
            )
    context = {
        "challenge": challenge,
        "evaluation": evaluation,
        "award": award,
        "recommend_form": recommend_form if may_recommend else None,
        "steps": steps,
        "is_recommender": award is not None and award.recommended_by_id == user.pk,
        "debriefs": _debriefs(user, award, debrief_forms),
        "end_form": (end_form or EndWithoutAwardForm(auto_id="id_end_%s"))
        if _may_end_without_award(user, challenge)
        else None,
    }
    return render(request, "procurement/award.html", context)


@login_required
def award(request, reference):
    return _render(request, *_decision(request.user, reference))


@require_POST
@login_required
def award_recommend(request, reference):
    challenge, evaluation, award = _decision(request.user, reference)
    form = RecommendForm(request.POST, proposals=_candidates(evaluation))
    if form.is_valid():
        # Asked first when the recommendation can be made; otherwise (not allowed, or another
        # than the best ranked without a reason) the service refuses it, without asking.
        best = _candidates(evaluation).first()
        reasoned = form.cleaned_data["proposal"] == best or form.cleaned_data["reason"].strip()
        if (
            confirmation_needed(request)
            and reasoned
            and _may_recommend(request.user, evaluation, award)
        ):
            return _ask_first(
                request,
                "procurement.award_recommend",
                challenge,
                challenge,
                shown=[
                    (_("Proposal to recommend"), str(form.cleaned_data["proposal"].vendor)),
                    (_("Why this proposal"), form.cleaned_data["reason"]),
                ],
            )
        try:
            award_services.award_recommend(
                evaluation=evaluation,
                actor=request.user,
                proposal=form.cleaned_data["proposal"],
                reason=form.cleaned_data["reason"],
            )
        except InvalidInput as exc:
            apply_service_errors(form, exc)
        except (TransitionRefused, PermissionDenied) as exc:
            _refused_any(request, exc)
            return _back(reference)
        else:
            messages.success(request, _("The award is recommended; approvers are asked."))
            return _back(reference)
    return _render(request, challenge, evaluation, award, recommend_form=form)


def _refused_any(request, exc) -> None:
    if isinstance(exc, PermissionDenied):
        messages.error(request, str(exc) or _("You may not take this step."))
    else:
        _refused(request, exc)


@require_POST
@login_required
def award_step(request, reference, name):
    challenge, evaluation, award = _decision(request.user, reference)
    if award is None or name not in STEP_LABELS:
        raise Http404
    form = ReasonForm(request.POST, auto_id=f"id_{name}_%s")
    form.is_valid()
    reason = form.cleaned_data.get("reason", "")
    actor = request.user
    key = f"procurement.award_{name}"
    try:
        if is_one_way(key) and confirmation_needed(request):
            transition_check(instance=award, name=name, actor=actor)
            return _ask_first(request, key, award, challenge, shown=[(_("Reason"), reason)])
        if name == "approve":
            award_services.award_approve(award=award, actor=actor)
        elif name == "reject":
            award_services.award_reject(award=award, actor=actor, reason=reason)
        elif name == "notify":
            award_services.award_notify(award=award, actor=actor)
        else:
            award_services.award_finalise(award=award, actor=actor, reason=reason)
    except InvalidInput as exc:
        apply_service_errors(form, exc)
        return _render(request, challenge, evaluation, award, step_forms={name: form})
    except (TransitionRefused, PermissionDenied) as exc:
        _refused_any(request, exc)
        return _back(reference)
    messages.success(request, STEP_SUCCESS[name])
    return _back(reference)


@require_POST
@login_required
def award_end_without(request, reference):
    challenge, evaluation, award = _decision(request.user, reference)
    if not can(request.user, "procurement.end_challenge_without_award", challenge):
        raise PermissionDenied(str(award_services.ENDING_OWNER_ONLY))
    form = EndWithoutAwardForm(request.POST, auto_id="id_end_%s")
    if form.is_valid():
        # Asked first when the challenge can end so; otherwise the service refuses it.
        if confirmation_needed(request) and _may_end_without_award(request.user, challenge):
            return _ask_first(
                request,
                "procurement.end_without_award",
                challenge,
                challenge,
                shown=[(_("Your reason"), form.cleaned_data["reason"])],
            )
        try:
            award_services.challenge_end_without_award(
                challenge=challenge, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except InvalidInput as exc:
            apply_service_errors(form, exc)
        except (TransitionRefused, PermissionDenied) as exc:
            _refused_any(request, exc)
            return _back(reference)
        else:
            messages.success(
                request,
                _("The challenge ended without an award; the vendors who took part are told why."),
            )
            return _back(reference)
    return _render(request, challenge, evaluation, award, end_form=form)


def _debrief_of(request, reference, pk):
    challenge, evaluation, award = _decision(request.user, reference)
    if award is None:
        raise Http404
    debrief = DebriefRequest.objects.filter(pk=pk, award=award).select_related("award").first()
    if debrief is None:
        raise Http404
    return (challenge, evaluation, award), debrief


def _debrief_step(request, reference, pk, *, step, form_class, write, success):
    decision, debrief = _debrief_of(request, reference, pk)
    form = form_class(request.POST, auto_id=f"id_debrief_{pk}_%s")
    if form.is_valid():
        try:
            write(debrief, form.cleaned_data)
        except InvalidInput as exc:
            apply_service_errors(form, exc)
        except TransitionRefused as exc:
            _refused(request, exc)
            return _back(reference)
        else:
            messages.success(request, success)
            return _back(reference)
    return _render(request, *decision, debrief_forms={(debrief.pk, step): form})


@require_POST
@login_required
def debrief_schedule(request, reference, pk):
    return _debrief_step(
        request,
        reference,
        pk,
        step="schedule",
        form_class=DebriefScheduleForm,
        write=lambda debrief, data: debrief_services.debrief_schedule(
            debrief=debrief,
            actor=request.user,
            scheduled_for=data.get("scheduled_for"),
            location=data.get("location", ""),
        ),
        success=_("The debrief is scheduled; the vendor is told when and where."),
    )


@require_POST
@login_required
def debrief_held(request, reference, pk):
    return _debrief_step(
        request,
        reference,
        pk,
        step="record_held",
        form_class=DebriefHeldForm,
        write=lambda debrief, data: debrief_services.debrief_record_held(
            debrief=debrief, actor=request.user, note=data.get("note", "")
        ),
        success=_("The debrief is recorded as held."),
    )


# The vendor's side ------------------------------------------------------------------------------


def _letter_for(user, reference):
    """(award, proposal) for a member of a vendor whose proposal was received, once the
    letters went out; 404 for everyone else."""
    challenge = visible_challenge(user, reference)
    award = award_services.live_award(challenge)
    if award is None or award.status not in Award.ANNOUNCED_STATES:
        raise Http404
    # The challenge just read is the award's: its page and its letter need not read it again.
    award.challenge = challenge
    if not can(user, "procurement.request_debrief", award):
        raise Http404
    vendor_ids = VendorMembership.objects.filter(user_id=user.pk).values("vendor_id")
    proposal = (
        Proposal.objects.filter(
            challenge=challenge, vendor_id__in=vendor_ids, status__in=Proposal.RECEIVED_STATES
        )
        .select_related("vendor")
        .first()
    )
    if proposal is None:
        raise Http404
    return award, proposal


def _render_letter(request, award, proposal, *, form=None):
    # The ranking is read once, for this page and for the letter it shows.
    prefetch_related_objects([award], "evaluation__ranking_entries")
    entries = {e.proposal_id: e for e in award.evaluation.ranking_entries.all()}
    debrief = DebriefRequest.objects.filter(award=award, proposal=proposal).first()
    may_debrief = award.debrief_window_open and debrief is None and proposal.pk != award.proposal_id
    context = {
        "challenge": award.challenge,
        "award": award,
        "proposal": proposal,
        "letter": award_services.result_letter_parts(award, proposal),
        "signed_by": award.challenge.owner,
        "own": entries.get(proposal.pk),
        "winner": entries.get(award.proposal_id),
        "is_winner": proposal.pk == award.proposal_id,
        "debrief": debrief,
        "debrief_form": (form or DebriefForm()) if may_debrief else None,
    }
    return render(request, "procurement/result_letter.html", context)


@login_required
def result_letter(request, reference):
    award, proposal = _letter_for(request.user, reference)
    return _render_letter(request, award, proposal)


@require_POST
@login_required
def debrief_request(request, reference):
    award, proposal = _letter_for(request.user, reference)
    form = DebriefForm(request.POST)
    if form.is_valid():
        try:
            award_services.debrief_request(
                award=award, actor=request.user, message=form.cleaned_data["message"]
            )
        except InvalidInput as exc:
            apply_service_errors(form, exc)
        except TransitionRefused as exc:
            _refused(request, exc)
            return redirect(reverse("procurement:result_letter", kwargs={"reference": reference}))
        else:
            messages.success(request, _("Your debrief request is sent to the municipality."))
            return redirect(reverse("procurement:result_letter", kwargs={"reference": reference}))
    return _render_letter(request, award, proposal, form=form)
