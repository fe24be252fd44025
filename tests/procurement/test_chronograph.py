"""The chronograph closes challenges at their deadline by itself (DESIGN.md §4)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from challenges import services as challenge_services
from challenges.models import Challenge
from core.errors import TransitionRefused
from core.models import AuditEntry
from procurement.chronograph import chronograph_run_due, scheduled_models
from procurement.models import ChronographStep, Notification
from tests.factories import AddendumFactory, ChallengeFactory, QuestionFactory
from vendors import services as vendor_services
from vendors.models import Proposal

from .conftest import QUESTIONS_DEADLINE, SUBMISSION_DEADLINE, open_challenge

pytestmark = pytest.mark.django_db


def test_an_open_challenge_is_due_at_its_questions_deadline_first(challenge_open):
    assert challenge_open.next_due_at == QUESTIONS_DEADLINE


def test_a_draft_challenge_has_nothing_due(clock, alice, department):
    challenge = ChallengeFactory(owner=alice, department=department)

    challenge_services.challenge_schedule(
        challenge=challenge,
        actor=alice,
        questions_deadline=QUESTIONS_DEADLINE,
        submission_deadline=SUBMISSION_DEADLINE,
    )

    challenge.refresh_from_db()
    assert challenge.next_due_at is None


def test_after_the_questions_period_it_is_due_at_the_submission_deadline(clock, challenge_open):
    clock.move_to(QUESTIONS_DEADLINE)

    report = chronograph_run_due()

    challenge_open.refresh_from_db()
    assert report == {"rows": 1, "steps": 1, "skipped": 0, "errors": 0}
    assert challenge_open.status == Challenge.Status.PUBLISHED
    assert challenge_open.next_due_at == SUBMISSION_DEADLINE
    assert ChronographStep.objects.filter(
        object_id=challenge_open.pk, step="questions_period_end", due_at=QUESTIONS_DEADLINE
    ).exists()


def test_nothing_runs_a_microsecond_before_a_deadline(clock, challenge_open):
    clock.move_to(QUESTIONS_DEADLINE - timedelta(microseconds=1))

    report = chronograph_run_due()

    challenge_open.refresh_from_db()
    assert report["rows"] == 0
    assert challenge_open.next_due_at == QUESTIONS_DEADLINE
    assert not ChronographStep.objects.exists()


def test_it_closes_the_challenge_at_the_deadline_as_the_system(
    clock, challenge_open, acme_draft, globex_submitted, alice, dave, erin
):
    clock.move_to(SUBMISSION_DEADLINE)

    report = chronograph_run_due()

    challenge_open.refresh_from_db()
    acme_draft.refresh_from_db()
    globex_submitted.refresh_from_db()
    assert report == {"rows": 1, "steps": 2, "skipped": 0, "errors": 0}
    assert challenge_open.status == Challenge.Status.CLOSED
    assert challenge_open.closed_at == SUBMISSION_DEADLINE
    assert challenge_open.next_due_at is None
    assert globex_submitted.status == Proposal.Status.RECEIVED
    assert acme_draft.status == Proposal.Status.LAPSED
    close = AuditEntry.objects.get(transition="close", object_id=str(challenge_open.pk))
    assert close.actor is None
    assert close.actor_label == "system"
    assert {
        e.actor_label for e in AuditEntry.objects.filter(transition__in=["receive", "lapse"])
    } == {"system"}
    closed = Notification.objects.filter(kind=Notification.Kind.CHALLENGE_CLOSED)
    assert set(closed.values_list("recipient__username", flat=True)) == {"alice", "dave", "erin"}


def test_a_proposal_submitted_a_microsecond_before_the_deadline_is_received(
    clock, challenge_open, acme_draft, dave
):
    clock.move_to(SUBMISSION_DEADLINE - timedelta(microseconds=1))
    vendor_services.proposal_submit(proposal=acme_draft, actor=dave)
    clock.move_to(SUBMISSION_DEADLINE)

    chronograph_run_due()

    acme_draft.refresh_from_db()
    assert acme_draft.status == Proposal.Status.RECEIVED
    assert acme_draft.submitted_at == SUBMISSION_DEADLINE - timedelta(microseconds=1)


def test_a_submission_at_the_deadline_is_refused_and_the_draft_lapses(
    clock, challenge_open, acme_draft, dave
):
    clock.move_to(SUBMISSION_DEADLINE)

    with pytest.raises(TransitionRefused):
        vendor_services.proposal_submit(proposal=acme_draft, actor=dave)
    chronograph_run_due()

    acme_draft.refresh_from_db()
    assert acme_draft.status == Proposal.Status.LAPSED


def test_a_late_run_catches_up_every_overdue_step(clock, challenge_open):
    clock.move_to(SUBMISSION_DEADLINE + timedelta(days=3))

    report = chronograph_run_due()

    challenge_open.refresh_from_db()
    assert report == {"rows": 1, "steps": 2, "skipped": 0, "errors": 0}
    assert challenge_open.status == Challenge.Status.CLOSED
    assert list(ChronographStep.objects.order_by("due_at").values_list("step", flat=True)) == [
        "questions_period_end",
        "close",
    ]


def test_a_repeated_run_does_no_harm(clock, challenge_open, acme_draft):
    clock.move_to(SUBMISSION_DEADLINE + timedelta(minutes=1))

    first = chronograph_run_due()
    second = chronograph_run_due()

    assert first["steps"] == 2
    assert second == {"rows": 0, "steps": 0, "skipped": 0, "errors": 0}
    assert AuditEntry.objects.filter(transition="close").count() == 1
    assert AuditEntry.objects.filter(transition="lapse").count() == 1
    assert Notification.objects.filter(kind=Notification.Kind.CHALLENGE_CLOSED).count() == 2


def test_with_open_questions_it_cannot_close_tells_the_owner_once_and_retries(
    clock, challenge_open, alice, dave
):
    question = QuestionFactory(challenge=challenge_open, asked_by=dave)
    clock.move_to(SUBMISSION_DEADLINE)

    chronograph_run_due()
    clock.shift(timedelta(minutes=1))
    chronograph_run_due()

    challenge_open.refresh_from_db()
    assert challenge_open.status == Challenge.Status.PUBLISHED
    # Still due: the next tick tries again.
    assert challenge_open.next_due_at == SUBMISSION_DEADLINE
    overdue = Notification.objects.filter(recipient=alice, kind=Notification.Kind.OVERDUE_STEP)
    titles = list(overdue.values_list("title", flat=True))
    assert len([t for t in titles if "could not close" in t]) == 1
    assert len([t for t in titles if "Questions period ended" in t]) == 1

    challenge_services.question_answer(question=question, actor=alice, answer="Yes, it can.")
    clock.shift(timedelta(minutes=1))
    chronograph_run_due()

    challenge_open.refresh_from_db()
    assert challenge_open.status == Challenge.Status.CLOSED
    assert challenge_open.next_due_at is None


def test_an_addendum_that_moves_the_deadline_moves_the_next_due_time(clock, challenge_open, alice):
    clock.move_to(QUESTIONS_DEADLINE + timedelta(hours=1))
    chronograph_run_due()
    later = SUBMISSION_DEADLINE + timedelta(days=7)
    addendum = AddendumFactory(
        challenge=challenge_open, created_by=alice, new_submission_deadline=later
    )

    challenge_services.addendum_issue(addendum=addendum, actor=alice)

    challenge_open.refresh_from_db()
    assert challenge_open.next_due_at == later
    clock.move_to(SUBMISSION_DEADLINE + timedelta(hours=1))
    chronograph_run_due()
    challenge_open.refresh_from_db()
    assert challenge_open.status == Challenge.Status.PUBLISHED


def test_a_new_questions_deadline_makes_the_questions_step_due_again(clock, challenge_open, alice):
    clock.move_to(QUESTIONS_DEADLINE + timedelta(hours=1))
    chronograph_run_due()
    new_questions = QUESTIONS_DEADLINE + timedelta(days=2)
    new_submission = SUBMISSION_DEADLINE + timedelta(days=10)
    addendum = AddendumFactory(
        challenge=challenge_open,
        created_by=alice,
        new_questions_deadline=new_questions,
        new_submission_deadline=new_submission,
    )

    challenge_services.addendum_issue(addendum=addendum, actor=alice)

    challenge_open.refresh_from_db()
    assert challenge_open.next_due_at == new_questions
    clock.move_to(new_questions)
    assert chronograph_run_due()["steps"] == 1
    challenge_open.refresh_from_db()
    assert challenge_open.next_due_at == new_submission


def test_cancelling_a_challenge_clears_its_next_due_time(clock, challenge_open, alice):
    challenge_services.challenge_transition(
        challenge=challenge_open, actor=alice, name="cancel", reason="Budget withdrawn."
    )

    challenge_open.refresh_from_db()
    assert challenge_open.next_due_at is None


def test_one_failing_row_does_not_stop_the_others(clock, alice, department, monkeypatch):
    first = open_challenge(
        alice,
        department,
        questions_deadline=QUESTIONS_DEADLINE,
        submission_deadline=SUBMISSION_DEADLINE,
    )
    second = open_challenge(
        alice,
        department,
        questions_deadline=QUESTIONS_DEADLINE + timedelta(seconds=1),
        submission_deadline=SUBMISSION_DEADLINE,
    )
    from procurement import chronograph

    original = chronograph.questions_period_end

    def broken(challenge, now):
        if challenge.pk == first.pk:
            raise RuntimeError("boom")
        return original(challenge, now)

    steps = [
        chronograph.Step(s.name, s.due_at, broken) if s.name == "questions_period_end" else s
        for s in chronograph._steps["challenges.Challenge"]
    ]
    monkeypatch.setitem(chronograph._steps, "challenges.Challenge", steps)
    clock.move_to(QUESTIONS_DEADLINE + timedelta(minutes=1))

    report = chronograph_run_due()

    first.refresh_from_db()
    second.refresh_from_db()
    assert report == {"rows": 1, "steps": 1, "skipped": 0, "errors": 1}
    assert first.next_due_at == QUESTIONS_DEADLINE
    assert second.next_due_at == SUBMISSION_DEADLINE


def test_the_scan_query_count_does_not_grow_with_rows_not_due(clock, alice, department):
    def scan_queries(not_due):
        ChallengeFactory.create_batch(not_due, owner=alice, department=department)
        Challenge.objects.filter(next_due_at__isnull=True).update(
            next_due_at=SUBMISSION_DEADLINE + timedelta(days=365)
        )
        with CaptureQueriesContext(connection) as captured:
            chronograph_run_due()
        return len(captured)

    # One query per scheduled model (challenges, awards), however many rows are not due.
    assert scan_queries(3) == scan_queries(30) == len(scheduled_models())
