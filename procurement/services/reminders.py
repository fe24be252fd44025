"""Reminders are rows first, messages second (DESIGN.md §4).

`reminders_plan` writes one row per (audience, subject, person, deadline value, offset) in the
transaction that changed the subject; rows for a deadline value that no longer holds are
cancelled. `reminders_deliver_due` claims due rows with SKIP LOCKED and, in one transaction per
row, writes the inbox notification and marks the row sent: a row is delivered once, whatever the
number of workers, beat ticks or broker restarts.
"""

import logging
from collections import defaultdict
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from ..audiences import Target, audience_named, audiences_for
from ..models import ReminderDelivery
from .notifications import Draft, notifications_write

logger = logging.getLogger(__name__)

Status = ReminderDelivery.Status


def reminder_offsets() -> list[timedelta]:
    """The schedule, longest first. Offsets are elapsed time: "1 day" is 24 real hours, also
    across a daylight-saving change (the promise is the time left, not the wall-clock time)."""
    return sorted({timedelta(seconds=int(s)) for s in settings.REMINDER_OFFSETS}, reverse=True)


def _key(audience, recipient_id, deadline_name, deadline_at, offset_seconds):
    return (audience, recipient_id, deadline_name, deadline_at, offset_seconds)


def _wanted(subject) -> dict[tuple, datetime]:
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
    return wanted


def reminders_plan(*, subject, now=None) -> dict[str, int]:
    """Bring the planned rows of `subject` in line with its deadlines and audiences now."""
    return reminders_plan_many(subjects=[subject], now=now)


def reminders_plan_many(*, subjects, now=None) -> dict[str, int]:
    """`reminders_plan` for several subjects: their rows are read, updated and created in a few
    queries (the audiences are asked once per subject)."""
    now = now or timezone.now()
    report = {"planned": 0, "cancelled": 0, "revived": 0}
    by_type: dict = defaultdict(dict)
    for subject in subjects:
        content_type = ContentType.objects.get_for_model(subject, for_concrete_model=True)
        by_type[content_type][subject.pk] = subject
    for content_type, of_type in by_type.items():
        wanted = {pk: _wanted(subject) for pk, subject in of_type.items()}
        rows = ReminderDelivery.objects.filter(
            content_type=content_type, object_id__in=list(of_type)
        ).exclude(status=Status.SENT)
        existing: dict[int, dict] = defaultdict(dict)
        for r in rows:
            key = _key(r.audience, r.recipient_id, r.deadline_name, r.deadline_at, r.offset_seconds)
            existing[r.object_id][key] = r
        cancelled, revived = [], []
        for pk, keyed in existing.items():
            for key, row in keyed.items():
                if row.status == Status.PLANNED and key not in wanted[pk]:
                    cancelled.append(row.pk)
                elif row.status == Status.CANCELLED and key in wanted[pk] and row.due_at > now:
                    # The deadline came back to a value it had before.
                    revived.append(row.pk)
        if cancelled:
            ReminderDelivery.objects.filter(pk__in=cancelled).update(
                status=Status.CANCELLED,
                status_reason="deadline moved or no longer concerned",
                updated_at=timezone.now(),
            )
        if revived:
            ReminderDelivery.objects.filter(pk__in=revived).update(
                status=Status.PLANNED, status_reason="", updated_at=timezone.now()
            )
        # A reminder whose moment has already passed is not planned late: "7 days left" sent
        # with two days left would mislead.
        new = [
            ReminderDelivery(
                audience=key[0],
                content_type=content_type,
                object_id=pk,
                recipient_id=key[1],
                deadline_name=key[2],
                deadline_at=key[3],
                offset_seconds=key[4],
                due_at=due_at,
            )
            for pk, keyed in wanted.items()
            for key, due_at in keyed.items()
            if due_at > now and key not in existing[pk]
        ]
        # Rows already sent for the same key are skipped by the unique constraint.
        ReminderDelivery.objects.bulk_create(new, ignore_conflicts=True)
        report["planned"] += len(new)
        report["cancelled"] += len(cancelled)
        report["revived"] += len(revived)
    return report


