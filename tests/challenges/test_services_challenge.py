"""Creating, editing and scheduling a challenge through its services."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from challenges import services
from challenges.models import Challenge, ReferenceCounter
from core.errors import InvalidInput, PermissionDenied
from tests.factories import set_status

pytestmark = pytest.mark.django_db


def statement(department, **overrides):
    data = {
        "department": department,
        "title": "Warm homes for every tenant",
        "problem": "Cold homes",
        "context": "Old housing stock",
        "desired_outcomes": "Warm rooms in winter",
        "success_measures": "Energy burden below 6%",
        "budget_min": Decimal("1000"),
        "budget_max": Decimal("2000"),
    }
    data.update(overrides)
    return data


# challenge_create


def test_it_gives_references_in_sequence_per_year(alice, department, settings):
    settings.CHALLENGE_REFERENCE_PREFIX = "FRED"

    with time_machine.travel(datetime(2027, 6, 1, 12, tzinfo=UTC), tick=False):
        references = [
            services.challenge_create(actor=alice, **statement(department)).reference
            for _ in range(3)
        ]
    with time_machine.travel(datetime(2028, 6, 1, 12, tzinfo=UTC), tick=False):
        next_year = services.challenge_create(actor=alice, **statement(department)).reference

    assert references == ["FRED-2027-001", "FRED-2027-002", "FRED-2027-003"]
    assert next_year == "FRED-2028-001"
    assert set(Challenge.objects.values_list("reference", flat=True)) == {*references, next_year}
    assert ReferenceCounter.objects.get(prefix="FRED", year=2027).last_number == 3


def test_it_counts_the_year_in_the_municipalitys_time_zone(alice, department, settings):
    settings.CHALLENGE_REFERENCE_PREFIX = "RVB"
    # 03:00 UTC on New Year's Day is still 23:00 on 31 December in Atlantic time.
    with time_machine.travel(datetime(2027, 1, 1, 3, tzinfo=UTC), tick=False):
        challenge = services.challenge_create(actor=alice, **statement(department))

    assert challenge.reference == "RVB-2026-001"


def test_it_makes_the_creator_the_owner_of_a_draft(alice, department):
    challenge = services.challenge_create(actor=alice, **statement(department))

    challenge.refresh_from_db()
    assert challenge.owner == alice
    assert challenge.status == Challenge.Status.DRAFT
    assert challenge.title == "Warm homes for every tenant"


def test_staff_may_create_a_challenge_for_another_staff_member(alice, bob, department):
    challenge = services.challenge_create(actor=alice, owner=bob, **statement(department))

    challenge.refresh_from_db()
    assert challenge.owner == bob


def test_it_refuses_an_owner_who_is_not_staff(alice, rita, department):
    with pytest.raises(InvalidInput) as invalid:
        services.challenge_create(actor=alice, owner=rita, **statement(department))

    assert "owner" in invalid.value.field_errors
    assert Challenge.objects.count() == 0


@pytest.mark.parametrize("persona", ["rita", "dave", "frank", "root"])
def test_it_refuses_creation_by_anyone_but_staff(persona, request, department):
    with pytest.raises(PermissionDenied, match="Only municipal staff can create challenges."):
        services.challenge_create(actor=request.getfixturevalue(persona), **statement(department))

    assert Challenge.objects.count() == 0


def test_it_refuses_a_challenge_without_a_title_or_department(alice):
    with pytest.raises(InvalidInput) as invalid:
        services.challenge_create(actor=alice, problem="Cold homes")

    assert set(invalid.value.field_errors) == {"title_en", "department"}
    assert invalid.value.field_errors["title_en"] == [
        "Title: write it in English, in French or in both."
    ]
    assert Challenge.objects.count() == 0
    assert ReferenceCounter.objects.count() == 0


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"title": "x" * 201}, "title_en", "Ensure this value has at most 200 characters"),
        ({"title_fr": "x" * 201}, "title_fr", "Ensure this value has at most 200 characters"),
        ({"summary": "x" * 301}, "summary_en", "Ensure this value has at most 300 characters"),
        ({"budget_min": Decimal("-1")}, "__all__", "The budget cannot be negative."),
        (
            {"budget_min": Decimal("3000"), "budget_max": Decimal("2000")},
            "__all__",
            "The budget range must start below where it ends.",
        ),
        ({"budget_max": Decimal("1e12")}, "budget_max", "Ensure that there are no more than"),
    ],
)
def test_it_refuses_bad_input_and_stores_nothing(alice, department, overrides, field, message):
    with pytest.raises(InvalidInput) as invalid:
        services.challenge_create(actor=alice, **statement(department, **overrides))

    assert field in invalid.value.field_errors
    assert invalid.value.field_errors[field][0].startswith(message)
    assert Challenge.objects.count() == 0
    assert ReferenceCounter.objects.count() == 0


def test_it_refuses_fields_the_service_does_not_set(alice, department):
    with pytest.raises(InvalidInput, match="These fields cannot be set here: reference, status."):
        services.challenge_create(
            actor=alice, reference="X-1", status="published", **statement(department)
        )

    assert Challenge.objects.count() == 0


# challenge_update


@pytest.mark.parametrize("state", ["draft", "co_design"])
def test_the_owner_edits_the_statement_before_review(challenge, alice, state):
    set_status(challenge, state)

    services.challenge_update(challenge=challenge, actor=alice, problem="Drafty windows")

    challenge.refresh_from_db()
    assert challenge.problem == "Drafty windows"


@pytest.mark.parametrize("state", ["in_review", "approved", "published", "closed", "cancelled"])
def test_it_refuses_edits_once_the_statement_went_to_review(challenge, alice, state):
    set_status(challenge, state)

    with pytest.raises(PermissionDenied, match="only before review"):
        services.challenge_update(challenge=challenge, actor=alice, problem="Drafty windows")

    challenge.refresh_from_db()
    assert challenge.problem != "Drafty windows"


@pytest.mark.parametrize("persona", ["bob", "carol", "dave", "root"])
def test_it_refuses_edits_by_anyone_but_the_owner(challenge, persona, request):
    with pytest.raises(PermissionDenied, match="Only the owner can edit this statement"):
        services.challenge_update(
            challenge=challenge, actor=request.getfixturevalue(persona), problem="Mine"
        )

    challenge.refresh_from_db()
    assert challenge.problem != "Mine"


def test_it_refuses_a_bad_edit_and_keeps_the_stored_statement(challenge, alice):
    title = challenge.title

    with pytest.raises(InvalidInput) as invalid:
        services.challenge_update(challenge=challenge, actor=alice, title="", budget_min=-5)

    assert set(invalid.value.field_errors) == {"title_en", "__all__"}
    challenge.refresh_from_db()
    assert challenge.title == title
    assert challenge.budget_min == Decimal("50000.00")


# challenge_schedule


@pytest.mark.parametrize("state", ["draft", "co_design", "in_review", "approved"])
def test_the_owner_sets_the_timeline_until_publication(challenge, alice, state):
    set_status(challenge, state)
    questions = timezone.now() + timedelta(days=20)
    submission = timezone.now() + timedelta(days=40)

    services.challenge_schedule(
        challenge=challenge,
        actor=alice,
        questions_deadline=questions,
        submission_deadline=submission,
    )

    challenge.refresh_from_db()
    assert (challenge.questions_deadline, challenge.submission_deadline) == (questions, submission)


@pytest.mark.parametrize("state", ["published", "closed", "cancelled"])
def test_it_refuses_to_move_dates_after_publication(challenge, alice, state):
    set_status(challenge, state)
    before = challenge.submission_deadline

    with pytest.raises(PermissionDenied, match="After publication, issue an addendum."):
        services.challenge_schedule(
            challenge=challenge,
            actor=alice,
            questions_deadline=timezone.now() + timedelta(days=20),
            submission_deadline=timezone.now() + timedelta(days=40),
        )

    challenge.refresh_from_db()
    assert challenge.submission_deadline == before


def test_it_refuses_scheduling_by_another_staff_member(challenge, bob):
    before = challenge.submission_deadline

    with pytest.raises(PermissionDenied):
        services.challenge_schedule(
            challenge=challenge,
            actor=bob,
            questions_deadline=timezone.now() + timedelta(days=20),
            submission_deadline=timezone.now() + timedelta(days=40),
        )

    challenge.refresh_from_db()
    assert challenge.submission_deadline == before


def test_it_refuses_a_questions_deadline_after_the_submission_deadline(challenge, alice):
    before = challenge.questions_deadline

    with pytest.raises(InvalidInput) as invalid:
        services.challenge_schedule(
            challenge=challenge,
            actor=alice,
            questions_deadline=timezone.now() + timedelta(days=40),
            submission_deadline=timezone.now() + timedelta(days=20),
        )

    assert invalid.value.messages == [
        "The questions deadline must come before the submission deadline."
    ]
    challenge.refresh_from_db()
    assert challenge.questions_deadline == before
