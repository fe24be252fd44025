"""When residents may give input on a challenge, and at which stage of its life.

Co-design is the challenge's own state. Later stages belong to the apps above (a running pilot is
procurement's), which `challenges` cannot import: each registers a function from its
`AppConfig.ready()` that names the stage open now, or None. The page, the API and the service all
ask `open_input_stage`, so the stage an input is filed under is always decided by the server.
"""

from collections.abc import Callable

from django.utils.translation import gettext as _

from .models import Challenge, EngagementStage

StageCheck = Callable[[Challenge], str | None]

_stage_checks: list[StageCheck] = []


def register_input_stage(check: StageCheck) -> StageCheck:
    if check not in _stage_checks:
        _stage_checks.append(check)
    return check


def unregister_input_stage(check: StageCheck) -> None:
    """Remove a registered check (tests, or an app that is switched off)."""
    if check in _stage_checks:
        _stage_checks.remove(check)


def open_input_stage(challenge: Challenge) -> str | None:
    """The stage residents' input is gathered for now, or None when input is closed."""
    if challenge.status == Challenge.Status.CO_DESIGN:
        return EngagementStage.CO_DESIGN
    for check in _stage_checks:
        stage = check(challenge)
        if stage:
            return stage
    return None


def input_closed_message(challenge: Challenge) -> str:
    return _(
        "Residents' input is open while a challenge is in co-design, and feedback while its "
        "pilot is running. This challenge is “%(status)s”, so nothing was received."
    ) % {"status": challenge.get_status_display()}
