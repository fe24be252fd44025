"""Writing notifications (inbox rows, the email outbox) and sending their emails; the outbox
of the other e-mails (core.outbox: receipts, invitations) is sent the same way.

A notification is written in the transaction of the event it reports. Its email is sent by a
task queued after commit; if the broker is unreachable then, the row stays pending and the
sweeper queues it again later. Sending holds a lease on the row, not a lock, because SMTP is slow.
"""

import logging
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ..message import Message
from ..models import Notification, OutgoingEmail, PersonPreferences

logger = logging.getLogger(__name__)


def preferences_for(user) -> PersonPreferences:
    preferences, _created = PersonPreferences.objects.get_or_create(user=user)
    return preferences


def absolute_url(path: str) -> str:
    if not path or "://" in path:
        return path
    return settings.SITE_URL.rstrip("/") + path


def enqueue_on_commit(task, *args) -> None:
    """Queue `task` once the transaction commits; a broker outage is logged, never raised.

    The row that the task works on is already committed, and the sweeper queues it again, so a
    failed publish loses nothing and must not turn a committed action into an error page.
    """

    def publish():
        try:
            task.apply_async(args=args, retry=False)
        except Exception:  # noqa: BLE001  (the sweeper retries; see above)
            logger.warning("Could not queue %s%r; the outbox sweeper will retry.", task.name, args)

    transaction.on_commit(publish)


def notification_create(
    *,
    recipient,
    kind: str,
    message: Callable[[], Message],
    dedupe_key: str | None = None,
    sealed_with=None,
) -> Notification | None:
    """One notification for `recipient`, worded in their language; None if already sent.

    `message` is called with the recipient's language active, so every gettext in it speaks it.
    """
    if not recipient.is_active:
        return None
    preferences = preferences_for(recipient)
    with translation.override(preferences.language):
        text = message()
    wants_email = bool(recipient.email) and preferences.wants_email(kind)
    fields = {
        "recipient": recipient,
        "kind": kind,
        "title": str(text.title)[:300],
        "body": str(text.body),
        "link": text.link,
        "sealed_with": sealed_with,
        "email_status": (
            Notification.Email.PENDING if wants_email else Notification.Email.NOT_WANTED
        ),
    }
    if dedupe_key is None:
        notification = Notification.objects.create(**fields)
    else:
        if Notification.objects.filter(dedupe_key=dedupe_key).exists():
            return None
        try:
            with transaction.atomic():
                notification = Notification.objects.create(dedupe_key=dedupe_key, **fields)
        except IntegrityError:
            # Another transaction wrote the same event first.
            return None
    if notification.email_status == Notification.Email.PENDING:
        from ..tasks import notification_email_send

        enqueue_on_commit(notification_email_send, notification.pk)
    return notification


@dataclass(frozen=True)
class Draft:
    """A notification to write: `message` is called with the recipient's language active."""

    recipient: object
    kind: str
    message: Callable[[], Message]
    dedupe_key: str | None = None
    sealed_with: object = None


# Inside `notifications_deferred()` drafts wait here and are written together when it ends.
_deferred: ContextVar[list | None] = ContextVar("notifications_deferred", default=None)


@contextmanager
def notifications_deferred():
    """Write the notifications of every event inside this block at its end, in a few queries
    (a batch of scheduled steps); must run inside the transaction of those events."""
    if _deferred.get() is not None:
        yield
        return
    token = _deferred.set([])
    try:
        yield
        drafts = _deferred.get()
    finally:
        _deferred.reset(token)
    notifications_write(drafts)


def preferences_of(users) -> dict[int, PersonPreferences]:
    """Each person's preferences by user id, in one query (two when some have none yet)."""
    ids = {user.pk for user in users}
    found = {p.user_id: p for p in PersonPreferences.objects.filter(user_id__in=ids)}
    missing = [PersonPreferences(user_id=pk) for pk in sorted(ids - set(found))]
    if missing:
        # Another transaction may make the same person's row meanwhile: theirs is kept, and the
        # defaults used here for this one message are the same.
        PersonPreferences.objects.bulk_create(missing, ignore_conflicts=True)
        found.update({p.user_id: p for p in missing})
    return found


