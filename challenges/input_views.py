"""The residents' input form's endpoint: no account needed, so protected without third parties
by a hidden field robots fill (answered like a success, nothing kept) and a limit per client."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from core.errors import InvalidInput
from core.permissions import can

from .forms import apply_service_errors
from .input_forms import ResidentInputForm
from .input_limits import input_allowed, input_limit_message
from .input_services import community_input_give
from .input_stages import input_closed_message, open_input_stage
from .views import _render_detail, visible_challenge

THANKS = {
    "co_design": _("Thank you. Your input will appear here once a moderator has read it."),
    "pilot": _("Thank you. Your feedback on the pilot will appear once a moderator has read it."),
}


def safe_next(request, default: str) -> str:
    """Where to go after the form: a page of this site the form named, or `default`."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def _thanks(request, challenge, stage):
    messages.success(request, str(THANKS.get(stage, THANKS["co_design"])))
    return redirect(safe_next(request, f"{challenge.get_absolute_url()}#community-input"))


@require_POST
def input_add(request, reference):
    challenge = visible_challenge(request.user, reference)
    if not can(request.user, "challenges.add_communityinput", challenge):
        raise PermissionDenied(input_closed_message(challenge))
    if not input_allowed(request, challenge):
        return render(request, "429.html", {"message": input_limit_message()}, status=429)
    stage = open_input_stage(challenge)
    form = ResidentInputForm(request.POST, stage=stage)
    if form.is_robot:
        # Answered like a success, so the robot learns nothing; nothing is kept.
        return _thanks(request, challenge, stage)
    if form.is_valid():
        try:
            community_input_give(challenge=challenge, actor=request.user, **form.service_data())
        except InvalidInput as exc:
            apply_service_errors(form, exc)
        else:
            return _thanks(request, challenge, stage)
    return _render_detail(request, challenge, input_form=form)
