"""Reminders are rows first, messages second; each is delivered once (DESIGN.md §4)."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.utils import translation

from challenges import services as challenge_services
from procurement.audiences import Audience, Target, register_audience, unregister_audience
from procurement.message import Message
from procurement.models import Notification, ReminderDelivery
from procurement.services import preferences_update, reminders_deliver_due, reminders_plan
from tests.factories import AddendumFactory, QuestionFactory
from vendors import services as vendor_services

from .conftest import SUBMISSION_DEADLINE, open_challenge

pytestmark = pytest.mark.django_db

MONCTON = ZoneInfo("America/Moncton")
OFFSETS = [timedelta(days=7), timedelta(days=2), timedelta(days=1), timedelta(hours=2)]


def planned(**filters):
    return ReminderDelivery.objects.filter(status=ReminderDelivery.Status.PLANNED, **filters)


def test_a_vendor_with_a_draft_gets_one_planned_reminder_per_offset(acme_draft, dave, erin):
    rows = planned(recipient=dave, audience="vendor_unsubmitted")

    assert sorted(r.offset_seconds for r in rows) == sorted(int(o.total_seconds()) for o in OFFSETS)
    assert {r.deadline_at for r in rows} == {SUBMISSION_DEADLINE}
    assert {r.due_at for r in rows} == {SUBMISSION_DEADLINE - o for o in OFFSETS}
    assert not ReminderDelivery.objects.filter(recipient=erin).exists()


def test_a_vendor_who_submitted_is_not_reminded(acme_draft, globex_submitted, erin):
    assert planned(recipient=erin).count() == 0


def test_planning_twice_creates_nothing_new(acme_draft, challenge_open):
    before = ReminderDelivery.objects.count()

    result = reminders_plan(subject=challenge_open)

    assert result == {"planned": 0, "cancelled": 0, "revived": 0}
    assert ReminderDelivery.objects.count() == before


@pytest.mark.parametrize("offset", OFFSETS, ids=["7 days", "2 days", "1 day", "2 hours"])
def test_each_reminder_is_delivered_at_its_offset_and_not_a_microsecond_earlier(
    clock, acme_draft, dave, offset
):
    due = SUBMISSION_DEADLINE - offset
    row = ReminderDelivery.objects.get(recipient=dave, offset_seconds=offset.total_seconds())
    clock.move_to(due - timedelta(microseconds=1))
    reminders_deliver_due()  # may send an earlier offset's reminder, never this one
    row.refresh_from_db()
    assert row.status == ReminderDelivery.Status.PLANNED

    clock.move_to(due)
    delivered = reminders_deliver_due()

    row.refresh_from_db()
    assert delivered == 1
    assert row.status == ReminderDelivery.Status.SENT
    assert row.notification.recipient == dave
    assert row.notification.kind == Notification.Kind.DEADLINE_REMINDER
    assert row.notification.link == acme_draft.challenge.get_absolute_url()
    assert acme_draft.challenge.reference in row.notification.title
    sent = ReminderDelivery.objects.filter(status=ReminderDelivery.Status.SENT).count()
    assert Notification.objects.filter(recipient=dave).count() == sent


def test_a_reminder_is_delivered_once_however_often_delivery_runs(clock, acme_draft, dave):
    clock.move_to(SUBMISSION_DEADLINE - timedelta(days=7))

    runs = [reminders_deliver_due() for _ in range(3)]

    assert runs == [1, 0, 0]
    assert Notification.objects.filter(recipient=dave).count() == 1


def test_after_an_outage_only_the_reminder_closest_to_the_deadline_is_sent(clock, acme_draft, dave):
    clock.move_to(SUBMISSION_DEADLINE - timedelta(hours=20))

    assert reminders_deliver_due() == 1

    sent = ReminderDelivery.objects.get(status=ReminderDelivery.Status.SENT)
    assert sent.offset_seconds == 86400
    skipped = ReminderDelivery.objects.filter(status=ReminderDelivery.Status.SKIPPED)
    assert sorted(skipped.values_list("offset_seconds", flat=True)) == [2 * 86400, 7 * 86400]
    assert Notification.objects.filter(recipient=dave).count() == 1


def test_moving_the_deadline_cancels_the_old_reminders_and_plans_new_ones(
    clock, acme_draft, alice, dave
):
    clock.move_to(SUBMISSION_DEADLINE - timedelta(days=7))
    assert reminders_deliver_due() == 1
    later = SUBMISSION_DEADLINE + timedelta(days=14)
    addendum = AddendumFactory(
        challenge=acme_draft.challenge, created_by=alice, new_submission_deadline=later
    )

    challenge_services.addendum_issue(addendum=addendum, actor=alice)

    old = ReminderDelivery.objects.filter(recipient=dave, deadline_at=SUBMISSION_DEADLINE)
    assert set(old.values_list("status", flat=True)) == {"sent", "cancelled"}
    new = planned(recipient=dave, deadline_at=later)
    assert {r.due_at for r in new} == {later - o for o in OFFSETS}
    # The old 2-day reminder's moment comes and goes: nothing is sent for the old deadline.
    clock.move_to(SUBMISSION_DEADLINE - timedelta(days=2))
    assert reminders_deliver_due() == 0
    clock.move_to(later - timedelta(days=2))
    assert reminders_deliver_due() == 1
    last = Notification.objects.filter(recipient=dave).first()
    assert last.reminder.deadline_at == later


def test_a_deadline_moved_back_revives_its_cancelled_reminders(clock, acme_draft, alice, dave):
    challenge = acme_draft.challenge
    later = SUBMISSION_DEADLINE + timedelta(days=14)
    for deadline in (later, SUBMISSION_DEADLINE):
        addendum = AddendumFactory(
            challenge=challenge, created_by=alice, new_submission_deadline=deadline
        )
        challenge_services.addendum_issue(addendum=addendum, actor=alice)

    assert planned(recipient=dave, deadline_at=SUBMISSION_DEADLINE).count() == 4
    assert planned(recipient=dave, deadline_at=later).count() == 0


def test_submitting_cancels_the_vendors_reminders(clock, acme_draft, dave):
    vendor_services.proposal_submit(proposal=acme_draft, actor=dave)

    assert planned(recipient=dave).count() == 0
    assert ReminderDelivery.objects.filter(recipient=dave, status="cancelled").count() == 4


def test_delivery_checks_again_that_the_person_is_still_concerned(clock, acme_draft, dave):
    vendor_services.proposal_submit(proposal=acme_draft, actor=dave)
    # As if planning had not caught up: the row is back to planned.
    ReminderDelivery.objects.filter(recipient=dave).update(status="planned")
    clock.move_to(SUBMISSION_DEADLINE - timedelta(hours=2))

    assert reminders_deliver_due() == 0

    assert not Notification.objects.filter(recipient=dave).exists()
    assert planned().count() == 0


def test_a_proposal_needing_reconfirmation_is_reminded(clock, globex_submitted, alice, erin):
    addendum = AddendumFactory(
        challenge=globex_submitted.challenge, created_by=alice, changes_terms=True
    )

    challenge_services.addendum_issue(addendum=addendum, actor=alice)

    globex_submitted.refresh_from_db()
    assert globex_submitted.status == "needs_reconfirmation"
    assert planned(recipient=erin, audience="vendor_unsubmitted").count() == 4


def test_the_owner_is_reminded_of_open_questions_before_the_submission_deadline(
    clock, challenge_open, alice, dave
):
    QuestionFactory(challenge=challenge_open, asked_by=dave)
    clock.move_to(SUBMISSION_DEADLINE - timedelta(days=1))

    assert reminders_deliver_due() == 1

    notification = Notification.objects.get(recipient=alice)
    assert notification.kind == Notification.Kind.OVERDUE_STEP
    assert "unanswered questions" in notification.title


def test_the_reminder_is_worded_in_the_persons_language(clock, acme_draft, dave):
    languages = []

    def message(subject, target, offset):
        languages.append(translation.get_language())
        return Message(title="Rappel", body="")

    register_audience(
        Audience(
            name="test_language",
            subject_model="challenges.Challenge",
            targets=lambda challenge: [Target(dave.pk, "submission_deadline", SUBMISSION_DEADLINE)],
            message=message,
        )
    )
    try:
        preferences_update(actor=dave, language="fr", email_kinds=[])
        reminders_plan(subject=acme_draft.challenge)
        clock.move_to(SUBMISSION_DEADLINE - timedelta(hours=2))
        reminders_deliver_due()
    finally:
        unregister_audience("test_language")

    assert languages == ["fr"]
    assert Notification.objects.filter(recipient=dave, title="Rappel").count() == 1


def test_email_follows_the_persons_preference(
    clock, acme_draft, dave, django_capture_on_commit_callbacks
):
    preferences_update(actor=dave, language="en", email_kinds=[])
    clock.move_to(SUBMISSION_DEADLINE - timedelta(hours=2))

    with django_capture_on_commit_callbacks(execute=True):
        reminders_deliver_due()

    notification = Notification.objects.get(recipient=dave)
    assert notification.email_status == Notification.Email.NOT_WANTED
    assert mail.outbox == []


def test_the_reminder_email_is_sent_after_commit_with_its_idempotency_key(
    clock, acme_draft, dave, django_capture_on_commit_callbacks
):
    clock.move_to(SUBMISSION_DEADLINE - timedelta(hours=2))

    with django_capture_on_commit_callbacks(execute=True):
        reminders_deliver_due()

    notification = Notification.objects.get(recipient=dave)
    assert notification.email_status == Notification.Email.SENT
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["dave@example.org"]
    assert mail.outbox[0].extra_headers["Message-ID"] == notification.email_message_id


# Daylight saving time in the municipality's zone. An offset is elapsed time: "1 day before" a
# deadline just after the clocks change is 24 real hours before it, so the reminder arrives one
# wall-clock hour earlier (spring) or later (autumn) than the deadline's time of day.


@pytest.mark.parametrize(
    "deadline_local, reminders_local",
    [
        (
            # Clocks go forward at 02:00 on Sunday 14 March 2027 (AST → ADT).
            datetime(2027, 3, 14, 12, 0, tzinfo=MONCTON),
            {
                timedelta(days=7): datetime(2027, 3, 7, 11, 0, tzinfo=MONCTON),
                timedelta(days=2): datetime(2027, 3, 12, 11, 0, tzinfo=MONCTON),
                timedelta(days=1): datetime(2027, 3, 13, 11, 0, tzinfo=MONCTON),
                timedelta(hours=2): datetime(2027, 3, 14, 10, 0, tzinfo=MONCTON),
            },
        ),
        (
            # Clocks go back at 02:00 on Sunday 7 November 2027 (ADT → AST).
            datetime(2027, 11, 7, 12, 0, tzinfo=MONCTON),
            {
                timedelta(days=7): datetime(2027, 10, 31, 13, 0, tzinfo=MONCTON),
                timedelta(days=2): datetime(2027, 11, 5, 13, 0, tzinfo=MONCTON),
                timedelta(days=1): datetime(2027, 11, 6, 13, 0, tzinfo=MONCTON),
                timedelta(hours=2): datetime(2027, 11, 7, 10, 0, tzinfo=MONCTON),
            },
        ),
    ],
    ids=["spring forward", "fall back"],
)
def test_reminders_across_a_daylight_saving_change_are_real_hours_before(
    alice, department, acme, dave, deadline_local, reminders_local
):
    start = deadline_local - timedelta(days=20)
    with time_machine.travel(start, tick=False) as clock:
        challenge = open_challenge(
            alice,
            department,
            questions_deadline=deadline_local - timedelta(days=10),
            submission_deadline=deadline_local,
        )
        vendor_services.proposal_start(challenge=challenge, vendor=acme, actor=dave)
        for offset, local in reminders_local.items():
            # Elapsed time, whatever the wall clock says (same-zone subtraction would not see it).
            assert deadline_local.astimezone(UTC) - local.astimezone(UTC) == offset
            clock.move_to(local - timedelta(seconds=1))
            assert reminders_deliver_due() == 0
            clock.move_to(local)
            assert reminders_deliver_due() == 1
            row = ReminderDelivery.objects.get(offset_seconds=offset.total_seconds())
            assert row.status == ReminderDelivery.Status.SENT
            assert row.due_at.astimezone(UTC) == local.astimezone(UTC)

    assert Notification.objects.filter(recipient=dave).count() == 4
