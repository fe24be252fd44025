"""The pilot: its public outcomes page (milestones, indicators against their targets, drawn as
inline SVG) and the owner's forms to plan the pilot, agree its milestones and indicators, record
measurements and move the pilot."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from challenges.forms import apply_service_errors
from challenges.views import visible_challenge
from core.charts import indicator_chart
from core.confirm import confirmation_needed, confirmation_page
from core.errors import InvalidInput, TransitionRefused
from core.permissions import can
from core.workflow import allowed_transitions, transition_check

from ..forms import (
    IndicatorForm,
    MeasurementForm,
    MilestoneDoneForm,
    MilestoneDueForm,
    MilestoneForm,
    PilotPlanForm,
    PilotStepForm,
)
from ..models import Award, Milestone, OutcomeIndicator, Pilot
from ..origin_indicators import origin_indicators
from ..pilot_feedback import pilot_feedback_context
from ..services import pilot as pilot_services
from ..services.award import live_award

STEP_LABELS = {
    "start": gettext_lazy("Start the pilot"),
    "open_review": gettext_lazy("Open the review"),
    "adopt": gettext_lazy("Adopt"),
    "conclude": gettext_lazy("Conclude"),
    "terminate": gettext_lazy("Terminate"),
}
ENDINGS = ("adopt", "conclude", "terminate")


def _pilot_of(challenge) -> Pilot | None:
    return Pilot.objects.filter(challenge=challenge).select_related("challenge").first()


def _pilot(user, reference) -> Pilot:
    pilot = _pilot_of(visible_challenge(user, reference))
    if pilot is None:
        raise Http404
    return pilot


def _managed_pilot(user, reference) -> Pilot:
    """The pilot for its owner; 404 for everyone else (a 403 would confirm the forms exist)."""
    pilot = _pilot(user, reference)
    if not can(user, "procurement.manage_pilot", pilot):
        raise Http404
    return pilot


def _plannable_award(user, challenge) -> Award:
    """The final award whose pilot the user may plan; 404 for everyone else."""
    award = live_award(challenge)
    if (
        award is None
        or award.status != Award.Status.FINAL
        or not can(user, "procurement.manage_pilot", award)
    ):
        raise Http404
    return award


def _setup(pilot, may_manage, forms) -> dict:
    """The owner's set-up forms (milestones, their completion, indicators) while the pilot has
    not ended, and why it cannot start yet."""
    milestones = list(pilot.milestones.order_by("due_on", "pk"))
    editable = may_manage and pilot.status not in Pilot.ENDED_STATES
    done_bound = forms.get("done_bound")
    due_bound = forms.get("due_bound")
    for milestone in milestones:
        milestone.done_form = milestone.due_form = None
        if editable and milestone.done_on is None:
            if done_bound and done_bound[0] == milestone.pk:
                milestone.done_form = done_bound[1]
            else:
                milestone.done_form = MilestoneDoneForm(auto_id=f"id_done{milestone.pk}_%s")
            if due_bound and due_bound[0] == milestone.pk:
                milestone.due_form = due_bound[1]
            else:
                milestone.due_form = MilestoneDueForm(
                    auto_id=f"id_due{milestone.pk}_%s", initial={"due_on": milestone.due_on}
                )
    milestone_form = indicator_form = None
    if editable:
        milestone_form = forms.get("milestone_form") or MilestoneForm(auto_id="id_milestone_%s")
        indicator_form = forms.get("indicator_form") or IndicatorForm(
            auto_id="id_indicator_%s",
            initial={"success_measure": pilot.challenge.success_measures},
        )
    planned = may_manage and pilot.status == Pilot.Status.PLANNED
    return {
        "milestones": milestones,
        "milestone_form": milestone_form,
        "indicator_form": indicator_form,
        "start_problems": pilot.start_problems() if planned else [],
        "origin_indicators": origin_indicators(pilot) if planned else [],
    }


def _render(request, pilot, *, bound=None, step_form=None, **forms):
    user = request.user
    may_manage = can(user, "procurement.manage_pilot", pilot)
    # Measurements in one query for every indicator's chart (indicator_chart reads `.all()`).
    indicators = list(
        OutcomeIndicator.objects.filter(pilot=pilot).order_by("pk").prefetch_related("measurements")
    )
    for indicator in indicators:
        indicator.chart = indicator_chart(indicator)
        if may_manage and pilot.status not in (Pilot.Status.PLANNED, *Pilot.ENDED_STATES):
            if bound and bound[0] == indicator.pk:
                indicator.form = bound[1]
            else:
                indicator.form = MeasurementForm(auto_id=f"id_m{indicator.pk}_%s")
    steps = []
    if may_manage:
        steps = [
            {
                "name": name,
                "label": STEP_LABELS[name],
                "confirm": f"procurement.pilot_{name}" if name in ENDINGS else "",
            }
            # An ending's form asks for the lessons learned its guard needs.
            for name in allowed_transitions(pilot, user, completed_by_form=ENDINGS)
            if name in STEP_LABELS
        ]
    context = {
        "challenge": pilot.challenge,
        "pilot": pilot,
        "indicators": indicators,
        "may_manage": may_manage,
        "steps": steps,
        "ends": any(s["name"] in ENDINGS for s in steps),
        # The review asks about the data terms when the challenge has a data governance record.
        "asks_data_terms": bool(steps) and pilot.governance_record() is not None,
        "step_form": step_form or PilotStepForm(),
    }
    context.update(_setup(pilot, may_manage, forms))
    context.update(pilot_feedback_context(request, pilot))
    return render(request, "procurement/pilot.html", context)


def _render_plan(request, award, *, form=None):
    context = {"challenge": award.challenge, "award": award, "form": form or PilotPlanForm()}
    return render(request, "procurement/pilot_plan.html", context)


def pilot(request, reference):
    challenge = visible_challenge(request.user, reference)
    found = _pilot_of(challenge)
    if found is None:
        # Only the owner of a final award sees the page before the pilot exists: to plan it.
        return _render_plan(request, _plannable_award(request.user, challenge))
    return _render(request, found)


def _refused(request, exc) -> None:
    if isinstance(exc, PermissionDenied):
        messages.error(request, str(exc) or _("You may not take this step."))
        return
    for message in exc.messages:
        messages.error(request, message)


def _back(pilot):
    return redirect("procurement:pilot", reference=pilot.challenge.reference)


@require_POST
@login_required
def measurement_record(request, reference, indicator_id):
    pilot = _pilot(request.user, reference)
    if not can(request.user, "procurement.manage_pilot", pilot):
        raise Http404
    indicator = get_object_or_404(OutcomeIndicator, pk=indicator_id, pilot=pilot)
    form = MeasurementForm(request.POST, auto_id=f"id_m{indicator.pk}_%s")
    if form.is_valid():
        try:
            pilot_services.measurement_record(
                indicator=indicator, actor=request.user, **form.cleaned_data
            )
        except InvalidInput as exc:
            apply_service_errors(form, exc)
        except (TransitionRefused, PermissionDenied) as exc:
            _refused(request, exc)
            return _back(pilot)
        else:
            messages.success(request, _("Measurement recorded."))
            return _back(pilot)
    return _render(request, pilot, bound=(indicator.pk, form))


@require_POST
@login_required
def pilot_step(request, reference, name):
    pilot = _pilot(request.user, reference)
    if name not in STEP_LABELS or not can(request.user, "procurement.manage_pilot", pilot):
        raise Http404
    form = PilotStepForm(request.POST)
    form.is_valid()
    lessons = form.cleaned_data.get("lessons_learned", "")
    try:
        # An ending asks first; without the lessons learned its guard needs, it is refused at once.
        if name in ENDINGS and confirmation_needed(request) and lessons.strip():
            transition_check(instance=pilot, name=name, actor=request.user, guards=False)
            return confirmation_page(
                request,
                f"procurement.pilot_{name}",
                pilot,
                back_url=reverse("procurement:pilot", kwargs={"reference": reference}),
                shown=[
                    (form.fields["lessons_learned"].label, lessons),
                    (
                        form.fields["data_terms_kept"].label,
                        dict(form.fields["data_terms_kept"].choices).get(
                            form.cleaned_data.get("data_terms_kept", ""), ""
                        )
                        if form.cleaned_data.get("data_terms_kept")
                        else "",
                    ),
                    (
                        form.fields["data_terms_note"].label,
                        form.cleaned_data.get("data_terms_note", ""),
                    ),
                ],
                context={"challenge": pilot.challenge},
            )
        if name in ENDINGS:
            pilot_services.pilot_end(
                pilot=pilot,
                actor=request.user,
                name=name,
                lessons_learned=lessons,
                data_terms_kept=form.cleaned_data.get("data_terms_kept", ""),
                data_terms_note=form.cleaned_data.get("data_terms_note", ""),
            )
        else:
            pilot_services.pilot_transition(pilot=pilot, actor=request.user, name=name)
    except (TransitionRefused, PermissionDenied, InvalidInput) as exc:
        _refused(request, exc)
        return _back(pilot)
    messages.success(request, _("The pilot moved on: %(step)s.") % {"step": STEP_LABELS[name]})
    return _back(pilot)


# The owner's set-up: plan the pilot, then agree its milestones and outcome indicators -----------


def _submit(request, pilot, form, write, success: str, **shown):
    """Run `write(cleaned_data)` for a valid form: back to the page with a message, or the page
    again with the form's errors (and nothing changed), the form placed as `shown` says."""
    if form.is_valid():
        try:
            write(form.cleaned_data)
        except InvalidInput as exc:
            apply_service_errors(form, exc)
        except (TransitionRefused, PermissionDenied) as exc:
            _refused(request, exc)
            return _back(pilot)
        else:
            messages.success(request, success)
            return _back(pilot)
    return _render(request, pilot, **shown)


