"""Every transition endpoint: allowed (200), refused in this state (409 with what is allowed),
not permitted (403). A refused step changes nothing and leaves no audit entry."""

from datetime import timedelta

import pytest
from django.utils import timezone

from challenges.models import Addendum, CommunityInput, Question
from core.models import AuditEntry
from tests.factories import (
    AddendumFactory,
    CommunityInputFactory,
    EngagementActivityFactory,
    QuestionFactory,
    complete_governance,
    complete_plan,
    set_status,
)


def _post(client, url, body=None):
    return client.post(url, body or {}, format="json")


def _challenge_url(challenge, name):
    return f"/api/challenges/{challenge.reference}/{name}/"


def _audit_entries(obj, name):
    return AuditEntry.objects.filter(object_id=str(obj.pk), transition=name)


def _past_deadlines():
    now = timezone.now()
    return {
        "questions_deadline": now - timedelta(days=3),
        "submission_deadline": now - timedelta(minutes=1),
    }


# name, state before, extra fields, actor, body, state after
ALLOWED = [
    ("open_co_design", "draft", {}, "alice", {}, "co_design"),
    ("submit_for_review", "co_design", {}, "alice", {}, "in_review"),
    ("request_changes", "in_review", {}, "carol", {"reason": "Name the budget source."}, "draft"),
    ("approve", "in_review", {}, "carol", {}, "approved"),
    ("publish", "approved", {}, "alice", {}, "published"),
    ("close", "published", "past", "alice", {}, "closed"),
    ("start_evaluation", "closed", {}, "alice", {}, "evaluating"),
    ("cancel", "draft", {}, "alice", {"reason": "Funding withdrawn."}, "cancelled"),
]  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "before", "fields", "actor", "body", "after"),
    ALLOWED,
    ids=[case[0] for case in ALLOWED],
)
def test_it_runs_each_challenge_transition_for_whoever_may(
    request, api_as, challenge, name, before, fields, actor, body, after
):
    EngagementActivityFactory(challenge=challenge)
    complete_governance(challenge)  # review needs a complete data governance record
    complete_plan(challenge)  # publication needs a complete evaluation plan
    set_status(challenge, before, **(_past_deadlines() if fields == "past" else fields))
    user = request.getfixturevalue(actor)

    response = _post(api_as(user), _challenge_url(challenge, name), body)

    assert response.status_code == 200, response.content
    data = response.json()
    assert data["reference"] == challenge.reference
    assert data["status"] == after
    assert isinstance(data["allowed_transitions"], list)
    challenge.refresh_from_db()
    assert challenge.status == after
    entry = _audit_entries(challenge, name).get()
    assert (entry.source, entry.target, entry.actor_id) == (before, after, user.pk)
    assert entry.reason == body.get("reason", "")


@pytest.mark.django_db
def test_it_records_the_reasons_a_transition_takes(api_as, carol, challenge):
    set_status(challenge, "in_review")

    response = _post(
        api_as(carol),
        _challenge_url(challenge, "request_changes"),
        {"reason": "Name the budget source."},
    )

    assert response.status_code == 200
    assert response.json()["changes_requested_reason"] == "Name the budget source."
    challenge.refresh_from_db()
    assert challenge.changes_requested_reason == "Name the budget source."


# name, state where it cannot run, extra fields, actor, body, a step the actor may take instead
REFUSED = [
    ("open_co_design", "in_review", {}, "alice", {}, "cancel"),
    ("submit_for_review", "draft", "no_activity", "alice", {}, "open_co_design"),
    ("request_changes", "draft", {}, "carol", {"reason": "Too vague."}, None),
    ("approve", "approved", {}, "carol", {}, None),
    ("publish", "approved", "too_soon", "alice", {}, "cancel"),
    ("close", "published", {}, "alice", {}, "cancel"),
    ("start_evaluation", "published", {}, "alice", {}, "cancel"),
    ("award", "closed", {}, "alice", {}, "start_evaluation"),
    ("end_without_award", "published", {}, "alice", {"reason": "None good."}, "cancel"),
    ("cancel", "awarded", {}, "alice", {"reason": "Too late."}, None),
]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "state", "fields", "actor", "body", "instead"),
    REFUSED,
    ids=[case[0] for case in REFUSED],
)
def test_it_refuses_each_challenge_transition_in_the_wrong_state(
    request, api_as, challenge, name, state, fields, actor, body, instead
):
    if fields != "no_activity":
        EngagementActivityFactory(challenge=challenge)
    extra = {}
    if fields == "too_soon":
        now = timezone.now()
        extra = {
            "questions_deadline": now + timedelta(days=1),
            "submission_deadline": now + timedelta(days=3),
        }
    set_status(challenge, state, **extra)
    user = request.getfixturevalue(actor)

    response = _post(api_as(user), _challenge_url(challenge, name), body)

    assert response.status_code == 409, response.content
    data = response.json()
    assert data["detail"]
    assert data["errors"]
    assert name not in data["allowed_transitions"]
    if instead:
        assert instead in data["allowed_transitions"]
    challenge.refresh_from_db()
    assert challenge.status == state
    assert not _audit_entries(challenge, name).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "body"), [("award", {}), ("end_without_award", {"reason": "None fit."})]
)
def test_the_owner_cannot_award_or_end_a_challenge_through_the_challenge(
    api_as, alice, challenge, name, body
):
    """Awarded and not awarded follow from the award (a final award; ending it on the award),
    never from the challenge's own steps."""
    set_status(challenge, "evaluating")
    client = api_as(alice)

    offered = client.get(f"/api/challenges/{challenge.reference}/").json()["allowed_transitions"]
    response = _post(client, _challenge_url(challenge, name), body)

    assert offered == ["cancel"]
    assert response.status_code == 409, response.content
    data = response.json()
    assert "award page" in data["detail"]
    assert data["allowed_transitions"] == ["cancel"]
    challenge.refresh_from_db()
    assert challenge.status == "evaluating"
    assert not AuditEntry.objects.exists()


