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
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime
from time import monotonic

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audit_deferred
from core.errors import TransitionRefused
from core.timefmt import format_local
from core.workflow import transition_problems

from .message import Message
from .models import ChronographStep, Notification
from .services.notifications import notifications_create, notifications_deferred

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Step:
    """A timed step: `due_at(obj)` is None when it does not apply; `run(obj, now)` returns True
    when done and False when it must be tried again on the next tick."""

    name: str
    due_at: Callable[[object], datetime | None]
    run: Callable[[object, datetime], bool]


_steps: dict[str, list[Step]] = {}
# Related rows a model's steps read (a challenge's owner, told when it closes): loaded with the
# batch, so a step does not fetch them row by row.
_related: dict[str, set[str]] = {}

# How many due rows one transaction takes: the locks, the steps done, the records, the audit
# entries and the notifications of a batch are read and written together.
BATCH_SIZE = 100


def register_step(model_label: str, step: Step, *, related: tuple[str, ...] = ()) -> None:
    steps = _steps.setdefault(model_label, [])
    if all(s.name != step.name for s in steps):
        steps.append(step)
    _related.setdefault(model_label, set()).update(related)


def scheduled_models() -> list:
    return [apps.get_model(label) for label in _steps]


def _content_type(obj):
    return ContentType.objects.get_for_model(obj, for_concrete_model=True)


def _done_of(model, pks) -> dict[int, set[tuple[str, datetime]]]:
    """The steps done for each row, in one query."""
    done: dict[int, set] = {pk: set() for pk in pks}
    rows = ChronographStep.objects.filter(
        content_type=ContentType.objects.get_for_model(model, for_concrete_model=True),
        object_id__in=list(pks),
    ).values_list("object_id", "step", "due_at")
    for object_id, step, due_at in rows:
        done[object_id].add((step, due_at))
    return done


def _done(obj) -> set[tuple[str, datetime]]:
    return _done_of(type(obj), [obj.pk])[obj.pk]


def _pending(obj, done) -> list[tuple[datetime, Step]]:
    steps = _steps.get(obj._meta.label, [])
    candidates = [(step.due_at(obj), step) for step in steps]
    pending = [
        (due, step) for due, step in candidates if due is not None and (step.name, due) not in done
    ]
    return sorted(pending, key=lambda pair: pair[0])


def pending_steps(obj) -> list[tuple[datetime, Step]]:
    """Steps that apply to `obj` and are not done for their current deadline, soonest first."""
    steps = _steps.get(obj._meta.label, [])
    if not any(step.due_at(obj) is not None for step in steps):
        return []
    return _pending(obj, _done(obj))


def next_due_at(obj) -> datetime | None:
    pending = pending_steps(obj)
    return pending[0][0] if pending else None


# Inside a batch, saves of scheduled rows and of the rows reminder audiences depend on do not
# reschedule or re-plan one by one: the batch does it for all of them when it ends.
_deferred: ContextVar[dict | None] = ContextVar("schedule_deferred", default=None)


def schedule_deferred_for(instance) -> bool:
    """Keep `instance` for the batch's end if a batch is running (procurement.receivers)."""
    deferred = _deferred.get()
    if deferred is None:
        return False
    deferred[(instance._meta.label, instance.pk)] = instance
    return True


def chronograph_reschedule(obj) -> datetime | None:
    """Store `obj`'s next due time; called whenever its deadlines or state change."""
    if schedule_deferred_for(obj):
        return obj.next_due_at
    value = next_due_at(obj)
    if value != obj.next_due_at:
        type(obj).objects.filter(pk=obj.pk).update(next_due_at=value)
        obj.next_due_at = value
    return value


def _reschedule_many(rows: list) -> None:
    """chronograph_reschedule for many rows: one query for the steps done and one update per
    model."""
    by_model: dict = {}
    for row in rows:
        by_model.setdefault(type(row), []).append(row)
    for model, objs in by_model.items():
        done = _done_of(model, [obj.pk for obj in objs])
        changed = []
        for obj in objs:
            pending = _pending(obj, done[obj.pk])
            value = pending[0][0] if pending else None
            if value != obj.next_due_at:
                obj.next_due_at = value
                changed.append(obj)
        if changed:
            model.objects.bulk_update(changed, ["next_due_at"])


