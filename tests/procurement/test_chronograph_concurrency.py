"""Concurrent runs: locked rows are skipped, never waited for or done twice."""

import threading
from datetime import timedelta

import pytest
from django.db import connections, transaction
from django.utils import timezone

from challenges.models import Challenge
from core.models import AuditEntry
from procurement.chronograph import chronograph_run_due
from procurement.models import Notification, ReminderDelivery
from procurement.services import reminders_deliver_due
from tests.factories import UserFactory, VendorMembershipFactory
from vendors import services as vendor_services

from .conftest import open_challenge

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def run_at_once(functions):
    barrier = threading.Barrier(len(functions))
    results, errors = [None] * len(functions), []

    def run(index, function):
        try:
            barrier.wait(timeout=10)
            results[index] = function()
        except Exception as exc:  # noqa: BLE001  (reported below)
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, f)) for i, f in enumerate(functions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    return results


def test_a_row_locked_by_a_submission_in_progress_is_skipped_then_closed(alice, department):
    now = timezone.now()
    challenge = open_challenge(
        alice,
        department,
        questions_deadline=now - timedelta(hours=2),
        submission_deadline=now - timedelta(seconds=1),
    )
    holding, release = threading.Event(), threading.Event()

    def hold_the_challenge():
        with transaction.atomic():
            Challenge.objects.select_for_update().get(pk=challenge.pk)
            holding.set()
            release.wait(timeout=10)
        connections.close_all()

    holder = threading.Thread(target=hold_the_challenge)
    holder.start()
    holding.wait(timeout=10)
    try:
        skipped = chronograph_run_due()
    finally:
        release.set()
        holder.join(timeout=10)
    challenge.refresh_from_db()
    assert skipped == {"rows": 0, "steps": 0, "skipped": 1, "errors": 0}
    assert challenge.status == Challenge.Status.PUBLISHED

    chronograph_run_due()

    challenge.refresh_from_db()
    assert challenge.status == Challenge.Status.CLOSED


def test_four_ticks_at_once_close_once(alice, department):
    now = timezone.now()
    challenge = open_challenge(
        alice,
        department,
        questions_deadline=now - timedelta(hours=2),
        submission_deadline=now - timedelta(seconds=1),
    )

    reports = run_at_once([chronograph_run_due] * 4)

    challenge.refresh_from_db()
    assert challenge.status == Challenge.Status.CLOSED
    assert sum(r["steps"] for r in reports) == 2
    assert AuditEntry.objects.filter(transition="close").count() == 1
    assert Notification.objects.filter(kind="challenge_closed").count() == 1


def test_four_deliveries_at_once_deliver_each_reminder_once(alice, department, settings):
    settings.REMINDER_OFFSETS = [2 * 3600]
    now = timezone.now()
    challenge = open_challenge(
        alice,
        department,
        questions_deadline=now + timedelta(hours=1),
        submission_deadline=now + timedelta(hours=3),
    )
    for i in range(12):
        user = UserFactory(username=f"vendor{i}", roles=["vendor"])
        vendor = VendorMembershipFactory(user=user, role="owner").vendor
        vendor_services.proposal_start(challenge=challenge, vendor=vendor, actor=user)
    later = now + timedelta(hours=1, minutes=1)

    delivered = run_at_once([lambda: reminders_deliver_due(now=later)] * 4)

    assert sum(delivered) == 12
    assert ReminderDelivery.objects.filter(status="sent").count() == 12
    assert Notification.objects.filter(kind="deadline_reminder").count() == 12
    assert (
        Notification.objects.values("recipient").distinct().count() == Notification.objects.count()
    )
