"""Deadlines that act by themselves: the "next check" pattern (DESIGN.md §4).

Each stateful model with timed steps stores `next_due_at`, the time of its next due step. The beat
task runs `chronograph_run_due` every minute: it reads the ids of rows whose time has passed
(a partial index keeps this cheap however many rows are not due), then, one transaction per row,
locks the row with SKIP LOCKED, runs every overdue step through the same services people use
(actor None: "system" in the audit), records each step done, and computes the next due time.

A late or missed run catches up, since every step past due runs; a repeated or concurrent run
does no harm, since a locked row is skipped and a done step is recorded per deadline value.
A step that cannot run yet (closing while questions are open) reports so and is tried again on
the next tick; its row keeps a due time in the past.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import TransitionRefused
from core.timefmt import format_local
from core.workflow import transition_problems

from .message import Message
from .models import ChronographStep, Notification
from .services.notifications import notifications_create

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Step:
    """A timed step: `due_at(obj)` is None when it does not apply; `run(obj, now)` returns True
    when done and False when it must be tried again on the next tick."""

    name: str
    due_at: Callable[[object], datetime | None]
    run: Callable[[object, datetime], bool]


_steps: dict[str, list[Step]] = {}


def register_step(model_label: str, step: Step) -> None:
    steps = _steps.setdefault(model_label, [])
    if all(s.name != step.name for s in steps):
        steps.append(step)


def scheduled_models() -> list:
    return [apps.get_model(label) for label in _steps]


def _done(obj) -> set[tuple[str, datetime]]:
    content_type = ContentType.objects.get_for_model(obj, for_concrete_model=True)
    return set(
        ChronographStep.objects.filter(content_type=content_type, object_id=obj.pk).values_list(
            "step", "due_at"
        )
    )


def pending_steps(obj) -> list[tuple[datetime, Step]]:
    """Steps that apply to `obj` and are not done for their current deadline, soonest first."""
    steps = _steps.get(obj._meta.label, [])
    candidates = [(step.due_at(obj), step) for step in steps]
    candidates = [(due, step) for due, step in candidates if due is not None]
    if not candidates:
        return []
    done = _done(obj)
    pending = [(due, step) for due, step in candidates if (step.name, due) not in done]
    return sorted(pending, key=lambda pair: pair[0])


def next_due_at(obj) -> datetime | None:
    pending = pending_steps(obj)
    return pending[0][0] if pending else None


def chronograph_reschedule(obj) -> datetime | None:
    """Store `obj`'s next due time; called whenever its deadlines or state change."""
    value = next_due_at(obj)
    if value != obj.next_due_at:
        type(obj).objects.filter(pk=obj.pk).update(next_due_at=value)
        obj.next_due_at = value
    return value


def _record(obj, step: Step, due: datetime, now: datetime) -> None:
    ChronographStep.objects.get_or_create(
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=True),
        object_id=obj.pk,
        step=step.name,
        due_at=due,
        defaults={"done_at": now},
    )


def _run_row(model, pk, now) -> list[str] | None:
    """Run the row's overdue steps; None if it was locked or handled meanwhile."""
    done = []
    with transaction.atomic():
        obj = model.objects.select_for_update(skip_locked=True).filter(pk=pk).first()
        if obj is None or obj.next_due_at is None or obj.next_due_at > now:
            return None  # someone is acting on it now (a submission, another tick), or done
        for due, step in pending_steps(obj):
            if due > now:
                break
            if not step.run(obj, now):
                break  # later steps wait for this one (e.g. nothing after a refused close)
            _record(obj, step, due, now)
            done.append(step.name)
            obj = model.objects.get(pk=pk)
        chronograph_reschedule(obj)
    return done


def chronograph_run_due(*, now=None, limit: int = 1000) -> dict[str, int]:
    """Run every overdue step of every row that is due; return counts for the log."""
    now = now or timezone.now()
    report = {"rows": 0, "steps": 0, "skipped": 0, "errors": 0}
    for model in scheduled_models():
        due = list(
            model.objects.filter(next_due_at__lte=now)
            .order_by("next_due_at")
            .values_list("pk", flat=True)[:limit]
        )
        for pk in due:
            try:
                steps = _run_row(model, pk, now)
            except Exception:
                # One broken row must not stop the others; it stays due and is tried again.
                logger.exception("Scheduled steps of %s %s failed.", model._meta.label, pk)
                report["errors"] += 1
                continue
            if steps is None:
                report["skipped"] += 1
                continue
            report["rows"] += 1
            report["steps"] += len(steps)
    return report


