"""A real Celery worker (in this process, in a thread) with a real Redis broker.

The beat's tasks are sent through Redis, as beat sends them, never called as functions.
"""

import time
from datetime import timedelta

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail
from django.utils import timezone

from challenges import services as challenge_services
from challenges.models import Challenge
from config.celery import app as celery_app
from core.models import AuditEntry
from procurement import tasks
from procurement.chronograph import chronograph_reschedule
from procurement.models import Notification, ReminderDelivery
from tests.factories import QuestionFactory, UserFactory, VendorMembershipFactory
from vendors import services as vendor_services
from vendors.models import Proposal

from .celery_helpers import CLOSED_BROKER_URL, REDIS_TEST_URL, redis_broker, use_broker, wait_until
from .conftest import complete, open_challenge

# Transactional: the worker's thread has its own connection and sees only committed rows.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def worker(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.NOTIFICATION_OUTBOX_GRACE_SECONDS = 0
    with (
        redis_broker(),
        start_worker(
            celery_app,
            pool="solo",
            perform_ping_check=False,
            shutdown_timeout=20,
            loglevel="WARNING",
        ) as running,
    ):
        yield running


def notification_emails():
    """Emails from notifications (vendors' receipts go through the same outbox)."""
    return [m for m in mail.outbox if "notification-" in m.extra_headers.get("Message-ID", "")]


def vendor_with_draft(challenge, username):
    user = UserFactory(username=username, roles=["vendor"])
    vendor = VendorMembershipFactory(user=user, role="owner").vendor
    proposal = vendor_services.proposal_start(challenge=challenge, vendor=vendor, actor=user)
    return user, complete(proposal, user)


def test_the_worker_closes_a_challenge_whose_deadline_passed(worker, alice, department):
    now = timezone.now()
    challenge = open_challenge(
        alice,
        department,
        questions_deadline=now + timedelta(hours=1),
        submission_deadline=now + timedelta(hours=2),
    )
    _dave, draft = vendor_with_draft(challenge, "dave")
    erin, submitted = vendor_with_draft(challenge, "erin")
    vendor_services.proposal_submit(proposal=submitted, actor=erin)
    # Time passes: both deadlines are now behind us (set as an addendum would, then rescheduled).
    now = timezone.now()
    Challenge.objects.filter(pk=challenge.pk).update(
        questions_deadline=now - timedelta(hours=1), submission_deadline=now
    )
    challenge.refresh_from_db()
    chronograph_reschedule(challenge)

    tasks.chronograph_tick.delay()

    wait_until(
        lambda: Challenge.objects.get(pk=challenge.pk).status == Challenge.Status.CLOSED,
        message="the challenge closed by the worker",
    )
    challenge.refresh_from_db()
    draft.refresh_from_db()
    submitted.refresh_from_db()
    assert challenge.next_due_at is None
    assert draft.status == Proposal.Status.LAPSED
    assert submitted.status == Proposal.Status.RECEIVED
    assert AuditEntry.objects.get(transition="close").actor_label == "system"
    wait_until(
        lambda: not Notification.objects.filter(email_status="pending").exists(),
        message="the closing emails sent",
    )
    assert sorted(m.to[0] for m in notification_emails()) == [
        "alice@example.org",
        "dave@example.org",
        "erin@example.org",
    ]


def test_reminders_are_delivered_once_even_when_delivery_is_sent_three_times_at_once(
    worker, alice, department, settings
):
    settings.REMINDER_OFFSETS = [2 * 3600]
    now = timezone.now()
    challenge = open_challenge(
        alice,
        department,
        questions_deadline=now + timedelta(hours=1),
        submission_deadline=now + timedelta(hours=3),
    )
    people = [vendor_with_draft(challenge, f"vendor{i}")[0] for i in range(4)]
    # An hour passes: the planned rows come due (the deadline is still two hours ahead).
    assert (
        ReminderDelivery.objects.filter(status="planned").update(
            due_at=timezone.now() - timedelta(seconds=1)
        )
        == 4
    )

    for _ in range(3):
        tasks.reminders_deliver.delay()

    wait_until(
        lambda: not ReminderDelivery.objects.filter(status="planned").exists(),
        message="every reminder delivered",
    )
    wait_until(
        lambda: (
            len(mail.outbox) >= 4
            and not Notification.objects.filter(email_status="pending").exists()
        ),
        message="every reminder emailed",
    )
    for person in people:
        assert Notification.objects.filter(recipient=person, kind="deadline_reminder").count() == 1
    assert sorted(m.to[0] for m in notification_emails()) == sorted(p.email for p in people)
    assert len({m.extra_headers["Message-ID"] for m in notification_emails()}) == 4


def test_a_notification_made_while_redis_was_down_is_delivered_when_the_sweeper_runs(
    worker, alice, department, caplog
):
    now = timezone.now()
    challenge = open_challenge(
        alice,
        department,
        questions_deadline=now + timedelta(days=5),
        submission_deadline=now + timedelta(days=20),
    )
    dave, _draft = vendor_with_draft(challenge, "dave")
    question = QuestionFactory(challenge=challenge, asked_by=dave)

    use_broker(CLOSED_BROKER_URL)
    try:
        started = time.monotonic()
        challenge_services.question_answer(question=question, actor=alice, answer="Yes.")
        elapsed = time.monotonic() - started
    finally:
        use_broker(REDIS_TEST_URL)

    # The answer is committed and the person's inbox has it; the email waits in the outbox.
    question.refresh_from_db()
    notification = Notification.objects.get(recipient=dave)
    assert question.status == "answered"
    assert notification.email_status == Notification.Email.PENDING
    assert elapsed < 10
    assert "the outbox sweeper will retry" in caplog.text
    time.sleep(0.5)
    assert notification_emails() == []

    tasks.outbox_sweep.delay()

    wait_until(
        lambda: Notification.objects.get(pk=notification.pk).email_status == "sent",
        message="the email sent after Redis came back",
    )
    assert [m.to for m in notification_emails()] == [["dave@example.org"]]