@pytest.mark.django_db
def test_it_explains_what_is_missing_before_review(api_as, alice, challenge):
    set_status(challenge, "co_design")

    response = _post(api_as(alice), _challenge_url(challenge, "submit_for_review"))

    assert response.status_code == 409
    assert "engagement activit" in response.json()["detail"]
    assert response.json()["allowed_transitions"] == ["cancel"]


# name, state, who may not
FORBIDDEN = [
    ("open_co_design", "draft", "bob"),
    ("submit_for_review", "co_design", "carol"),
    ("request_changes", "in_review", "alice"),
    ("approve", "in_review", "alice"),
    ("approve", "in_review", "root"),
    ("publish", "approved", "bob"),
    ("close", "published", "dave"),
    ("start_evaluation", "closed", "carol"),
    ("award", "evaluating", "root"),
    ("end_without_award", "evaluating", "bob"),
    ("cancel", "published", "rita"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "state", "actor"), FORBIDDEN, ids=[f"{n} by {a}" for n, _s, a in FORBIDDEN]
)
def test_it_forbids_each_challenge_transition_to_the_wrong_role(
    request, api_as, challenge, name, state, actor
):
    EngagementActivityFactory(challenge=challenge)
    set_status(challenge, state, **(_past_deadlines() if state == "published" else {}))

    response = _post(
        api_as(request.getfixturevalue(actor)),
        _challenge_url(challenge, name),
        {"reason": "Because."},
    )

    assert response.status_code == 403, response.content
    assert response.json()["detail"]
    challenge.refresh_from_db()
    assert challenge.status == state
    assert not _audit_entries(challenge, name).exists()


@pytest.mark.django_db
def test_it_refuses_an_anonymous_transition(api_client, challenge):
    response = _post(api_client, _challenge_url(challenge, "open_co_design"))

    assert response.status_code == 403
    challenge.refresh_from_db()
    assert challenge.status == "draft"


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["request_changes", "cancel"])
def test_it_asks_for_the_reason_a_transition_needs(request, api_as, challenge, name):
    state = {"request_changes": "in_review"}.get(name, "draft")
    set_status(challenge, state)
    actor = request.getfixturevalue("carol" if name == "request_changes" else "alice")

    response = _post(api_as(actor), _challenge_url(challenge, name), {"reason": ""})

    assert response.status_code == 400
    assert "reason" in response.json()
    challenge.refresh_from_db()
    assert challenge.status == state
    assert not _audit_entries(challenge, name).exists()


@pytest.mark.django_db
def test_it_shows_the_requesting_users_allowed_transitions(api_as, alice, carol, challenge):
    set_status(challenge, "in_review")
    url = f"/api/challenges/{challenge.reference}/"

    as_owner = api_as(alice).get(url).json()["allowed_transitions"]
    as_approver = api_as(carol).get(url).json()["allowed_transitions"]

    assert as_owner == ["cancel"]
    assert sorted(as_approver) == ["approve", "request_changes"]


# Rows that hang off a challenge


@pytest.fixture
def pending_input(co_design_challenge, rita):
    return CommunityInputFactory(challenge=co_design_challenge, author=rita)


@pytest.mark.django_db
def test_it_publishes_community_input(api_as, alice, pending_input):
    response = _post(api_as(alice), f"/api/community-input/{pending_input.pk}/publish/")

    assert response.status_code == 200
    assert response.json()["status"] == "published"
    pending_input.refresh_from_db()
    assert pending_input.status == CommunityInput.Status.PUBLISHED
    assert _audit_entries(pending_input, "publish").count() == 1


