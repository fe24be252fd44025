"""The pilot: its public outcomes page (milestones, indicators against their targets, drawn as
inline SVG) and the owner's forms to record measurements and move the pilot."""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from challenges.forms import apply_service_errors
from challenges.views import visible_challenge
from core.errors import InvalidInput, TransitionRefused
from core.permissions import can
from core.workflow import allowed_transitions

from ..forms import MeasurementForm, PilotStepForm
from ..models import OutcomeIndicator, Pilot
from ..services import pilot as pilot_services

STEP_LABELS = {
    "start": _("Start the pilot"),
    "open_review": _("Open the review"),
    "adopt": _("Adopt"),
    "conclude": _("Conclude"),
    "terminate": _("Terminate"),
}
ENDINGS = ("adopt", "conclude", "terminate")

# The chart's geometry, in SVG user units.
CHART_WIDTH = 480
CHART_HEIGHT = 160
CHART_PAD = 24


def _pilot(user, reference) -> Pilot:
    challenge = visible_challenge(user, reference)
    pilot = Pilot.objects.filter(challenge=challenge).select_related("challenge").first()
    if pilot is None:
        raise Http404
    return pilot


def _chart(indicator) -> dict:
    """Points of the measurements and the y of the baseline and the target, in chart units."""
    measurements = list(indicator.measurements.order_by("measured_on", "pk"))
    values = [m.value for m in measurements] + [indicator.baseline, indicator.target]
    low, high = min(values), max(values)
    span = (high - low) or Decimal(1)
    inner_h = CHART_HEIGHT - 2 * CHART_PAD
    inner_w = CHART_WIDTH - 2 * CHART_PAD

    def y(value):
        return round(float(CHART_PAD + (high - value) / span * inner_h), 1)

    step = inner_w / max(len(measurements) - 1, 1)
    points = [
        {"x": round(CHART_PAD + i * step, 1), "y": y(m.value), "m": m}
        for i, m in enumerate(measurements)
    ]
    return {
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        "left": CHART_PAD,
        "right": CHART_WIDTH - CHART_PAD,
        "baseline_y": y(indicator.baseline),
        "target_y": y(indicator.target),
        "points": points,
        "polyline": " ".join(f"{p['x']},{p['y']}" for p in points),
        "measurements": measurements,
    }


def _render(request, pilot, *, bound=None, step_form=None):
    user = request.user
    may_manage = can(user, "procurement.manage_pilot", pilot)
    indicators = list(OutcomeIndicator.objects.filter(pilot=pilot).order_by("pk"))
    for indicator in indicators:
        indicator.chart = _chart(indicator)
        if may_manage and pilot.status not in (Pilot.Status.PLANNED, *Pilot.ENDED_STATES):
            if bound and bound[0] == indicator.pk:
                indicator.form = bound[1]
            else:
                indicator.form = MeasurementForm(auto_id=f"id_m{indicator.pk}_%s")
    steps = []
    if may_manage:
        steps = [
            {"name": name, "label": STEP_LABELS[name]}
            for name in allowed_transitions(pilot, user)
            if name in STEP_LABELS
        ]
    context = {
        "challenge": pilot.challenge,
        "pilot": pilot,
        "milestones": pilot.milestones.order_by("due_on", "pk"),
        "indicators": indicators,
        "may_manage": may_manage,
        "steps": steps,
        "ends": any(s["name"] in ENDINGS for s in steps),
        "step_form": step_form or PilotStepForm(),
    }
    return render(request, "procurement/pilot.html", context)


def pilot(request, reference):
    return _render(request, _pilot(request.user, reference))


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
    try:
        if name in ENDINGS:
            pilot_services.pilot_end(
                pilot=pilot,
                actor=request.user,
                name=name,
                lessons_learned=form.cleaned_data.get("lessons_learned", ""),
            )
        else:
            pilot_services.pilot_transition(pilot=pilot, actor=request.user, name=name)
    except (TransitionRefused, PermissionDenied, InvalidInput) as exc:
        _refused(request, exc)
        return _back(pilot)
    messages.success(request, _("The pilot moved on: %(step)s.") % {"step": STEP_LABELS[name]})
    return _back(pilot)
