"""Reminders are rows first, messages second (DESIGN.md §4).

`reminders_plan` writes one row per (audience, subject, person, deadline value, offset) in the
transaction that changed the subject; rows for a deadline value that no longer holds are
cancelled. `reminders_deliver_due` claims due rows with SKIP LOCKED and, in one transaction per
row, writes the inbox notification and marks the row sent: a row is delivered once, whatever the
number of workers, beat ticks or broker restarts.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from ..audiences import Target, audience_named, audiences_for
from ..models import ReminderDelivery
from .notifications import notification_create

logger = logging.getLogger(__name__)

Status = ReminderDelivery.Status


def reminder_offsets() -> list[timedelta]:
    """The schedule, longest first. Offsets are elapsed time: "1 day" is 24 real hours, also
    across a daylight-saving change (the promise is the time left, not the wall-clock time)."""
    return sorted({timedelta(seconds=int(s)) for s in settings.REMINDER_OFFSETS}, reverse=True)


def _key(audience, recipient_id, deadline_name, deadline_at, offset_seconds):
    return (audience, recipient_id, deadline_name, deadline_at, offset_seconds)


def reminders_plan(*, subject, now=None) -> dict[str, int]:
    """Bring the planned rows of `subject` in line with its deadlines and audiences now."""
    now = now or timezone.now()
    content_type = ContentType.objects.get_for_model(subject, for_concrete_model=True)
    wanted = {}
    for audience in audiences_for(subject):
        for target in audience.targets(subject):
            for offset in reminder_offsets():
                seconds = int(offset.total_seconds())
                key = _key(
                    audience.name,
                    target.recipient_id,
                    target.deadline_name,
                    target.deadline_at,
                    seconds,
                )
                wanted[key] = target.deadline_at - offset
    rows = ReminderDelivery.objects.filter(content_type=content_type, object_id=subject.pk).exclude(
        status=Status.SENT
    )
    existing = {
        _key(r.audience, r.recipient_id, r.deadline_name, r.deadline_at, r.offset_seconds): r
        for r in rows
    }
    cancelled = revived = 0
    for key, row in existing.items():
        if row.status == Status.PLANNED and key not in wanted:
            row.status = Status.CANCELLED
            row.status_reason = "deadline moved or no longer concerned"
            row.save(update_fields=["status", "status_reason", "updated_at"])
            cancelled += 1
        elif row.status == Status.CANCELLED and key in wanted and row.due_at > now:
            # The deadline came back to a value it had before.
            row.status = Status.PLANNED
            row.status_reason = ""
            row.save(update_fields=["status", "status_reason", "updated_at"])
            revived += 1
    # A reminder whose moment has already passed is not planned late: "7 days left" sent with
    # two days left would mislead.
    new = [
        ReminderDelivery(
            audience=audience,
            content_type=content_type,
            object_id=subject.pk,
            recipient_id=recipient_id,
            deadline_name=deadline_name,
            deadline_at=deadline_at,
            offset_seconds=seconds,
            due_at=due_at,
        )
        for (audience, recipient_id, deadline_name, deadline_at, seconds), due_at in wanted.items()
        if due_at > now
        and (audience, recipient_id, deadline_name, deadline_at, seconds) not in existing
    ]
    # Rows already sent for the same key are skipped by the unique constraint.
    ReminderDelivery.objects.bulk_create(new, ignore_conflicts=True)
    return {"planned": len(new), "cancelled": cancelled, "revived": revived}


def _skip(row: ReminderDelivery, status: str, reason: str) -> bool:
    row.status = status
    row.status_reason = reason
    row.save(update_fields=["status", "status_reason", "updated_at"])
    return False


def _deliver_one(pk: int, now) -> bool:
    with transaction.atomic():
        row = (
            # Lock this row only: with the joined rows (a content type or person shared by
            # many rows) locked too, concurrent workers would skip each other's rows.
            ReminderDelivery.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("recipient", "content_type")
            .filter(pk=pk, status=Status.PLANNED, due_at__lte=now)
            .first()
        )
        if row is None:
            return False  # another worker has it, or it was delivered or cancelled meanwhile
        audience = audience_named(row.audience)
        model = row.content_type.model_class()
        subject = model._default_manager.filter(pk=row.object_id).first() if model else None
        if audience is None or subject is None:
            return _skip(row, Status.SKIPPED, "audience or subject no longer exists")
        if row.deadline_at <= now:
            return _skip(row, Status.SKIPPED, "the deadline passed before delivery")
        target = Target(row.recipient_id, row.deadline_name, row.deadline_at)
        if not audience.still_concerns(subject, target):
            return _skip(row, Status.CANCELLED, "deadline moved or no longer concerned")
        # After an outage several reminders for one deadline may be due at once: only the one
        # closest to the deadline is worth sending.
        closer_due = ReminderDelivery.objects.filter(
            audience=row.audience,
            content_type_id=row.content_type_id,
            object_id=row.object_id,
            recipient_id=row.recipient_id,
            deadline_name=row.deadline_name,
            deadline_at=row.deadline_at,
            offset_seconds__lt=row.offset_seconds,
            status=Status.PLANNED,
            due_at__lte=now,
        ).exists()
        if closer_due:
            return _skip(row, Status.SKIPPED, "a reminder closer to the deadline is due")
        offset = timedelta(seconds=row.offset_seconds)
        notification = notification_create(
            recipient=row.recipient,
            kind=audience.kind,
            message=lambda: audience.message(subject, target, offset),
            dedupe_key=f"reminder:{row.pk}",
            sealed_with=subject if audience.sealed else None,
        )
        row.status = Status.SENT
        row.notification = notification
        row.save(update_fields=["status", "notification", "updated_at"])
        return True


def reminders_deliver_due(*, now=None, limit: int = 500, max_batches: int = 20) -> int:
    """Deliver every planned reminder that is due; return how many this run delivered.

    Works in batches of `limit` until none is left (or `max_batches`, so one run stays short;
    the next tick goes on). Concurrent runs take different rows: a locked row is skipped.
    """
    now = now or timezone.now()
    delivered = 0
    for _batch in range(max_batches):
        due = list(
            ReminderDelivery.objects.filter(status=Status.PLANNED, due_at__lte=now)
            .order_by("due_at", "pk")
            .values_list("pk", flat=True)[:limit]
        )
        progress = 0
        for pk in due:
            try:
                progress += _deliver_one(pk, now)
            except Exception:
                # One broken row must not hold back the others; it stays planned for later.
                logger.exception("Reminder %s could not be delivered; it will be retried.", pk)
        delivered += progress
        if len(due) < limit or not progress:
            break
    return delivered


def reminders_replan_for(instance) -> None:
    """Plan again every subject that a saved row (a trigger) may change the audience of."""
    label = instance._meta.label
    seen = set()
    from ..audiences import all_audiences

    for audience in all_audiences():
        trigger = audience.triggers.get(label)
        if trigger is None:
            continue
        for subject in trigger(instance):
            if subject is None or (subject._meta.label, subject.pk) in seen:
                continue
            key = (subject._meta.label, subject.pk)
            seen.add(key)
            reminders_plan(subject=subject)
