"""Failures: workers killed mid-send, several workers and beat ticks at once (DESIGN.md §4).

Workers run as separate processes (`celery -A config worker`, prefork) on the test database and
a real Redis, and are killed with SIGKILL as a crash would. Emails go to files, slowly, so a kill
lands while a message is being sent.
"""

import email
from datetime import timedelta

import pytest
from django.utils import timezone

from challenges.models import Challenge
from core.models import AuditEntry
from procurement import tasks
from procurement.models import Notification, ReminderDelivery
from tests.factories import UserFactory, VendorMembershipFactory
from vendors import services as vendor_services

from .celery_helpers import WorkerProcess, redis_broker, wait_until
from .conftest import open_challenge

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def broker():
    with redis_broker() as client:
        yield client


@pytest.fixture
def outbox_dir(tmp_path):
    folder = tmp_path / "sent"
    folder.mkdir()
    return folder


@pytest.fixture
def workers(outbox_dir):
    started = []

    def start(name, *, seconds_per_email="0.05", concurrency=2):
        worker = WorkerProcess(
            name,
            concurrency=concurrency,
            env={
                "EMAIL_BACKEND": "tests.procurement.mail_backends.SlowFileBackend",
                "SLOW_EMAIL_DIR": str(outbox_dir),
                "SLOW_EMAIL_SECONDS": seconds_per_email,
                "NOTIFICATION_EMAIL_LEASE_SECONDS": "3",
                "NOTIFICATION_OUTBOX_GRACE_SECONDS": "0",
                "REMINDER_OFFSETS": "2h",
            },
        )
        started.append(worker.start())
        return worker

    yield start
    for worker in started:
        worker.stop()


def sent_message_ids(folder) -> list[str]:
    return [
        email.message_from_bytes(path.read_bytes())["Message-ID"]
        for path in sorted(folder.glob("*.eml"))
    ]


def challenge_with_due_reminders(owner, department, settings, count):
    """An open challenge whose 2-hour reminders to `count` vendors with drafts are due now."""
    settings.REMINDER_OFFSETS = [2 * 3600]
    now = timezone.now()
    challenge = open_challenge(
        owner,
        department,
        questions_deadline=now + timedelta(hours=1),
        submission_deadline=now + timedelta(hours=3),
    )
    people = []
    for i in range(count):
        user = UserFactory(username=f"vendor{i}", roles=["vendor"])
        vendor = VendorMembershipFactory(user=user, role="owner").vendor
        vendor_services.proposal_start(challenge=challenge, vendor=vendor, actor=user)
        people.append(user)
    # An hour passes: the planned rows come due (the deadline is still two hours ahead).
    assert (
        ReminderDelivery.objects.filter(status="planned").update(
            due_at=timezone.now() - timedelta(seconds=1)
        )
        == count
    )
    return challenge, people


def test_a_worker_killed_while_sending_then_restarted_delivers_every_reminder_exactly_once(
    broker, workers, outbox_dir, alice, department, settings
):
    _challenge, people = challenge_with_due_reminders(alice, department, settings, 6)
    first = workers("first", seconds_per_email="2")

    tasks.reminders_deliver.delay()
    # Kill once one email is out and others are being sent (claimed, not yet written).
    wait_until(
        lambda: (
            len(list(outbox_dir.glob("*.eml"))) >= 1
            and Notification.objects.filter(
                email_status="pending", email_claimed_until__isnull=False
            ).exists()
        ),
        timeout=60,
        interval=0.02,
        message="an email sent and another in flight",
    )
    first.kill()
    in_flight = Notification.objects.filter(email_status="pending").count()
    assert in_flight >= 1

    workers("second")

    # Beat keeps sending the sweeper every minute; here, every second until all is out.
    def all_sent():
        tasks.outbox_sweep.delay()
        return not Notification.objects.exclude(email_status="sent").exists()

    wait_until(all_sent, timeout=60, interval=1, message="every email sent after the restart")

    assert ReminderDelivery.objects.filter(status="sent").count() == 6
    notifications = Notification.objects.filter(kind="deadline_reminder")
    assert sorted(notifications.values_list("recipient_id", flat=True)) == sorted(
        p.pk for p in people
    )
    # The worker was killed before the interrupted messages were handed over (the slow
    # backend writes at the end), so every email went out exactly once.
    assert sorted(sent_message_ids(outbox_dir)) == sorted(n.email_message_id for n in notifications)


def test_two_workers_and_repeated_beat_ticks_at_once_act_once(
    broker, workers, outbox_dir, alice, department, settings
):
    challenge, people = challenge_with_due_reminders(alice, department, settings, 8)
    Challenge.objects.filter(pk=challenge.pk).update(
        questions_deadline=timezone.now() - timedelta(seconds=2),
        submission_deadline=timezone.now() - timedelta(seconds=1),
        next_due_at=timezone.now() - timedelta(seconds=2),
    )
    ReminderDelivery.objects.update(deadline_at=challenge.submission_deadline)
    workers("one")
    workers("two")

    for _ in range(4):
        tasks.chronograph_tick.delay()

    wait_until(
        lambda: Challenge.objects.get(pk=challenge.pk).status == Challenge.Status.CLOSED,
        message="the challenge closed",
    )
    wait_until(
        lambda: not Notification.objects.filter(email_status="pending").exists(),
        message="the closing emails sent",
    )
    assert AuditEntry.objects.filter(transition="close").count() == 1
    assert AuditEntry.objects.filter(transition="lapse").count() == 8
    closed = Notification.objects.filter(kind="challenge_closed")
    assert closed.count() == 9  # the owner and eight vendors, once each
    assert sorted(sent_message_ids(outbox_dir)) == sorted(n.email_message_id for n in closed)
    assert len(people) == 8


def test_two_workers_delivering_the_same_reminders_at_once_deliver_each_once(
    broker, workers, outbox_dir, alice, department, settings
):
    _challenge, people = challenge_with_due_reminders(alice, department, settings, 10)
    workers("one")
    workers("two")

    for _ in range(4):
        tasks.reminders_deliver.delay()

    wait_until(
        lambda: (
            not ReminderDelivery.objects.filter(status="planned").exists()
            and not Notification.objects.filter(email_status="pending").exists()
        ),
        message="every reminder delivered and emailed",
    )
    notifications = Notification.objects.filter(kind="deadline_reminder")
    assert notifications.count() == 10
    assert sorted(notifications.values_list("recipient_id", flat=True)) == sorted(
        p.pk for p in people
    )
    assert sorted(sent_message_ids(outbox_dir)) == sorted(n.email_message_id for n in notifications)
