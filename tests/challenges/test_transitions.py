"""Every transition of a challenge and of what hangs off it: allowed, and refused for the wrong
state, the wrong person or an unmet guard, with the sentence the user is shown."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.utils import timezone

from challenges import services
from challenges.checks import (
    register_publication_check,
    register_review_check,
    unregister_publication_check,
    unregister_review_check,
)
from challenges.models import Addendum, Challenge, CommunityInput, Question
from challenges.signals import addendum_issued
from core.errors import InvalidInput, PermissionDenied, TransitionRefused
from core.models import AuditEntry
from core.timefmt import format_local
from core.workflow import allowed_transitions
from tests.factories import (
    AddendumFactory,
    ChallengeFactory,
    CommunityInputFactory,
    EngagementActivityFactory,
    QuestionFactory,
    complete_governance,
    complete_plan,
    set_status,
)

pytestmark = pytest.mark.django_db

OWNER_ONLY = "Only the challenge's owner, a member of municipal staff, can take this step."
APPROVER_ONLY = (
    "Only an approver who does not own this challenge can approve it or send it back; "
    "ask another approver."
)


def run(challenge, actor, name, reason=""):
    return services.challenge_transition(challenge=challenge, actor=actor, name=name, reason=reason)


def assert_unchanged(challenge, status):
    challenge.refresh_from_db()
    assert challenge.status == status
    assert AuditEntry.objects.count() == 0


# open_co_design


def test_it_opens_co_design_for_the_owner(challenge, alice):
    result = run(challenge, alice, "open_co_design")

    assert result.status == Challenge.Status.CO_DESIGN
    challenge.refresh_from_db()
    assert challenge.status == Challenge.Status.CO_DESIGN


def test_it_refuses_to_open_co_design_twice(co_design_challenge, alice):
    with pytest.raises(TransitionRefused) as refused:
        run(co_design_challenge, alice, "open_co_design")

    assert refused.value.messages == ["This step is not possible while the challenge is Co-design."]
    assert refused.value.allowed == ["cancel", "submit_for_review"]
    assert_unchanged(co_design_challenge, Challenge.Status.CO_DESIGN)


@pytest.mark.parametrize("persona", ["bob", "carol", "dave", "rita", "root"])
def test_it_refuses_to_open_co_design_for_anyone_but_the_owner(challenge, persona, request):
    with pytest.raises(PermissionDenied) as denied:
        run(challenge, request.getfixturevalue(persona), "open_co_design")

    assert str(denied.value) == OWNER_ONLY
    assert_unchanged(challenge, Challenge.Status.DRAFT)


# submit_for_review


def test_it_submits_a_co_designed_challenge_for_review(co_design_challenge, alice):
    run(co_design_challenge, alice, "submit_for_review")

    co_design_challenge.refresh_from_db()
    assert co_design_challenge.status == Challenge.Status.IN_REVIEW


def test_it_resubmits_a_draft_sent_back_and_clears_the_requested_changes(
    co_design_challenge, alice, carol
):
    run(co_design_challenge, alice, "submit_for_review")
    run(co_design_challenge, carol, "request_changes", reason="Say who was consulted.")
    co_design_challenge.refresh_from_db()
    assert co_design_challenge.changes_requested_reason == "Say who was consulted."

    run(co_design_challenge, alice, "submit_for_review")

    co_design_challenge.refresh_from_db()
    assert co_design_challenge.status == Challenge.Status.IN_REVIEW
    assert co_design_challenge.changes_requested_reason == ""


def test_it_refuses_review_of_an_incomplete_statement_and_names_the_missing_fields(
    co_design_challenge, alice
):
    Challenge.objects.filter(pk=co_design_challenge.pk).update(
        problem="   ", success_measures="", budget_max=None
    )

    with pytest.raises(TransitionRefused) as refused:
        run(co_design_challenge, alice, "submit_for_review")

    assert refused.value.messages == [
        "Complete the statement before review: problem, success measures, budget up to (CAD)."
    ]
    assert_unchanged(co_design_challenge, Challenge.Status.CO_DESIGN)


def test_it_refuses_review_without_any_engagement_activity(challenge, alice):
    set_status(challenge, "co_design")
    complete_governance(challenge)
    complete_plan(challenge)

    with pytest.raises(TransitionRefused) as refused:
        run(challenge, alice, "submit_for_review")

    assert refused.value.messages == [
        "Record at least 1 engagement activity with residents or partners before review "
        "(co-design evidence)."
    ]
    assert_unchanged(challenge, Challenge.Status.CO_DESIGN)


def test_it_asks_for_as_many_activities_as_the_setting_says(co_design_challenge, alice, settings):
    settings.MINIMUM_ENGAGEMENT_ACTIVITIES = 2

    with pytest.raises(TransitionRefused) as refused:
        run(co_design_challenge, alice, "submit_for_review")

    assert refused.value.messages == [
        "Record at least 2 engagement activities with residents or partners before review "
        "(co-design evidence)."
    ]
    assert_unchanged(co_design_challenge, Challenge.Status.CO_DESIGN)

    EngagementActivityFactory(challenge=co_design_challenge)
    run(co_design_challenge, alice, "submit_for_review")
    co_design_challenge.refresh_from_db()
    assert co_design_challenge.status == Challenge.Status.IN_REVIEW


def test_it_needs_no_activity_when_the_setting_is_zero(challenge, alice, settings):
    settings.MINIMUM_ENGAGEMENT_ACTIVITIES = 0
    set_status(challenge, "co_design")
    complete_governance(challenge)
    complete_plan(challenge)

    run(challenge, alice, "submit_for_review")

    challenge.refresh_from_db()
    assert challenge.status == Challenge.Status.IN_REVIEW


def test_a_registered_review_check_blocks_review_with_its_message(co_design_challenge, alice):
    state = {"complete": False}

    def check(challenge):
        return [] if state["complete"] else ["Complete the evaluation plan before review."]

    register_review_check(check)
    try:
        with pytest.raises(TransitionRefused) as refused:
            run(co_design_challenge, alice, "submit_for_review")
        assert refused.value.messages == ["Complete the evaluation plan before review."]
        assert_unchanged(co_design_challenge, Challenge.Status.CO_DESIGN)

        state["complete"] = True
        run(co_design_challenge, alice, "submit_for_review")
    finally:
        unregister_review_check(check)
    co_design_challenge.refresh_from_db()
    assert co_design_challenge.status == Challenge.Status.IN_REVIEW


def test_it_refuses_review_for_another_staff_member(co_design_challenge, bob):
    with pytest.raises(PermissionDenied, match="Only the challenge's owner"):
        run(co_design_challenge, bob, "submit_for_review")

    assert_unchanged(co_design_challenge, Challenge.Status.CO_DESIGN)


def test_it_refuses_review_of_an_approved_challenge(challenge, alice):
    set_status(challenge, "approved")

    with pytest.raises(TransitionRefused, match="while the challenge is Approved"):
        run(challenge, alice, "submit_for_review")

    assert_unchanged(challenge, Challenge.Status.APPROVED)


# request_changes


def test_it_sends_a_challenge_back_with_the_reason_stored(challenge, carol):
    set_status(challenge, "in_review")

    run(challenge, carol, "request_changes", reason="  Add the budget source.  ")

    challenge.refresh_from_db()
    assert challenge.status == Challenge.Status.DRAFT
    assert challenge.changes_requested_reason == "Add the budget source."
    assert AuditEntry.objects.get().reason == "  Add the budget source.  "


@pytest.mark.parametrize("reason", ["", "   "])
def test_it_refuses_to_send_back_without_a_reason(challenge, carol, reason):
    set_status(challenge, "in_review")

    with pytest.raises(InvalidInput) as invalid:
        run(challenge, carol, "request_changes", reason=reason)

    assert invalid.value.messages == ["Give a reason for the changes requested."]
    assert invalid.value.field_errors == {"reason": ["This field is required."]}
    assert_unchanged(challenge, Challenge.Status.IN_REVIEW)


@pytest.mark.parametrize("persona", ["alice", "bob", "root"])
def test_it_refuses_to_send_back_for_anyone_but_another_approver(challenge, persona, request):
    set_status(challenge, "in_review")

    with pytest.raises(PermissionDenied) as denied:
        run(challenge, request.getfixturevalue(persona), "request_changes", reason="No.")

    assert str(denied.value) == APPROVER_ONLY
    assert_unchanged(challenge, Challenge.Status.IN_REVIEW)


def test_it_refuses_to_send_back_a_draft(challenge, carol):
    with pytest.raises(TransitionRefused, match="while the challenge is Draft"):
        run(challenge, carol, "request_changes", reason="No.")

    assert_unchanged(challenge, Challenge.Status.DRAFT)


# approve


def test_it_records_who_approved_and_when(challenge, carol):
    set_status(challenge, "in_review")
    moment = datetime(2027, 6, 1, 15, 30, tzinfo=UTC)

    with time_machine.travel(moment, tick=False):
        run(challenge, carol, "approve")

    challenge.refresh_from_db()
    assert challenge.status == Challenge.Status.APPROVED
    assert challenge.approved_by == carol
    assert challenge.approved_at == moment


def test_it_refuses_approval_by_the_owner_even_when_an_approver(carol, department):
    own = ChallengeFactory(owner=carol, department=department)
    set_status(own, "in_review")

    with pytest.raises(PermissionDenied) as denied:
        run(own, carol, "approve")

    assert str(denied.value) == APPROVER_ONLY
    own.refresh_from_db()
    assert own.status == Challenge.Status.IN_REVIEW
    assert own.approved_by is None
    assert AuditEntry.objects.count() == 0


def test_the_model_itself_refuses_approval_by_the_owner_or_by_nobody(carol, department):
    own = ChallengeFactory(owner=carol, department=department)
    set_status(own, "in_review")

    for approver in (carol, None):
        with pytest.raises(PermissionDenied):
            own.approve(by=approver)
        assert own.status == Challenge.Status.IN_REVIEW


@pytest.mark.parametrize("persona", ["alice", "bob", "dave", "root"])
def test_it_refuses_approval_by_anyone_but_an_approver(challenge, persona, request):
    set_status(challenge, "in_review")

    with pytest.raises(PermissionDenied):
        run(challenge, request.getfixturevalue(persona), "approve")

    assert_unchanged(challenge, Challenge.Status.IN_REVIEW)


def test_it_refuses_to_approve_a_challenge_not_in_review(co_design_challenge, carol):
    with pytest.raises(TransitionRefused, match="while the challenge is Co-design"):
        run(co_design_challenge, carol, "approve")

    assert_unchanged(co_design_challenge, Challenge.Status.CO_DESIGN)


# publish


@pytest.fixture
def approved_challenge(challenge):
    EngagementActivityFactory(challenge=challenge)
    complete_plan(challenge)  # publication needs a complete evaluation plan
    return set_status(challenge, "approved")


def test_it_publishes_an_approved_challenge(approved_challenge, alice):
    moment = timezone.now().replace(microsecond=0) + timedelta(hours=1)

    with time_machine.travel(moment, tick=False):
        run(approved_challenge, alice, "publish")

    approved_challenge.refresh_from_db()
    assert approved_challenge.status == Challenge.Status.PUBLISHED
    assert approved_challenge.published_at == moment
    assert approved_challenge.is_public


def test_it_refuses_a_timeline_whose_questions_deadline_is_not_before_the_submission_deadline(
    approved_challenge,
):
    # The database refuses such a row, so the guard is asked about the timeline in hand.
    approved_challenge.questions_deadline = approved_challenge.submission_deadline

    assert approved_challenge.publication_problems() == [
        "The questions deadline must come before the submission deadline."
    ]


def test_it_refuses_to_publish_after_the_questions_deadline(approved_challenge, alice):
    with (
        time_machine.travel(approved_challenge.questions_deadline, tick=False),
        pytest.raises(TransitionRefused) as refused,
    ):
        run(approved_challenge, alice, "publish")

    assert refused.value.messages[0] == (
        "The questions deadline has already passed; choose a later one."
    )
    assert_unchanged(approved_challenge, Challenge.Status.APPROVED)


def test_it_refuses_a_submission_deadline_sooner_than_the_minimum_and_names_the_earliest(
    approved_challenge, alice
):
    now = datetime(2027, 6, 1, 13, 59, 30, tzinfo=UTC)
    Challenge.objects.filter(pk=approved_challenge.pk).update(
        questions_deadline=now + timedelta(days=5),
        submission_deadline=now + timedelta(days=13),
    )

    with time_machine.travel(now, tick=False), pytest.raises(TransitionRefused) as refused:
        run(approved_challenge, alice, "publish")

    # 14 days after 13:59:30 UTC, rounded up to the minute, in Atlantic daylight time.
    assert refused.value.messages == [
        "The submission deadline must be at least 14 days away "
        "(no earlier than Jun 15, 2027, 11:00\u202fa.m. ADT)."
    ]
    assert_unchanged(approved_challenge, Challenge.Status.APPROVED)


def test_it_accepts_the_earliest_time_it_names(approved_challenge, alice):
    now = datetime(2027, 6, 1, 13, 59, 30, tzinfo=UTC)
    Challenge.objects.filter(pk=approved_challenge.pk).update(
        questions_deadline=now + timedelta(days=5),
        submission_deadline=datetime(2027, 6, 15, 14, 0, tzinfo=UTC),
    )

    with time_machine.travel(now, tick=False):
        run(approved_challenge, alice, "publish")

    approved_challenge.refresh_from_db()
    assert approved_challenge.status == Challenge.Status.PUBLISHED


def test_it_takes_the_minimum_submission_period_from_the_setting(
    approved_challenge, alice, settings
):
    settings.MINIMUM_SUBMISSION_PERIOD_DAYS = 31

    with pytest.raises(TransitionRefused, match="at least 31 days away"):
        run(approved_challenge, alice, "publish")

    assert_unchanged(approved_challenge, Challenge.Status.APPROVED)


@pytest.fixture
def evaluation_plan_check():
    """A publication check like the one the evaluation app registers."""
    state = {"complete": False}

    def check(challenge):
        if state["complete"]:
            return []
        return ["Complete the evaluation plan: its weights must add up to 100."]

    register_publication_check(check)
    yield state
    unregister_publication_check(check)


def test_a_registered_publication_check_blocks_publication_with_its_message(
    approved_challenge, alice, evaluation_plan_check
):
    with pytest.raises(TransitionRefused) as refused:
        run(approved_challenge, alice, "publish")

    assert refused.value.messages == [
        "Complete the evaluation plan: its weights must add up to 100."
    ]
    assert_unchanged(approved_challenge, Challenge.Status.APPROVED)

    evaluation_plan_check["complete"] = True
    run(approved_challenge, alice, "publish")
    approved_challenge.refresh_from_db()
    assert approved_challenge.status == Challenge.Status.PUBLISHED


@pytest.mark.parametrize("persona", ["bob", "carol", "root"])
def test_it_refuses_publication_by_anyone_but_the_owner(approved_challenge, persona, request):
    with pytest.raises(PermissionDenied, match="Only the challenge's owner"):
        run(approved_challenge, request.getfixturevalue(persona), "publish")

    assert_unchanged(approved_challenge, Challenge.Status.APPROVED)


def test_it_refuses_to_publish_a_challenge_still_in_review(challenge, alice):
    set_status(challenge, "in_review")

    with pytest.raises(TransitionRefused, match="while the challenge is In review"):
        run(challenge, alice, "publish")

    assert_unchanged(challenge, Challenge.Status.IN_REVIEW)


# close


def test_it_refuses_to_close_before_the_submission_deadline(published_challenge, alice):
    deadline = published_challenge.submission_deadline

    with (
        time_machine.travel(deadline - timedelta(microseconds=1), tick=False),
        pytest.raises(TransitionRefused) as refused,
    ):
        run(published_challenge, alice, "close")

    assert refused.value.messages == [
        f"Proposals can be submitted until {format_local(deadline)}; the challenge closes then."
    ]
    assert_unchanged(published_challenge, Challenge.Status.PUBLISHED)


def test_it_closes_at_the_submission_deadline(published_challenge, alice):
    deadline = published_challenge.submission_deadline

    with time_machine.travel(deadline, tick=False):
        run(published_challenge, alice, "close")

    published_challenge.refresh_from_db()
    assert published_challenge.status == Challenge.Status.CLOSED
    assert published_challenge.closed_at == deadline


def test_the_system_may_close_at_the_deadline(published_challenge):
    with time_machine.travel(published_challenge.submission_deadline, tick=False):
        run(published_challenge, None, "close")

    published_challenge.refresh_from_db()
    assert published_challenge.status == Challenge.Status.CLOSED
    assert AuditEntry.objects.get().actor_label == "system"


def test_it_refuses_to_close_while_questions_are_unanswered(published_challenge, alice, dave):
    question = QuestionFactory(challenge=published_challenge, asked_by=dave)

    with time_machine.travel(published_challenge.submission_deadline, tick=False):
        with pytest.raises(TransitionRefused) as refused:
            run(published_challenge, alice, "close")
        assert refused.value.messages == ["Answer or dismiss the 1 open question before closing."]
        assert_unchanged(published_challenge, Challenge.Status.PUBLISHED)

        services.question_dismiss(question=question, actor=alice, reason="Out of scope.")
        run(published_challenge, alice, "close")

    published_challenge.refresh_from_db()
    assert published_challenge.status == Challenge.Status.CLOSED


def test_it_refuses_closing_by_another_staff_member(published_challenge, bob):
    with (
        time_machine.travel(published_challenge.submission_deadline, tick=False),
        pytest.raises(PermissionDenied),
    ):
        run(published_challenge, bob, "close")

    assert_unchanged(published_challenge, Challenge.Status.PUBLISHED)


def test_it_refuses_to_close_a_challenge_that_is_not_open(challenge, alice):
    set_status(challenge, "approved")

    with (
        time_machine.travel(challenge.submission_deadline, tick=False),
        pytest.raises(TransitionRefused, match="while the challenge is Approved"),
    ):
        run(challenge, alice, "close")

    assert_unchanged(challenge, Challenge.Status.APPROVED)


# start_evaluation; award and end_without_award follow from the award, never from the challenge


def test_it_starts_the_evaluation_for_the_owner(challenge, alice):
    set_status(challenge, "closed")

    run(challenge, alice, "start_evaluation")

    challenge.refresh_from_db()
    assert challenge.status == Challenge.Status.EVALUATING


@pytest.mark.parametrize("persona", ["bob", "carol", "root"])
def test_it_refuses_to_start_the_evaluation_for_anyone_but_the_owner(challenge, persona, request):
    set_status(challenge, "closed")

    with pytest.raises(PermissionDenied, match="Only the challenge's owner"):
        run(challenge, request.getfixturevalue(persona), "start_evaluation")

    assert_unchanged(challenge, "closed")


@pytest.mark.parametrize("name", ["award", "end_without_award"])
def test_the_owner_cannot_award_or_end_the_challenge_by_its_own_step(challenge, alice, name):
    set_status(challenge, "evaluating")

    with pytest.raises(TransitionRefused, match="award page"):
        run(challenge, alice, name, reason="We chose Acme.")

    assert name not in allowed_transitions(challenge, alice)
    assert_unchanged(challenge, Challenge.Status.EVALUATING)


@pytest.mark.parametrize("name", ["award", "end_without_award"])
@pytest.mark.parametrize("persona", ["bob", "carol", "root"])
def test_nobody_else_may_award_or_end_the_challenge_either(challenge, name, persona, request):
    set_status(challenge, "evaluating")

    with pytest.raises(PermissionDenied, match="This step follows from the award"):
        run(challenge, request.getfixturevalue(persona), name, reason="Because.")

    assert_unchanged(challenge, "evaluating")


@pytest.mark.parametrize(
    ("name", "wrong_state"),
    [
        ("start_evaluation", "published"),
        ("award", "closed"),
        ("end_without_award", "closed"),
        ("award", "not_awarded"),
    ],
)
def test_it_refuses_the_later_steps_from_the_wrong_state(challenge, alice, name, wrong_state):
    set_status(challenge, wrong_state)

    with pytest.raises(TransitionRefused, match="This step is not possible while the challenge"):
        run(challenge, alice, name, reason="Because.")

    assert_unchanged(challenge, wrong_state)


# cancel


@pytest.mark.parametrize("state", Challenge.CANCELLABLE_STATES)
def test_it_cancels_from_every_cancellable_state_with_the_reason(challenge, alice, state):
    set_status(challenge, state)

    run(challenge, alice, "cancel", reason="The council withdrew the funding.")

    challenge.refresh_from_db()
    assert challenge.status == Challenge.Status.CANCELLED
    assert challenge.cancellation_reason == "The council withdrew the funding."


def test_it_refuses_to_cancel_without_a_reason(published_challenge, alice):
    with pytest.raises(InvalidInput, match="Give a reason for cancelling."):
        run(published_challenge, alice, "cancel", reason=" ")

    assert_unchanged(published_challenge, Challenge.Status.PUBLISHED)


@pytest.mark.parametrize("state", ["awarded", "not_awarded", "cancelled"])
def test_it_refuses_to_cancel_once_decided(challenge, alice, state):
    set_status(challenge, state)

    with pytest.raises(TransitionRefused) as refused:
        run(challenge, alice, "cancel", reason="Too late.")

    assert refused.value.messages[0].startswith("This step is not possible while the challenge is")
    assert_unchanged(challenge, state)


def test_it_refuses_cancelling_by_another_staff_member(published_challenge, bob):
    with pytest.raises(PermissionDenied):
        run(published_challenge, bob, "cancel", reason="Mine now.")

    assert_unchanged(published_challenge, Challenge.Status.PUBLISHED)


# CommunityInput: publish / reject


@pytest.fixture
def community_input(co_design_challenge, rita):
    return CommunityInputFactory(challenge=co_design_challenge, author=rita)


def test_the_owner_publishes_community_input(community_input, alice):
    services.community_input_moderate(community_input=community_input, actor=alice, publish=True)

    community_input.refresh_from_db()
    assert community_input.status == CommunityInput.Status.PUBLISHED


def test_it_refuses_to_publish_input_the_resident_did_not_agree_to_publish(
    co_design_challenge, alice
):
    private = CommunityInputFactory(challenge=co_design_challenge, consent_to_publish=False)

    with pytest.raises(TransitionRefused, match="did not agree to publish this input"):
        services.community_input_moderate(community_input=private, actor=alice, publish=True)

    private.refresh_from_db()
    assert private.status == CommunityInput.Status.PENDING
    assert AuditEntry.objects.count() == 0
    services.community_input_moderate(
        community_input=private, actor=alice, publish=False, reason="Kept for the city's eyes."
    )
    private.refresh_from_db()
    assert private.status == CommunityInput.Status.REJECTED


def test_the_owner_rejects_community_input_with_a_reason(community_input, alice):
    services.community_input_moderate(
        community_input=community_input, actor=alice, publish=False, reason="Personal details."
    )

    community_input.refresh_from_db()
    assert community_input.status == CommunityInput.Status.REJECTED
    assert community_input.moderation_reason == "Personal details."


def test_it_refuses_to_reject_community_input_without_a_reason(community_input, alice):
    with pytest.raises(InvalidInput, match="Give a reason for not publishing this input."):
        services.community_input_moderate(
            community_input=community_input, actor=alice, publish=False
        )

    community_input.refresh_from_db()
    assert community_input.status == CommunityInput.Status.PENDING
    assert AuditEntry.objects.count() == 0


@pytest.mark.parametrize("persona", ["bob", "carol", "rita", "root"])
def test_it_refuses_moderation_by_anyone_but_the_owner(community_input, persona, request):
    with pytest.raises(PermissionDenied) as denied:
        services.community_input_moderate(
            community_input=community_input,
            actor=request.getfixturevalue(persona),
            publish=True,
        )

    assert str(denied.value) == "Only the challenge's owner moderates its community input."
    community_input.refresh_from_db()
    assert community_input.status == CommunityInput.Status.PENDING


def test_it_refuses_to_moderate_input_twice(community_input, alice):
    services.community_input_moderate(community_input=community_input, actor=alice, publish=True)

    with pytest.raises(TransitionRefused, match="while the community input is Published"):
        services.community_input_moderate(
            community_input=community_input, actor=alice, publish=False, reason="Changed my mind."
        )

    community_input.refresh_from_db()
    assert community_input.status == CommunityInput.Status.PUBLISHED


# Question: publish_answer / dismiss


@pytest.fixture
def question(published_challenge, dave):
    return QuestionFactory(challenge=published_challenge, asked_by=dave)


def test_the_owner_publishes_an_answer(question, alice):
    moment = timezone.now().replace(microsecond=0)

    with time_machine.travel(moment, tick=False):
        services.question_answer(question=question, actor=alice, answer="  Yes, via the API.  ")

    question.refresh_from_db()
    assert question.status == Question.Status.ANSWERED
    assert question.answer == "Yes, via the API."
    assert question.answered_by == alice
    assert question.answered_at == moment


@pytest.mark.parametrize("answer", ["", "  "])
def test_it_refuses_an_empty_answer(question, alice, answer):
    with pytest.raises(InvalidInput) as invalid:
        services.question_answer(question=question, actor=alice, answer=answer)

    assert invalid.value.messages == ["Write the answer before publishing it."]
    assert invalid.value.field_errors == {
        "answer_en": ["Answer: write it in English, in French or in both."]
    }
    question.refresh_from_db()
    assert question.status == Question.Status.SUBMITTED
    assert question.answer == ""


def test_the_owner_dismisses_a_question_with_a_reason(question, alice):
    services.question_dismiss(question=question, actor=alice, reason="Already answered.")

    question.refresh_from_db()
    assert question.status == Question.Status.DISMISSED
    assert question.dismissal_reason == "Already answered."
    assert question.answered_by == alice


def test_it_refuses_to_dismiss_without_a_reason(question, alice):
    with pytest.raises(InvalidInput, match="Give a reason for dismissing the question."):
        services.question_dismiss(question=question, actor=alice, reason="")

    question.refresh_from_db()
    assert question.status == Question.Status.SUBMITTED


@pytest.mark.parametrize("persona", ["bob", "carol", "dave", "root"])
def test_it_refuses_answers_from_anyone_but_the_owner(question, persona, request):
    with pytest.raises(PermissionDenied, match="Only the challenge's owner answers"):
        services.question_answer(
            question=question, actor=request.getfixturevalue(persona), answer="Sure."
        )

    question.refresh_from_db()
    assert question.status == Question.Status.SUBMITTED


def test_it_refuses_to_answer_a_dismissed_question(question, alice):
    services.question_dismiss(question=question, actor=alice, reason="Duplicate.")

    with pytest.raises(TransitionRefused, match="while the question is Dismissed"):
        services.question_answer(question=question, actor=alice, answer="After all, yes.")

    question.refresh_from_db()
    assert question.status == Question.Status.DISMISSED
    assert question.answer == ""


# Addendum: issue


def test_it_numbers_addenda_one_two_three_per_challenge(published_challenge, alice, department):
    other = ChallengeFactory(owner=alice, department=department)
    set_status(other, "published")

    numbers = [
        services.addendum_issue(
            addendum=AddendumFactory(challenge=published_challenge), actor=alice
        ).number
        for _ in range(3)
    ]
    first_of_other = services.addendum_issue(addendum=AddendumFactory(challenge=other), actor=alice)

    assert numbers == [1, 2, 3]
    assert first_of_other.number == 1
    assert list(
        Addendum.objects.filter(challenge=published_challenge).values_list("number", "status")
    ) == [(1, "issued"), (2, "issued"), (3, "issued")]


def test_it_applies_an_addendums_new_deadlines_to_the_challenge(published_challenge, alice):
    new_questions = published_challenge.questions_deadline + timedelta(days=3)
    new_submission = published_challenge.submission_deadline + timedelta(days=7)
    addendum = AddendumFactory(
        challenge=published_challenge,
        new_questions_deadline=new_questions,
        new_submission_deadline=new_submission,
    )
    moment = timezone.now().replace(microsecond=0)

    with time_machine.travel(moment, tick=False):
        services.addendum_issue(addendum=addendum, actor=alice)

    addendum.refresh_from_db()
    assert addendum.status == Addendum.Status.ISSUED
    assert addendum.issued_at == moment
    published_challenge.refresh_from_db()
    assert published_challenge.questions_deadline == new_questions
    assert published_challenge.submission_deadline == new_submission


def test_a_material_addendum_must_keep_the_submission_deadline_the_minimum_away(
    published_challenge, alice
):
    original = published_challenge.submission_deadline
    addendum = AddendumFactory(
        challenge=published_challenge,
        new_submission_deadline=timezone.now() + timedelta(days=13),
    )

    with pytest.raises(TransitionRefused) as refused:
        services.addendum_issue(addendum=addendum, actor=alice)

    assert len(refused.value.messages) == 1
    assert refused.value.messages[0].startswith(
        "The submission deadline must be at least 14 days away (no earlier than "
    )
    addendum.refresh_from_db()
    assert addendum.status == Addendum.Status.DRAFT
    assert addendum.number is None
    published_challenge.refresh_from_db()
    assert published_challenge.submission_deadline == original


def test_a_change_of_terms_close_to_the_deadline_needs_a_later_deadline(published_challenge, alice):
    addendum = AddendumFactory(challenge=published_challenge, changes_terms=True)

    with (
        time_machine.travel(published_challenge.submission_deadline - timedelta(days=10)),
        pytest.raises(TransitionRefused, match="at least 14 days away"),
    ):
        services.addendum_issue(addendum=addendum, actor=alice)

    addendum.refresh_from_db()
    assert addendum.status == Addendum.Status.DRAFT


def test_a_clarification_close_to_the_deadline_may_be_issued(published_challenge, alice):
    addendum = AddendumFactory(challenge=published_challenge)

    with time_machine.travel(published_challenge.submission_deadline - timedelta(days=2)):
        services.addendum_issue(addendum=addendum, actor=alice)

    addendum.refresh_from_db()
    assert addendum.status == Addendum.Status.ISSUED
    assert addendum.number == 1


def test_it_refuses_a_new_questions_deadline_after_the_submission_deadline(
    published_challenge, alice
):
    addendum = AddendumFactory(
        challenge=published_challenge,
        new_questions_deadline=published_challenge.submission_deadline + timedelta(hours=1),
    )

    with pytest.raises(TransitionRefused) as refused:
        services.addendum_issue(addendum=addendum, actor=alice)

    assert refused.value.messages == [
        "The questions deadline must come before the submission deadline."
    ]
    addendum.refresh_from_db()
    assert addendum.status == Addendum.Status.DRAFT


@pytest.mark.parametrize("state", ["approved", "closed", "cancelled"])
def test_it_refuses_to_issue_an_addendum_when_the_challenge_is_not_open(
    published_challenge, alice, state
):
    addendum = AddendumFactory(challenge=published_challenge)
    set_status(published_challenge, state)

    with pytest.raises(TransitionRefused) as refused:
        services.addendum_issue(addendum=addendum, actor=alice)

    assert refused.value.messages == [
        "Addenda can be issued only while the challenge is open for proposals."
    ]
    addendum.refresh_from_db()
    assert addendum.status == Addendum.Status.DRAFT


@pytest.mark.parametrize("persona", ["bob", "carol", "root"])
def test_it_refuses_to_issue_an_addendum_for_anyone_but_the_owner(
    published_challenge, persona, request
):
    addendum = AddendumFactory(challenge=published_challenge)

    with pytest.raises(PermissionDenied, match="Only the challenge's owner issues its addenda."):
        services.addendum_issue(addendum=addendum, actor=request.getfixturevalue(persona))

    addendum.refresh_from_db()
    assert addendum.status == Addendum.Status.DRAFT


def test_it_refuses_to_issue_an_addendum_twice(published_challenge, alice):
    addendum = services.addendum_issue(
        addendum=AddendumFactory(challenge=published_challenge), actor=alice
    )

    with pytest.raises(TransitionRefused, match="while the addendum is Issued"):
        services.addendum_issue(addendum=addendum, actor=alice)

    addendum.refresh_from_db()
    assert addendum.number == 1


@pytest.fixture
def addendum_signals():
    received = []

    def receiver(sender, addendum, **kwargs):
        received.append(addendum.pk)

    addendum_issued.connect(receiver, dispatch_uid="test_addendum_issued")
    yield received
    addendum_issued.disconnect(dispatch_uid="test_addendum_issued")


def test_it_tells_other_apps_about_an_addendum_only_once_committed(
    published_challenge, alice, addendum_signals, django_capture_on_commit_callbacks
):
    addendum = AddendumFactory(challenge=published_challenge, changes_terms=True)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.addendum_issue(addendum=addendum, actor=alice)
    assert addendum_signals == []

    for callback in callbacks:
        callback()
    assert addendum_signals == [addendum.pk]


def test_it_sends_nothing_for_a_refused_addendum(
    published_challenge, alice, addendum_signals, django_capture_on_commit_callbacks
):
    addendum = AddendumFactory(
        challenge=published_challenge, new_submission_deadline=timezone.now() + timedelta(days=1)
    )

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(TransitionRefused),
    ):
        services.addendum_issue(addendum=addendum, actor=alice)

    assert callbacks == []
    assert addendum_signals == []