def _subjects(rows) -> dict[tuple[int, int], object]:
    """The rows' subjects by (content type id, object id): one query per kind of subject."""
    ids: dict[int, set[int]] = defaultdict(set)
    for row in rows:
        ids[row.content_type_id].add(row.object_id)
    subjects = {}
    for content_type_id, object_ids in ids.items():
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        if model is None:
            continue
        for subject in model._default_manager.filter(pk__in=object_ids):
            subjects[(content_type_id, subject.pk)] = subject
    return subjects


def _deadline_key(row) -> tuple:
    """A row's key without its offset: the reminders of one person for one deadline value."""
    return (
        row.audience,
        row.content_type_id,
        row.object_id,
        row.recipient_id,
        row.deadline_name,
        row.deadline_at,
    )


def _closest_due(rows, now) -> dict[tuple, int]:
    """For each deadline of the rows, the smallest offset among its planned reminders that are
    due (the batch's own included): one query."""
    planned = ReminderDelivery.objects.filter(
        status=Status.PLANNED,
        due_at__lte=now,
        content_type_id__in={row.content_type_id for row in rows},
        object_id__in={row.object_id for row in rows},
        recipient_id__in={row.recipient_id for row in rows},
    ).values_list(
        "audience",
        "content_type_id",
        "object_id",
        "recipient_id",
        "deadline_name",
        "deadline_at",
        "offset_seconds",
    )
    closest: dict[tuple, int] = {}
    for *key, offset in planned:
        key = tuple(key)
        closest[key] = min(offset, closest.get(key, offset))
    return closest


def _deliver_batch(now, *, limit: int, pk: int | None = None) -> tuple[int, int]:
    """Claim up to `limit` due rows (SKIP LOCKED: another worker's rows are left to it) and
    deliver them in one transaction: (rows claimed, reminders delivered).

    The queries do not grow with the number of rows: the claim, the subjects, whether each
    audience still concerns its people (one query per audience and subject), the closer
    reminders, the preferences, the notifications' insert, the rows' update.
    """
    with transaction.atomic():
        claim = (
            # Lock the claimed rows only: with the joined rows (a person shared by many rows)
            # locked too, concurrent workers would skip each other's rows.
            ReminderDelivery.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("recipient")
            .filter(status=Status.PLANNED, due_at__lte=now)
            .order_by("due_at", "pk")
        )
        if pk is not None:
            claim = claim.filter(pk=pk)
        rows = list(claim[:limit])
        if not rows:
            return 0, 0
        subjects = _subjects(rows)
        closest = _closest_due(rows, now)
        skipped: dict[tuple[str, str], list[int]] = defaultdict(list)
        candidates = []
        for row in rows:
            audience = audience_named(row.audience)
            subject = subjects.get((row.content_type_id, row.object_id))
            if audience is None or subject is None:
                skipped[(Status.SKIPPED, "audience or subject no longer exists")].append(row.pk)
            elif row.deadline_at <= now:
                skipped[(Status.SKIPPED, "the deadline passed before delivery")].append(row.pk)
            else:
                candidates.append((row, audience, subject))
        # Whether each person is still concerned, asked once per audience and subject.
        groups: dict[tuple, list] = defaultdict(list)
        for row, audience, _subject in candidates:
            groups[(audience.name, row.content_type_id, row.object_id)].append(
                Target(row.recipient_id, row.deadline_name, row.deadline_at)
            )
        concerned = set()
        for (name, content_type_id, object_id), targets in groups.items():
            subject = subjects[(content_type_id, object_id)]
            for target in audience_named(name).concerned_among(subject, targets):
                concerned.add((name, content_type_id, object_id, target))
        drafts, sending = [], []
        for row, audience, subject in candidates:
            target = Target(row.recipient_id, row.deadline_name, row.deadline_at)
            if (audience.name, row.content_type_id, row.object_id, target) not in concerned:
                skipped[(Status.CANCELLED, "deadline moved or no longer concerned")].append(row.pk)
            elif closest.get(_deadline_key(row), row.offset_seconds) < row.offset_seconds:
                # After an outage several reminders for one deadline may be due at once: only
                # the one closest to the deadline is worth sending.
                skipped[(Status.SKIPPED, "a reminder closer to the deadline is due")].append(row.pk)
            else:
                offset = timedelta(seconds=row.offset_seconds)
                drafts.append(
                    Draft(
                        recipient=row.recipient,
                        kind=audience.kind,
                        message=partial(audience.message, subject, target, offset),
                        dedupe_key=f"reminder:{row.pk}",
                        sealed_with=subject if audience.sealed else None,
                    )
                )
                sending.append(row)
        for (status, reason), pks in skipped.items():
            ReminderDelivery.objects.filter(pk__in=pks).update(
                status=status, status_reason=reason, updated_at=timezone.now()
            )
        if sending:
            notifications = notifications_write(drafts)
            stamp = timezone.now()
            for row, notification in zip(sending, notifications, strict=True):
                # None: an inactive person, who is not written to; the row is settled all the same.
                row.status = Status.SENT
                row.notification = notification
                row.updated_at = stamp
            ReminderDelivery.objects.bulk_update(sending, ["status", "notification", "updated_at"])
        return len(rows), len(sending)