@require_POST
@login_required
def pilot_plan(request, reference):
    challenge = visible_challenge(request.user, reference)
    award = _plannable_award(request.user, challenge)
    form = PilotPlanForm(request.POST)
    if form.is_valid():
        try:
            pilot = pilot_services.pilot_create(
                award=award, actor=request.user, **form.cleaned_data
            )
        except InvalidInput as exc:
            apply_service_errors(form, exc)
        except (TransitionRefused, PermissionDenied) as exc:
            _refused(request, exc)
            return redirect("procurement:pilot", reference=challenge.reference)
        else:
            messages.success(
                request, _("The pilot is planned. Agree its milestones and outcome indicators.")
            )
            return _back(pilot)
    return _render_plan(request, award, form=form)


@require_POST
@login_required
def milestone_add(request, reference):
    pilot = _managed_pilot(request.user, reference)
    form = MilestoneForm(request.POST, auto_id="id_milestone_%s")

    def write(data):
        pilot_services.milestone_add(pilot=pilot, actor=request.user, **data)

    return _submit(request, pilot, form, write, _("Milestone added."), milestone_form=form)


@require_POST
@login_required
def milestone_mark_done(request, reference, milestone_id):
    pilot = _managed_pilot(request.user, reference)
    milestone = get_object_or_404(Milestone, pk=milestone_id, pilot=pilot)
    form = MilestoneDoneForm(request.POST, auto_id=f"id_done{milestone.pk}_%s")

    def write(data):
        pilot_services.milestone_mark_done(milestone=milestone, actor=request.user, **data)

    success = _("Milestone marked done: %(title)s.") % {"title": milestone.title}
    return _submit(request, pilot, form, write, success, done_bound=(milestone.pk, form))


@require_POST
@login_required
def milestone_reschedule(request, reference, milestone_id):
    pilot = _managed_pilot(request.user, reference)
    milestone = get_object_or_404(Milestone, pk=milestone_id, pilot=pilot)
    form = MilestoneDueForm(request.POST, auto_id=f"id_due{milestone.pk}_%s")

    def write(data):
        pilot_services.milestone_reschedule(milestone=milestone, actor=request.user, **data)

    success = _("New due date saved: %(title)s.") % {"title": milestone.title}
    return _submit(request, pilot, form, write, success, due_bound=(milestone.pk, form))


@require_POST
@login_required
def indicator_add(request, reference):
    pilot = _managed_pilot(request.user, reference)
    form = IndicatorForm(request.POST, auto_id="id_indicator_%s")

    def write(data):
        pilot_services.indicator_add(pilot=pilot, actor=request.user, **data)

    return _submit(request, pilot, form, write, _("Outcome indicator added."), indicator_form=form)
