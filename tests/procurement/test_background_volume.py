"""Background work at volume (issue 11): the chronograph closes due challenges in batches and
reminders are delivered in batches, for a number of queries that does not grow with the rows,
and each still happens exactly once."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from challenges.models import Challenge
from core.audit_chain import audit_verify
from core.models import AuditEntry
from opendata.models import Release
from opendata.services import on_publish
from procurement import chronograph
from procurement.chronograph import chronograph_run_due
from procurement.models import ChronographStep, Notification, ReminderDelivery
from procurement.services import reminders_deliver_due
from tests.factories import QuestionFactory, VendorMembershipFactory
from vendors import services as vendor_services
from vendors.models import Proposal

from .conftest import QUESTIONS_DEADLINE, START, SUBMISSION_DEADLINE, open_challenge

pytestmark = pytest.mark.django_db

Status = ReminderDelivery.Status


def due_challenges(count, owner, department, clock, *, drafts=1):
    """`count` published challenges (their tender release stored, as publication stores it),
    each with `drafts` vendors holding a draft, past their questions period."""
    clock.move_to(START)
    challenges = []
    for _ in range(count):
        challenge = open_challenge(
            owner,
            department,
            questions_deadline=QUESTIONS_DEADLINE,
            submission_deadline=SUBMISSION_DEADLINE,
        )
        on_publish(instance=challenge)
        for _ in range(drafts):
            membership = VendorMembershipFactory(role="owner")
            vendor_services.proposal_start(
                challenge=challenge, vendor=membership.vendor, actor=membership.user
            )
        challenges.append(challenge)
    clock.move_to(QUESTIONS_DEADLINE)
    chronograph_run_due()
    return challenges


def closing_queries(count, owner, department, clock):
    challenges = due_challenges(count, owner, department, clock)
    clock.move_to(SUBMISSION_DEADLINE)
    with CaptureQueriesContext(connection) as captured:
        report = chronograph_run_due()
    assert report == {"rows": count, "steps": count, "skipped": 0, "errors": 0}
    assert (
        Challenge.objects.filter(
            pk__in=[c.pk for c in challenges], status=Challenge.Status.CLOSED
        ).count()
        == count
    )
    return len(captured)


def test_closing_costs_the_same_few_queries_per_challenge_however_many_are_due(
    clock, alice, department
):
    two = closing_queries(2, alice, department, clock)
    twenty = closing_queries(20, alice, department, clock)

    # Every challenge costs the same (its close, its proposal's lapse, its releases and owner's
    # notice), at most 10 queries; the batch's own (locks, steps, audit, notices) are shared.
    per_challenge = (twenty - two) / 18
    assert per_challenge == int(per_challenge)
    assert per_challenge <= 10
    assert two - 2 * per_challenge <= 25


def test_a_batch_of_closings_keeps_every_effect_and_audit_entry(
    clock, alice, department, django_capture_on_commit_callbacks
):
    challenges = due_challenges(5, alice, department, clock)
    clock.move_to(SUBMISSION_DEADLINE)

    with django_capture_on_commit_callbacks(execute=True):
        report = chronograph_run_due(batch_size=2)

    assert report == {"rows": 5, "steps": 5, "skipped": 0, "errors": 0}
    for challenge in challenges:
        challenge.refresh_from_db()
        assert challenge.status == Challenge.Status.CLOSED
        assert challenge.closed_at == SUBMISSION_DEADLINE
        assert challenge.next_due_at is None
        proposal = Proposal.objects.get(challenge=challenge)
        assert proposal.status == Proposal.Status.LAPSED
        closing = AuditEntry.objects.get(
            object_id=str(challenge.pk), transition="close", actor_label="system"
        )
        lapse = AuditEntry.objects.get(object_id=str(proposal.pk), transition="lapse")
        assert closing.sequence < lapse.sequence
        assert lapse.metadata["challenge_id"] == challenge.pk
        assert Release.objects.filter(challenge=challenge, release_id__endswith="-closing").exists()
        assert ChronographStep.objects.filter(object_id=challenge.pk, step="close").count() == 1
        # The owner, and the member of the vendor with a draft, each told once.
        assert (
            Notification.objects.filter(
                kind=Notification.Kind.CHALLENGE_CLOSED,
                dedupe_key__startswith=f"challenge_closed:{challenge.pk}:",
            ).count()
            == 2
        )
        # Nothing left to remind anyone of.
        assert not ReminderDelivery.objects.filter(
            object_id=challenge.pk, status=Status.PLANNED
        ).exists()
    assert Notification.objects.filter(recipient=alice, kind="challenge_closed").count() == 5
    assert len([m for m in mail.outbox if "is closed" in m.subject]) == 10
    count, breaks = audit_verify()
    assert breaks == [] and count == AuditEntry.objects.count()


def test_a_second_tick_closes_nothing_again(clock, alice, department):
    due_challenges(3, alice, department, clock)
    clock.move_to(SUBMISSION_DEADLINE)
    chronograph_run_due()
    entries = AuditEntry.objects.count()
    notices = Notification.objects.count()

    report = chronograph_run_due()

    assert report == {"rows": 0, "steps": 0, "skipped": 0, "errors": 0}
    assert AuditEntry.objects.count() == entries
    assert Notification.objects.count() == notices


def test_a_refused_close_in_a_batch_does_not_hold_back_the_others(clock, alice, department):
    first, refused, last = due_challenges(3, alice, department, clock, drafts=0)
    QuestionFactory(challenge=refused, status="submitted")
    clock.move_to(SUBMISSION_DEADLINE)

    report = chronograph_run_due()

    statuses = dict(
        Challenge.objects.filter(pk__in=[first.pk, refused.pk, last.pk]).values_list("pk", "status")
    )
    assert report == {"rows": 3, "steps": 2, "skipped": 0, "errors": 0}
    assert statuses == {first.pk: "closed", refused.pk: "published", last.pk: "closed"}
    refused.refresh_from_db()
    assert refused.next_due_at == SUBMISSION_DEADLINE  # tried again on the next tick
    assert (
        Notification.objects.filter(
            recipient=alice, dedupe_key__startswith=f"close_refused:{refused.pk}:"
        ).count()
        == 1
    )
    assert not AuditEntry.objects.filter(object_id=str(refused.pk), transition="close").exists()


def test_a_broken_row_in_a_batch_does_not_hold_back_the_others(
    clock, alice, department, monkeypatch
):
    first, broken, last = due_challenges(3, alice, department, clock, drafts=0)
    clock.move_to(SUBMISSION_DEADLINE)
    from opendata import services as opendata_services

    real = opendata_services.ocds.closing_release

    def closing_release(challenge):
        if challenge.pk == broken.pk:
            raise RuntimeError("boom")
        return real(challenge)

    monkeypatch.setattr(opendata_services.ocds, "closing_release", closing_release)

    report = chronograph_run_due()

    statuses = dict(
        Challenge.objects.filter(pk__in=[first.pk, broken.pk, last.pk]).values_list("pk", "status")
    )
    assert report == {"rows": 2, "steps": 2, "skipped": 0, "errors": 1}
    assert statuses == {first.pk: "closed", broken.pk: "published", last.pk: "closed"}
    # Nothing of the broken row's close was kept: no entry, no notice, no release.
    assert not AuditEntry.objects.filter(object_id=str(broken.pk), transition="close").exists()
    assert not Notification.objects.filter(
        dedupe_key__startswith=f"challenge_closed:{broken.pk}:"
    ).exists()
    count, breaks = audit_verify()
    assert breaks == []


# Reminders ---------------------------------------------------------------------------------


def vendors_with_drafts(challenge, count):
    members = []
    for _ in range(count):
        membership = VendorMembershipFactory(role="owner")
        vendor_services.proposal_start(
            challenge=challenge, vendor=membership.vendor, actor=membership.user
        )
        members.append(membership.user)
    return members


def delivery_queries(count, owner, department, clock):
    clock.move_to(START)
    challenge = open_challenge(
        owner,
        department,
        questions_deadline=QUESTIONS_DEADLINE,
        submission_deadline=SUBMISSION_DEADLINE,
    )
    vendors_with_drafts(challenge, count)
    clock.move_to(SUBMISSION_DEADLINE - timedelta(hours=2))
    with CaptureQueriesContext(connection) as captured:
        delivered = reminders_deliver_due()
    assert delivered == count
    return len(captured)


def test_delivering_reminders_costs_the_same_queries_for_5_or_50_people(clock, alice, department):
    # Each person's four reminders are all due (an outage): the closest one is sent, the three
    # others skipped, in the same queries.
    assert delivery_queries(5, alice, department, clock) == delivery_queries(
        50, alice, department, clock
    )


def test_reminders_in_several_batches_are_each_delivered_once_however_often_delivery_runs(
    clock, challenge_open, django_capture_on_commit_callbacks
):
    people = vendors_with_drafts(challenge_open, 7)
    clock.move_to(SUBMISSION_DEADLINE - timedelta(hours=2))

    with django_capture_on_commit_callbacks(execute=True):
        first = reminders_deliver_due(limit=3)
        second = reminders_deliver_due(limit=3)

    assert (first, second) == (7, 0)
    sent = ReminderDelivery.objects.filter(status=Status.SENT)
    assert sent.count() == 7
    assert sorted(sent.values_list("recipient_id", flat=True)) == sorted(p.pk for p in people)
    assert set(sent.values_list("offset_seconds", flat=True)) == {2 * 3600}
    assert not ReminderDelivery.objects.filter(
        status=Status.PLANNED, due_at__lte=SUBMISSION_DEADLINE - timedelta(hours=2)
    ).exists()
    notifications = Notification.objects.filter(kind=Notification.Kind.DEADLINE_REMINDER)
    assert notifications.count() == 7
    assert sorted(notifications.values_list("recipient_id", flat=True)) == sorted(
        p.pk for p in people
    )
    assert {n.reminder.pk for n in notifications} == set(sent.values_list("pk", flat=True))
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in people)
    assert all(n.email_status == Notification.Email.SENT for n in notifications)


def test_a_person_no_longer_concerned_is_not_reminded_in_a_batch(clock, challenge_open):
    people = vendors_with_drafts(challenge_open, 3)
    Proposal.objects.filter(vendor__memberships__user=people[1]).delete()
    clock.move_to(SUBMISSION_DEADLINE - timedelta(hours=2))

    assert reminders_deliver_due() == 2

    assert not Notification.objects.filter(recipient=people[1]).exists()
    assert ReminderDelivery.objects.filter(
        recipient=people[1], offset_seconds=2 * 3600, status=Status.CANCELLED
    ).exists()


def test_a_tick_past_its_time_budget_leaves_the_other_batches_to_the_next_tick(
    clock, alice, department, monkeypatch
):
    challenges = due_challenges(3, alice, department, clock, drafts=0)
    clock.move_to(SUBMISSION_DEADLINE)
    # The tick starts at 0 s; its first batch at 0 s; its second would start at 100 s.
    readings = [0.0, 0.0, 100.0]
    monkeypatch.setattr(chronograph, "monotonic", lambda: readings.pop(0) if readings else 100.0)

    first = chronograph_run_due(batch_size=2, budget_seconds=10)
    second = chronograph_run_due(batch_size=2)

    assert first == {"rows": 2, "steps": 2, "skipped": 0, "errors": 0}
    assert second == {"rows": 1, "steps": 1, "skipped": 0, "errors": 0}
    assert (
        Challenge.objects.filter(
            pk__in=[c.pk for c in challenges], status=Challenge.Status.CLOSED
        ).count()
        == 3
    )