def reminders_deliver_due(*, now=None, limit: int = 500, max_batches: int = 20) -> int:
    """Deliver every planned reminder that is due; return how many this run delivered.

    Works in batches of `limit`, one transaction each, until none is left (or `max_batches`,
    so one run stays short; the next tick goes on). Concurrent runs take different rows: a
    locked row is skipped. A batch that fails is retried row by row, so one broken row does not
    hold back the others; it stays planned for later.
    """
    now = now or timezone.now()
    delivered = 0
    for _batch in range(max_batches):
        try:
            claimed, sent = _deliver_batch(now, limit=limit)
        except Exception:
            logger.exception("A batch of reminders failed; delivering them one by one.")
            claimed, sent = _deliver_one_by_one(now, limit=limit)
        delivered += sent
        if claimed < limit or not claimed:
            break
    return delivered


def _deliver_one_by_one(now, *, limit: int) -> tuple[int, int]:
    due = list(
        ReminderDelivery.objects.filter(status=Status.PLANNED, due_at__lte=now)
        .order_by("due_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    sent = 0
    for pk in due:
        try:
            sent += _deliver_batch(now, limit=1, pk=pk)[1]
        except Exception:
            logger.exception("Reminder %s could not be delivered; it will be retried.", pk)
    # A batch of only broken rows makes no progress: stop this run rather than loop on them.
    return (len(due) if sent else 0), sent


def _subjects_to_replan(instances) -> list:
    """The subjects whose audiences saved rows (triggers) may change, each once."""
    from ..audiences import all_audiences

    subjects = {}
    for instance in instances:
        label = instance._meta.label
        for audience in all_audiences():
            trigger = audience.triggers.get(label)
            if trigger is None:
                continue
            for subject in trigger(instance):
                if subject is not None:
                    subjects.setdefault((subject._meta.label, subject.pk), subject)
    return list(subjects.values())


def reminders_replan_for(instance) -> None:
    """Plan again every subject that a saved row (a trigger) may change the audience of."""
    for subject in _subjects_to_replan([instance]):
        reminders_plan(subject=subject)


def reminders_replan_many(instances) -> None:
    """`reminders_replan_for` for many saved rows at once (the end of a batch of steps)."""
    subjects = _subjects_to_replan(instances)
    if subjects:
        reminders_plan_many(subjects=subjects)