def notifications_write(drafts: list[Draft]) -> list[Notification | None]:
    """Write many notifications in a few queries, whatever their number; for each draft the
    notification written, or None (an inactive person, or a dedupe key already used).

    The dedupe key's unique constraint keeps each event once per person, also against another
    transaction writing the same event at the same time: a conflicting row is left out.
    """
    drafts = list(drafts)
    preferences = preferences_of([d.recipient for d in drafts if d.recipient.is_active])
    rows: list[Notification | None] = []
    for draft in drafts:
        recipient = draft.recipient
        if not recipient.is_active:
            rows.append(None)
            continue
        person = preferences[recipient.pk]
        with translation.override(person.language):
            text = draft.message()
        wants_email = bool(recipient.email) and person.wants_email(draft.kind)
        rows.append(
            Notification(
                recipient=recipient,
                kind=draft.kind,
                title=str(text.title)[:300],
                body=str(text.body),
                link=text.link,
                sealed_with=draft.sealed_with,
                dedupe_key=draft.dedupe_key,
                email_status=(
                    Notification.Email.PENDING if wants_email else Notification.Email.NOT_WANTED
                ),
            )
        )
    new = [row for row in rows if row is not None]
    if not new:
        return rows
    Notification.objects.bulk_create(new, ignore_conflicts=True)
    # With conflicts ignored PostgreSQL gives no ids back: the rows written are those whose
    # public id (made here) is now in the table.
    ids = dict(
        Notification.objects.filter(public_id__in=[row.public_id for row in new]).values_list(
            "public_id", "pk"
        )
    )
    written = []
    for i, row in enumerate(rows):
        if row is None:
            continue
        if row.public_id not in ids:
            rows[i] = None
            continue
        row.pk = ids[row.public_id]
        row._state.adding = False
        row._state.db = "default"
        written.append(row)
    pending = [row.pk for row in written if row.email_status == Notification.Email.PENDING]
    if pending:
        from ..tasks import notification_emails_send

        # One task per batch of e-mails, not one per e-mail: each is still sent under its own
        # lease, and the sweeper re-queues any left pending.
        for start in range(0, len(pending), EMAIL_TASK_SIZE):
            enqueue_on_commit(notification_emails_send, pending[start : start + EMAIL_TASK_SIZE])
    return rows


EMAIL_TASK_SIZE = 100


def drafts_write(drafts: list[Draft]) -> list[Notification | None]:
    """`notifications_write`, or inside `notifications_deferred()` at the end of that block
    (then an empty list is returned)."""
    deferred = _deferred.get()
    if deferred is not None:
        deferred.extend(drafts)
        return []
    return notifications_write(drafts)


def notifications_create(
    *,
    recipients: Iterable,
    kind: str,
    message: Callable[[], Message],
    dedupe_prefix: str | None = None,
    exclude=None,
    sealed_with=None,
) -> list[Notification]:
    """The same event for several people, each in their own language; each person once.

    Written in a few queries whatever the number of people; inside `notifications_deferred()`
    written when that block ends (and an empty list is returned).
    """
    drafts = []
    seen = set()
    excluded_id = getattr(exclude, "pk", None)
    for recipient in recipients:
        if recipient.pk in seen or recipient.pk == excluded_id:
            continue
        seen.add(recipient.pk)
        drafts.append(
            Draft(
                recipient=recipient,
                kind=kind,
                message=message,
                dedupe_key=f"{dedupe_prefix}:{recipient.pk}" if dedupe_prefix else None,
                sealed_with=sealed_with,
            )
        )
    deferred = _deferred.get()
    if deferred is not None:
        deferred.extend(drafts)
        return []
    return [row for row in notifications_write(drafts) if row is not None]


def notification_mark_read(*, notification: Notification, actor) -> Notification:
    if notification.recipient_id != actor.pk:
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied(_("This notification is not yours."))
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=notification.read_at
        )
    return notification


def notifications_mark_all_read(*, actor) -> int:
    return Notification.objects.filter(recipient=actor, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def _email_for(notification: Notification) -> EmailMessage:
    preferences = preferences_for(notification.recipient)
    with translation.override(preferences.language):
        parts = [notification.body]
        if notification.link:
            parts.append(absolute_url(notification.link))
        parts.append(
            _("You receive this email because of your notification preferences: %(url)s")
            % {"url": absolute_url(reverse("procurement:preferences"))}
        )
        subject = f"[{settings.MUNICIPALITY_NAME}] {notification.title}"
    from .follow_news import notification_headers

    return EmailMessage(
        subject=subject,
        body="\n\n".join(p for p in parts if p),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notification.recipient.email],
        # The idempotency key: a copy resent after a crash has the same Message-ID, so mail
        # systems and readers can recognise it.
        headers={**notification_headers(notification), "Message-ID": notification.email_message_id},
    )


