"""Vendors ask questions while a challenge is open, up to (not at) the questions deadline;
staff write addenda."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.utils import timezone

from challenges import services
from challenges.models import Addendum, Challenge, Question
from core.errors import InvalidInput, PermissionDenied
from tests.factories import set_status

pytestmark = pytest.mark.django_db

# 14:00 Atlantic daylight time.
QUESTIONS_DEADLINE = datetime(2027, 6, 10, 17, 0, tzinfo=UTC)


@pytest.fixture
def open_challenge(published_challenge):
    Challenge.objects.filter(pk=published_challenge.pk).update(
        questions_deadline=QUESTIONS_DEADLINE,
        submission_deadline=QUESTIONS_DEADLINE + timedelta(days=20),
    )
    published_challenge.refresh_from_db()
    return published_challenge


def test_a_vendor_asks_a_question_while_the_challenge_is_open(open_challenge, dave):
    with time_machine.travel(QUESTIONS_DEADLINE - timedelta(days=1), tick=False):
        result = services.question_ask(
            challenge=open_challenge, actor=dave, body="  Is hosting in Quebec fine?  "
        )

    stored = Question.objects.get(pk=result.pk)
    assert stored.asked_by == dave
    assert stored.body == "Is hosting in Quebec fine?"
    assert stored.status == Question.Status.SUBMITTED


def test_it_accepts_a_question_a_microsecond_before_the_deadline(open_challenge, dave):
    with time_machine.travel(QUESTIONS_DEADLINE - timedelta(microseconds=1), tick=False):
        services.question_ask(challenge=open_challenge, actor=dave, body="Just in time?")

    assert Question.objects.filter(challenge=open_challenge).count() == 1


@pytest.mark.parametrize("late", [timedelta(0), timedelta(hours=3)])
def test_it_refuses_a_question_at_or_after_the_deadline_naming_it(open_challenge, dave, late):
    with (
        time_machine.travel(QUESTIONS_DEADLINE + late, tick=False),
        pytest.raises(InvalidInput) as invalid,
    ):
        services.question_ask(challenge=open_challenge, actor=dave, body="Too late?")

    assert invalid.value.messages == [
        "The questions deadline passed at Jun 10, 2027, 2:00\u202fp.m. ADT; "
        "questions can no longer be asked."
    ]
    assert Question.objects.count() == 0


@pytest.mark.parametrize("persona", ["rita", "alice", "carol", "frank", "root"])
def test_it_refuses_questions_from_anyone_but_a_vendor(open_challenge, persona, request):
    with (
        time_machine.travel(QUESTIONS_DEADLINE - timedelta(days=1), tick=False),
        pytest.raises(PermissionDenied, match="asked by registered vendors"),
    ):
        services.question_ask(
            challenge=open_challenge, actor=request.getfixturevalue(persona), body="Hello?"
        )

    assert Question.objects.count() == 0


@pytest.mark.parametrize("state", ["draft", "co_design", "approved", "closed"])
def test_it_refuses_questions_when_the_challenge_is_not_open(challenge, dave, state):
    set_status(challenge, state)

    with pytest.raises(PermissionDenied, match="while the challenge is open"):
        services.question_ask(challenge=challenge, actor=dave, body="Early bird?")

    assert Question.objects.count() == 0


@pytest.mark.parametrize("body", ["", "   ", "x" * 4001])
def test_it_refuses_an_empty_or_overlong_question(published_challenge, dave, body):
    with pytest.raises(InvalidInput) as invalid:
        services.question_ask(challenge=published_challenge, actor=dave, body=body)

    assert list(invalid.value.field_errors) == ["body"]
    assert Question.objects.count() == 0


# addendum_create


def test_the_owner_drafts_an_addendum(published_challenge, alice):
    new_deadline = timezone.now() + timedelta(days=40)

    result = services.addendum_create(
        challenge=published_challenge,
        actor=alice,
        title="Longer period",
        body="Two more weeks.",
        new_submission_deadline=new_deadline,
    )

    stored = Addendum.objects.get(pk=result.pk)
    assert stored.status == Addendum.Status.DRAFT
    assert stored.number is None
    assert stored.created_by == alice
    assert stored.new_submission_deadline == new_deadline
    assert stored.is_material


def test_it_refuses_an_addendum_without_a_title(published_challenge, alice):
    with pytest.raises(InvalidInput) as invalid:
        services.addendum_create(challenge=published_challenge, actor=alice, body="What changes.")

    assert list(invalid.value.field_errors) == ["title_en"]
    assert Addendum.objects.count() == 0


def test_it_refuses_an_addendum_before_publication(challenge, alice):
    set_status(challenge, "approved")

    with pytest.raises(PermissionDenied, match="while it is open for proposals"):
        services.addendum_create(challenge=challenge, actor=alice, title="T", body="B")

    assert Addendum.objects.count() == 0


def test_it_refuses_an_addendum_from_another_staff_member(published_challenge, bob):
    with pytest.raises(PermissionDenied):
        services.addendum_create(challenge=published_challenge, actor=bob, title="T", body="B")

    assert Addendum.objects.count() == 0
