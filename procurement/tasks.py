"""Celery tasks: thin, idempotent, each reloading its rows by id and checking their state again.

The work is in services; a task may run twice (late acknowledgement redelivers it after a crash),
late, or at the same time as another copy, and the services are written for that.
"""

import logging
from smtplib import SMTPException

from celery import shared_task
from django.conf import settings

from .chronograph import chronograph_run_due
from .services.notifications import notification_email_send as send_email
from .services.notifications import outbox_sweep as sweep
from .services.notifications import outgoing_email_send as send_outgoing
from .services.reminders import reminders_deliver_due

logger = logging.getLogger(__name__)


# Sending mail fails for a while (the SMTP server down, the network): retried with backoff.
EMAIL_RETRIES = {
    "autoretry_for": (SMTPException, OSError),
    "retry_backoff": True,
    "retry_backoff_max": 600,
    "retry_jitter": True,
    "max_retries": 5,
}


@shared_task(name="procurement.chronograph_tick")
def chronograph_tick():
    # Half the soft time limit: a tick that finds more due rows than it can close in that time
    # leaves the rest to the next one rather than being cut off mid-batch.
    report = chronograph_run_due(budget_seconds=settings.CELERY_TASK_SOFT_TIME_LIMIT / 2)
    if any(report.values()):
        logger.info("Chronograph: %s", report)
    return report


@shared_task(name="procurement.reminders_deliver")
def reminders_deliver():
    delivered = reminders_deliver_due()
    if delivered:
        logger.info("Reminders delivered: %d", delivered)
    return delivered


@shared_task(
    name="procurement.notification_email_send",
    **EMAIL_RETRIES,
)
def notification_email_send(notification_id: int):
    return send_email(notification_id=notification_id)


@shared_task(
    name="procurement.notification_emails_send",
    **EMAIL_RETRIES,
)
def notification_emails_send(notification_ids: list[int]):
    """Send a batch of notifications' e-mails, each under its own lease; one that fails does not
    stop the others, and the task is retried for the failed ones only."""
    results, failed = {}, []
    for notification_id in notification_ids:
        try:
            results[notification_id] = send_email(notification_id=notification_id)
        except Exception as exc:  # noqa: BLE001  (retried below, the others still go out)
            failed.append((notification_id, exc))
    if failed:
        logger.warning("%d notification e-mail(s) failed; retrying them.", len(failed))
        raise notification_emails_send.retry(args=([pk for pk, _exc in failed],), exc=failed[0][1])
    return results


@shared_task(
    name="procurement.outgoing_email_send",
    **EMAIL_RETRIES,
)
def outgoing_email_send(email_id: int):
    return send_outgoing(email_id=email_id)


@shared_task(name="procurement.outbox_sweep")
def outbox_sweep():
    queued = sweep()
    if queued:
        logger.info("Outbox sweeper queued %d email(s) again.", queued)
    return queued


@shared_task(name="procurement.follows_unconfirmed_delete")
def follows_unconfirmed_delete():
    from challenges.follow_services import follows_unconfirmed_delete as delete_unconfirmed

    return delete_unconfirmed()