@contextmanager
def _batch():
    """Defer the schedule's and the reminders' upkeep, the notifications and the audit entries
    of everything run inside to its end, where each is written in a few queries."""
    from .services.reminders import reminders_replan_many

    with audit_deferred(), notifications_deferred():
        token = _deferred.set({})
        try:
            yield
            saved = list(_deferred.get().values())
        finally:
            _deferred.reset(token)
        scheduled = tuple(scheduled_models())
        _reschedule_many([row for row in saved if isinstance(row, scheduled)])
        reminders_replan_many(saved)


def _run_batch(model, pks, now) -> dict[int, list[str] | None]:
    """Run the overdue steps of the rows `pks` in one transaction; for each row the steps done,
    or None if it was locked (someone is acting on it: a submission, another tick) or done."""
    results: dict[int, list[str] | None] = dict.fromkeys(pks)
    with transaction.atomic(), _batch():
        rows = list(
            # The rows are taken exclusively and skipped when locked; joined rows are read only.
            model.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related(*sorted(_related.get(model._meta.label, ())))
            .filter(pk__in=pks, next_due_at__lte=now)
            .order_by("next_due_at", "pk")
        )
        if not rows:
            return results
        done = _done_of(model, [row.pk for row in rows])
        records = []
        for obj in rows:
            results[obj.pk] = steps_done = []
            pending = _pending(obj, done[obj.pk])
            while pending and pending[0][0] <= now:
                due, step = pending[0]
                if not step.run(obj, now):
                    break  # later steps wait for this one (e.g. nothing after a refused close)
                records.append(
                    ChronographStep(
                        content_type=_content_type(obj),
                        object_id=obj.pk,
                        step=step.name,
                        due_at=due,
                        done_at=now,
                    )
                )
                done[obj.pk].add((step.name, due))
                steps_done.append(step.name)
                pending = _pending(obj, done[obj.pk])
                if pending and pending[0][0] <= now:
                    # Another step is due too: it reads the row as the last step left it.
                    obj = model.objects.select_related(
                        *sorted(_related.get(model._meta.label, ()))
                    ).get(pk=obj.pk)
                    pending = _pending(obj, done[obj.pk])
            schedule_deferred_for(obj)
        # A step is recorded once per deadline value, even if another run recorded it meanwhile.
        ChronographStep.objects.bulk_create(records, ignore_conflicts=True)
    return results


def chronograph_run_due(
    *,
    now=None,
    limit: int = 1000,
    batch_size: int = BATCH_SIZE,
    budget_seconds: float | None = None,
) -> dict:
    """Run every overdue step of every row that is due; return counts for the log.

    Rows are taken in batches of `batch_size`, one transaction each. A batch that fails is run
    again row by row, so one broken row does not stop the others: it stays due and is tried again.
    With `budget_seconds`, no batch is started once that time has passed (the rows left stay due
    for the next tick), so a tick ends well before its task's time limit.
    """
    now = now or timezone.now()
    started = monotonic()
    report = {"rows": 0, "steps": 0, "skipped": 0, "errors": 0}
    for model in scheduled_models():
        due = list(
            model.objects.filter(next_due_at__lte=now)
            .order_by("next_due_at")
            .values_list("pk", flat=True)[:limit]
        )
        for start in range(0, len(due), batch_size):
            if budget_seconds is not None and monotonic() - started > budget_seconds:
                logger.warning(
                    "Chronograph: %d due %s row(s) left for the next tick (time budget spent).",
                    len(due) - start,
                    model._meta.label,
                )
                return report
            chunk = due[start : start + batch_size]
            try:
                results = _run_batch(model, chunk, now)
            except Exception:
                logger.info("A batch of %s failed; running its rows one by one.", model._meta.label)
                results = {}
                for pk in chunk:
                    try:
                        results.update(_run_batch(model, [pk], now))
                    except Exception:
                        logger.exception("Scheduled steps of %s %s failed.", model._meta.label, pk)
                        report["errors"] += 1
            for steps in results.values():
                if steps is None:
                    report["skipped"] += 1
                else:
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
            # The tick holds the row (SKIP LOCKED, exclusive): a submission in progress keeps it
            # out of this batch, and the close is refused before anything is written.
            locked=True,
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
        related=("owner",),
    )
    register_step(
        "challenges.Challenge",
        # Due after the grace that follows the deadline (Challenge.closes_at), when it may close.
        Step("close", _published_deadline("closes_at"), close_at_submission_deadline),
        related=("owner",),
    )
