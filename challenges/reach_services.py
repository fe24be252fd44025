"""Every write to a challenge's reach targets and to the reason they were not met
(docs/engagement.md).

Only the challenge's owner writes them, and only in draft or co-design: the approver weighs the
co-design against these targets, so review fixes them with the statement; moving a target after
approval would quietly rewrite what was approved. Each write locks the challenge's row (review
takes it too) and is audited in its transaction, filed under the challenge.
"""

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.audit import audit_change, audit_created, audit_deleted, audit_diff, audit_values
from core.errors import InvalidInput
from core.permissions import require

from .models import Challenge, PriorityGroup, ReachTarget

REACH_DENIED = gettext_lazy(
    "Only the challenge's owner sets its reach targets and says why they were not met, and only "
    "in draft or co-design: they are fixed with the statement when it goes to review."
)
TARGET_MAX = 1_000_000


def _lock(challenge: Challenge, actor) -> Challenge:
    challenge = Challenge.objects.select_for_update().get(pk=challenge.pk)
    require(actor, "challenges.set_reach_targets", challenge, str(REACH_DENIED))
    return challenge


def _target_value(target) -> int:
    if isinstance(target, bool) or not isinstance(target, int) or not 1 <= target <= TARGET_MAX:
        message = _("A target is a whole number of people, at least one; leave it empty for none.")
        raise InvalidInput(message, field_errors={"target": [message]})
    return target


def _set(challenge: Challenge, actor, group: PriorityGroup, target: int) -> ReachTarget | None:
    existing = ReachTarget.objects.filter(challenge=challenge, group=group).first()
    if existing is None:
        if not group.active:
            message = _("%(group)s is no longer offered; choose another group.") % {
                "group": group.name
            }
            raise InvalidInput(message, field_errors={"group": [message]})
        created = ReachTarget.objects.create(
            challenge=challenge, group=group, target=target, set_by=actor
        )
        audit_created(obj=created, actor=actor, fields=("group", "target"))
        return created
    before = audit_values(existing, ("target",))
    if existing.target != target:
        existing.target = target
        existing.set_by = actor
        existing.save(update_fields=["target", "set_by", "updated_at"])
        audit_change(
            obj=existing, actor=actor, action="update", changes=audit_diff(before, existing)
        )
    return existing


def _remove(challenge: Challenge, actor, group: PriorityGroup) -> bool:
    existing = ReachTarget.objects.filter(challenge=challenge, group=group).first()
    if existing is None:
        return False
    audit_deleted(obj=existing, actor=actor, fields=("group", "target"))
    existing.delete()
    return True


@transaction.atomic
def reach_target_set(*, challenge: Challenge, actor, group: PriorityGroup, target: int):
    """Set how many people of `group` the challenge means to reach (creates or changes)."""
    challenge = _lock(challenge, actor)
    return _set(challenge, actor, group, _target_value(target))


@transaction.atomic
def reach_target_remove(*, challenge: Challenge, actor, group: PriorityGroup) -> bool:
    """No target for `group` any more; False when there was none."""
    challenge = _lock(challenge, actor)
    return _remove(challenge, actor, group)


@transaction.atomic
def reach_targets_save(*, challenge: Challenge, actor, targets: dict) -> list[ReachTarget]:
    """The owner's form: every group given, a number to set its target or None for none."""
    challenge = _lock(challenge, actor)
    errors = {}
    for group, target in targets.items():
        if target is not None:
            try:
                _target_value(target)
            except InvalidInput as exc:
                errors[f"group_{group.pk}"] = exc.field_errors["target"]
    if errors:
        raise InvalidInput(
            [m for messages in errors.values() for m in messages], field_errors=errors
        )
    for group, target in targets.items():
        if target is None:
            _remove(challenge, actor, group)
        else:
            _set(challenge, actor, group, target)
    return list(challenge.reach_targets.select_related("group"))


@transaction.atomic
def reach_gap_reason_set(*, challenge: Challenge, actor, reason: str) -> Challenge:
    """Why the targets were not met, for the approver; empty to take it back."""
    challenge = _lock(challenge, actor)
    before = audit_values(challenge, ("reach_gap_reason",))
    challenge.reach_gap_reason = (reason or "").strip()
    max_length = Challenge._meta.get_field("reach_gap_reason").max_length
    if len(challenge.reach_gap_reason) > max_length:
        message = _("Keep the reason under %(max)d characters.") % {"max": max_length}
        raise InvalidInput(message, field_errors={"reach_gap_reason": [message]})
    challenge.save(update_fields=["reach_gap_reason", "updated_at"])
    audit_change(
        obj=challenge, actor=actor, action="reach_gap_reason", changes=audit_diff(before, challenge)
    )
    return challenge