@pytest.mark.django_db
def test_it_rejects_community_input_with_a_reason(api_as, alice, pending_input):
    response = _post(
        api_as(alice),
        f"/api/community-input/{pending_input.pk}/reject/",
        {"reason": "It names a neighbour."},
    )

    assert response.status_code == 200
    assert response.json()["status"] == "rejected"
    pending_input.refresh_from_db()
    assert pending_input.status == CommunityInput.Status.REJECTED
    assert pending_input.moderation_reason == "It names a neighbour."


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "state"), [("publish", "rejected"), ("reject", "published")])
def test_it_refuses_to_moderate_input_twice(api_as, alice, pending_input, name, state):
    set_status(pending_input, state)

    response = _post(
        api_as(alice), f"/api/community-input/{pending_input.pk}/{name}/", {"reason": "Again."}
    )

    assert response.status_code == 409
    assert response.json()["allowed_transitions"] == []
    pending_input.refresh_from_db()
    assert pending_input.status == state
    assert not _audit_entries(pending_input, name).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["publish", "reject"])
def test_it_lets_only_the_owner_moderate_input(api_as, bob, pending_input, name):
    response = _post(
        api_as(bob), f"/api/community-input/{pending_input.pk}/{name}/", {"reason": "No."}
    )

    assert response.status_code == 403
    pending_input.refresh_from_db()
    assert pending_input.status == CommunityInput.Status.PENDING


@pytest.fixture
def question(published_challenge, erin):
    return QuestionFactory(challenge=published_challenge, asked_by=erin)


@pytest.mark.django_db
def test_it_publishes_an_answer(api_as, alice, question):
    response = _post(
        api_as(alice),
        f"/api/questions/{question.pk}/publish_answer/",
        {"answer": "Yes, through the utility's open API."},
    )

    assert response.status_code == 200
    assert response.json()["answer"] == "Yes, through the utility's open API."
    assert response.json()["asked_by"] == "erin"  # the owner is staff
    question.refresh_from_db()
    assert question.status == Question.Status.ANSWERED
    assert question.answered_by == question.challenge.owner
    assert _audit_entries(question, "publish_answer").count() == 1


@pytest.mark.django_db
def test_it_dismisses_a_question_with_a_reason(api_as, alice, question):
    response = _post(
        api_as(alice), f"/api/questions/{question.pk}/dismiss/", {"reason": "Off topic."}
    )

    assert response.status_code == 200
    question.refresh_from_db()
    assert question.status == Question.Status.DISMISSED
    assert question.dismissal_reason == "Off topic."


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "body"), [("publish_answer", {"answer": "Again."}), ("dismiss", {"reason": "Again."})]
)
def test_it_refuses_to_settle_a_question_twice(api_as, alice, question, name, body):
    set_status(question, "answered", answer="First answer.")

    response = _post(api_as(alice), f"/api/questions/{question.pk}/{name}/", body)

    assert response.status_code == 409
    assert response.json()["allowed_transitions"] == []
    question.refresh_from_db()
    assert (question.status, question.answer) == ("answered", "First answer.")


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["publish_answer", "dismiss"])
def test_it_lets_only_the_owner_settle_a_question(api_as, carol, question, name):
    response = _post(
        api_as(carol), f"/api/questions/{question.pk}/{name}/", {"answer": "x", "reason": "x"}
    )

    assert response.status_code == 403
    question.refresh_from_db()
    assert question.status == Question.Status.SUBMITTED


@pytest.mark.django_db
def test_it_asks_for_the_answer_before_publishing_it(api_as, alice, question):
    response = _post(api_as(alice), f"/api/questions/{question.pk}/publish_answer/", {})

    assert response.status_code == 400
    assert response.json()["answer_en"] == ["Answer: write it in English, in French or in both."]
    question.refresh_from_db()
    assert question.status == Question.Status.SUBMITTED


@pytest.fixture
def draft_addendum(published_challenge):
    return AddendumFactory(challenge=published_challenge)


@pytest.mark.django_db
def test_it_issues_an_addendum_with_the_next_number(api_as, alice, draft_addendum):
    response = _post(api_as(alice), f"/api/addenda/{draft_addendum.pk}/issue/")

    assert response.status_code == 200
    assert response.json()["number"] == 1
    draft_addendum.refresh_from_db()
    assert draft_addendum.status == Addendum.Status.ISSUED
    assert draft_addendum.number == 1
    assert _audit_entries(draft_addendum, "issue").count() == 1


@pytest.mark.django_db
def test_it_refuses_an_addendum_once_the_challenge_closed(api_as, alice, draft_addendum):
    set_status(draft_addendum.challenge, "closed", **_past_deadlines())

    response = _post(api_as(alice), f"/api/addenda/{draft_addendum.pk}/issue/")

    assert response.status_code == 409
    assert "open for proposals" in response.json()["detail"]
    draft_addendum.refresh_from_db()
    assert draft_addendum.status == Addendum.Status.DRAFT
    assert draft_addendum.number is None


@pytest.mark.django_db
def test_it_lets_only_the_owner_issue_an_addendum(api_as, bob, draft_addendum):
    response = _post(api_as(bob), f"/api/addenda/{draft_addendum.pk}/issue/")

    assert response.status_code == 403
    draft_addendum.refresh_from_db()
    assert draft_addendum.status == Addendum.Status.DRAFT