# The challenge's steps ---------------------------------------------------------------------------


def _published_deadline(field: str):
    def due_at(challenge):
        if challenge.status != challenge.Status.PUBLISHED:
            return None
        return getattr(challenge, field)

    return due_at


def _notify_owner(challenge, *, key: str, message: Callable[[], Message]) -> None:
    notifications_create(
        recipients=[challenge.owner],
        kind=Notification.Kind.OVERDUE_STEP,
        message=message,
        dedupe_prefix=key,
    )


def questions_period_end(challenge, now) -> bool:
    """The questions period ended: the owner learns how many questions still wait."""
    open_count = challenge.questions.filter(status="submitted").count()
    if open_count:
        _notify_owner(
            challenge,
            key=f"questions_period_end:{challenge.pk}:{challenge.questions_deadline.isoformat()}",
            message=lambda: Message(
                title=_("Questions period ended for %(reference)s: %(count)d to answer")
                % {"reference": challenge.reference, "count": open_count},
                body=_(
                    "The questions period of %(challenge)s ended at %(deadline)s. Answer or "
                    "dismiss the questions still open: the challenge cannot close at its "
                    "submission deadline (%(close)s) while any is open."
                )
                % {
                    "challenge": challenge,
                    "deadline": format_local(challenge.questions_deadline),
                    "close": format_local(challenge.submission_deadline),
                },
                link=challenge.get_absolute_url(),
            ),
        )
    return True


def close_at_submission_deadline(challenge, now) -> bool:
    """Close through the same service as staff, so proposals are received or lapse with it.

    The close guard refuses while questions are open (DESIGN.md §3). The system cannot answer
    them, so it tells the owner once per deadline that the step is overdue and tries again on
    every tick: the challenge closes within a minute of the last question being settled.
    """
    from challenges.services import challenge_transition

    try:
        challenge_transition(
            challenge=challenge,
            actor=None,
            name="close",
            reason=_("The submission deadline passed."),
        )
    except TransitionRefused as exc:
        logger.info(
            "%s could not close at its submission deadline: %s",
            challenge.reference,
            " ".join(exc.messages),
        )
        _notify_owner(
            challenge,
            key=f"close_refused:{challenge.pk}:{challenge.submission_deadline.isoformat()}",
            message=lambda: Message(
                title=_("%(reference)s could not close at its submission deadline")
                % {"reference": challenge.reference},
                body=_(
                    "The submission deadline of %(challenge)s passed at %(deadline)s, but it "
                    "could not close: %(problems)s It will close automatically within a minute "
                    "of this being resolved. No proposal can be submitted meanwhile."
                )
                % {
                    "challenge": challenge,
                    "deadline": format_local(challenge.submission_deadline),
                    "problems": " ".join(transition_problems(challenge, "close")),
                },
                link=challenge.get_absolute_url(),
            ),
        )
        return False
    return True


# The award's step --------------------------------------------------------------------------------


def _standstill_end(award):
    if award.status != award.Status.STANDSTILL:
        return None
    return award.standstill_ends_at


def finalise_after_standstill(award, now) -> bool:
    """Make the award final when its standstill ends, through the service staff use."""
    from .services.award import award_finalise

    try:
        award_finalise(award=award, actor=None, reason=_("The standstill period ended."))
    except TransitionRefused as exc:
        # Nobody is waiting on this page: say it where operators look, every time it is tried.
        logger.warning(
            "The award of %s could not be made final after its standstill: %s",
            award.challenge.reference,
            " ".join(exc.messages),
        )
        return False
    return True


def register_builtin_steps() -> None:
    register_step("procurement.Award", Step("finalise", _standstill_end, finalise_after_standstill))
    register_step(
        "challenges.Challenge",
        Step(
            "questions_period_end", _published_deadline("questions_deadline"), questions_period_end
        ),
    )
    register_step(
        "challenges.Challenge",
        # Due after the grace that follows the deadline (Challenge.closes_at), when it may close.
        Step("close", _published_deadline("closes_at"), close_at_submission_deadline),
    )
