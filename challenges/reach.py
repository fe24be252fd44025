"""When residents may be engaged on a challenge, at which stage, and what the reach targets add
to the review gate (docs/engagement.md).

Pure rules on a challenge: the rules predicates, the activity service and the review gate ask
these, so a page, the API and a service refuse with the same sentence.
"""

from collections.abc import Callable

from django.utils.translation import gettext as _

from .models import Challenge, EngagementStage

Status = Challenge.Status

# Engagement runs from co-design until the pilot ends. Not in draft: nobody has been invited yet.
ENGAGEMENT_STATES = (
    Status.CO_DESIGN,
    Status.IN_REVIEW,
    Status.APPROVED,
    Status.PUBLISHED,
    Status.CLOSED,
    Status.EVALUATING,
    Status.AWARDED,
)
STAGE_OF_STATUS = {
    Status.CO_DESIGN: EngagementStage.CO_DESIGN,
    Status.IN_REVIEW: EngagementStage.CO_DESIGN,
    Status.APPROVED: EngagementStage.CO_DESIGN,
    Status.PUBLISHED: EngagementStage.CALL,
    Status.CLOSED: EngagementStage.CALL,
    Status.EVALUATING: EngagementStage.CALL,
    Status.AWARDED: EngagementStage.PILOT,
}
STAGE_ORDER = [stage.value for stage in EngagementStage]

# The pilot belongs to a higher app: it tells us here when a challenge's pilot has ended.
_engagement_end_checks: list[Callable[[Challenge], bool]] = []


def register_engagement_end(check: Callable[[Challenge], bool]) -> None:
    if check not in _engagement_end_checks:
        _engagement_end_checks.append(check)


def engagement_open(challenge: Challenge) -> bool:
    if challenge.status not in ENGAGEMENT_STATES:
        return False
    return not any(check(challenge) for check in _engagement_end_checks)


def default_stage(challenge: Challenge) -> str:
    return STAGE_OF_STATUS.get(challenge.status, EngagementStage.CO_DESIGN).value


def stage_problems(challenge: Challenge, stage: str) -> list[str]:
    """An activity may be recorded late for an earlier stage, never for one still to come."""
    if stage not in STAGE_ORDER:
        return []  # the field's own choices say it
    if STAGE_ORDER.index(stage) > STAGE_ORDER.index(default_stage(challenge)):
        return [
            _("This challenge has not reached the %(stage)s stage yet; choose an earlier stage.")
            % {"stage": EngagementStage(stage).label.lower()}
        ]
    return []


def reach_problems(challenge: Challenge, *, ledger=None) -> list[str]:
    """Review needs the targets met, or the owner's word on why they were not. `ledger`: the
    challenge's ledger when the caller has read it already."""
    if challenge.reach_gap_reason.strip():
        return []
    if ledger is None:
        from .reach_selectors import reach_ledger

        ledger = reach_ledger(challenge=challenge)
    unmet = ledger.unmet
    if not unmet:
        return []
    groups = "; ".join(
        _("%(group)s: %(reached)d of %(target)d")
        % {
            "group": row.group.name,
            "reached": row.reached,
            "target": row.target,
        }
        for row in unmet
    )
    return [
        _(
            "The reach targets are not met (%(groups)s). Reach these groups, or record why the "
            "targets were not met, before review."
        )
        % {"groups": groups}
    ]