def notification_email_send(*, notification_id: int) -> str:
    """Send one notification's email unless it was sent or another worker is sending it.

    Returns what happened: "sent", "done" (nothing to send) or "busy" (someone else has it).
    At least once, not exactly once: a worker that dies after the mail server accepted the
    message but before it recorded so sends it again, with the same Message-ID.
    """
    return _deliver(
        Notification.objects.select_related("recipient"), notification_id, build=_email_for
    )


def _outgoing_message(email: OutgoingEmail) -> EmailMessage:
    return EmailMessage(
        subject=email.subject,
        body=email.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email.to],
        headers={**(email.headers or {}), "Message-ID": email.email_message_id},
    )


def outgoing_email_create(
    *, to: list[str], subject: str, body: str, headers: dict | None = None
) -> list[OutgoingEmail]:
    """The outbox writer of core.outbox: one row per address, sent after commit."""
    rows = OutgoingEmail.objects.bulk_create(
        OutgoingEmail(to=address, subject=subject[:300], body=body, headers=headers or {})
        for address in to
    )
    from ..tasks import outgoing_email_send

    for row in rows:
        enqueue_on_commit(outgoing_email_send, row.pk)
    return rows


def outgoing_email_send(*, email_id: int) -> str:
    """Send one outbox e-mail, as `notification_email_send` sends a notification's."""
    return _deliver(OutgoingEmail.objects.all(), email_id, build=_outgoing_message)


def _deliver(rows, pk: int, *, build) -> str:
    """Claim a pending row with a lease, send its e-mail, record the outcome (both outboxes)."""
    model = rows.model
    now = timezone.now()
    with transaction.atomic():
        row = (
            # Lock this row only: with the joined rows (a content type or person shared by
            # many rows) locked too, concurrent workers would skip each other's rows.
            rows.select_for_update(skip_locked=True, of=("self",)).filter(pk=pk).first()
        )
        if row is None:
            return "busy"
        if row.email_status != Notification.Email.PENDING:
            return "done"
        if row.email_claimed_until and row.email_claimed_until > now:
            return "busy"
        row.email_claimed_until = now + timedelta(seconds=settings.NOTIFICATION_EMAIL_LEASE_SECONDS)
        row.email_attempts += 1
        row.save(update_fields=["email_claimed_until", "email_attempts"])
    # Outside the transaction: the mail server may be slow, and no row lock is held meanwhile.
    try:
        build(row).send()
    except Exception:
        failed = row.email_attempts >= settings.NOTIFICATION_EMAIL_MAX_ATTEMPTS
        model.objects.filter(pk=row.pk, email_status="pending").update(
            email_claimed_until=None,
            email_status=Notification.Email.FAILED if failed else Notification.Email.PENDING,
        )
        raise
    model.objects.filter(pk=row.pk).update(
        email_status=Notification.Email.SENT, email_sent_at=timezone.now(), email_claimed_until=None
    )
    return "sent"


def outbox_sweep(*, now=None, limit: int = 500) -> int:
    """Queue again every email still pending whose lease ran out (or that was never queued),
    notifications' and the other outbox e-mails alike."""
    from ..tasks import notification_email_send, outgoing_email_send

    now = now or timezone.now()
    grace = timedelta(seconds=settings.NOTIFICATION_OUTBOX_GRACE_SECONDS)
    queued = 0
    for model, task in (
        (Notification, notification_email_send),
        (OutgoingEmail, outgoing_email_send),
    ):
        pending = (
            model.objects.filter(
                email_status=Notification.Email.PENDING, created_at__lte=now - grace
            )
            .exclude(email_claimed_until__gt=now)
            .order_by("created_at")
            .values_list("pk", flat=True)[:limit]
        )
        for row_id in pending:
            task.apply_async(args=(row_id,))
            queued += 1
    return queued
