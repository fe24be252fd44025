"""The award through the API (DESIGN.md §3 Award, §6): recommend, four-eyes approval, result
letters, standstill, final; debrief requests; who sees and who may act (404, 403, 409)."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.models import Group

from procurement.models import Award, DebriefRequest
from procurement.services import award as services
from tests.procurement.award_fixtures import *  # noqa: F403  (fixtures)


def url(challenge, step=""):
    base = f"/api/awards/{challenge.reference}/"
    return f"{base}{step}/" if step else base


@pytest.fixture
def recommended(decided, frank):
    return services.award_recommend(evaluation=decided.evaluation, actor=frank)


@pytest.fixture
def approved(recommended, carol):
    return services.award_approve(award=recommended, actor=carol)


@pytest.fixture
def standstill(approved, alice):
    return services.award_notify(award=approved, actor=alice)


# Recommending ------------------------------------------------------------------------------------


def test_the_chair_recommends_the_top_ranked_proposal(decided, frank, api_as):
    response = api_as(frank).post(
        "/api/awards/", {"challenge": decided.challenge.reference}, format="json"
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "recommended"
    assert body["proposal"] == str(decided.acme.public_id)
    award = Award.objects.get()
    assert award.recommended_by == frank
    assert award.proposal_id == decided.acme.pk


def test_it_refuses_a_recommendation_from_an_evaluator_who_is_not_the_chair(decided, grace, api_as):
    response = api_as(grace).post(
        "/api/awards/", {"challenge": decided.challenge.reference}, format="json"
    )

    assert response.status_code == 403
    assert not Award.objects.exists()


def test_a_lower_ranked_recommendation_without_a_reason_is_bad_input(decided, alice, api_as):
    response = api_as(alice).post(
        "/api/awards/",
        {"challenge": decided.challenge.reference, "proposal": str(decided.globex.public_id)},
        format="json",
    )

    assert response.status_code == 400
    assert "reason" in response.json()
    assert not Award.objects.exists()


def test_it_refuses_a_recommendation_before_the_decision_with_409(ranked, frank, api_as):
    response = api_as(frank).post(
        "/api/awards/", {"challenge": ranked.challenge.reference}, format="json"
    )

    assert response.status_code == 409
    assert "decided" in response.json()["detail"]
    assert not Award.objects.exists()


def test_vendors_cannot_find_the_evaluation_to_recommend_from(decided, dave, api_as):
    response = api_as(dave).post(
        "/api/awards/", {"challenge": decided.challenge.reference}, format="json"
    )

    assert response.status_code == 404
    assert not Award.objects.exists()


# Four eyes ---------------------------------------------------------------------------------------


def test_another_approver_approves(recommended, carol, api_as):
    response = api_as(carol).post(url(recommended.challenge, "approve"), {}, format="json")

    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "approved"
    recommended.refresh_from_db()
    assert recommended.status == Award.Status.APPROVED
    assert recommended.approved_by == carol


def test_it_refuses_approval_by_the_recommender_even_an_approver(decided, alice, api_as):
    alice.groups.add(Group.objects.get(name="approver"))
    award = services.award_recommend(evaluation=decided.evaluation, actor=alice)

    response = api_as(alice).post(url(award.challenge, "approve"), {}, format="json")

    assert response.status_code == 403
    assert "did not recommend" in response.json()["detail"]
    award.refresh_from_db()
    assert award.status == Award.Status.RECOMMENDED
    assert award.approved_by is None


def test_the_recommender_is_not_offered_approval(decided, alice, api_as):
    alice.groups.add(Group.objects.get(name="approver"))
    services.award_recommend(evaluation=decided.evaluation, actor=alice)

    response = api_as(alice).get(url(decided.challenge))

    assert response.status_code == 200
    assert "approve" not in response.json()["allowed_transitions"]


def test_rejecting_needs_a_reason_and_keeps_it(recommended, carol, api_as):
    client = api_as(carol)
    missing = client.post(url(recommended.challenge, "reject"), {}, format="json")
    assert missing.status_code == 400
    recommended.refresh_from_db()
    assert recommended.status == Award.Status.RECOMMENDED

    response = client.post(
        url(recommended.challenge, "reject"), {"reason": "Check the references."}, format="json"
    )

    assert response.status_code == 200
    recommended.refresh_from_db()
    assert recommended.status == Award.Status.REJECTED
    assert recommended.rejection_reason == "Check the references."


def test_approving_twice_is_refused_with_the_allowed_steps(approved, api_as, carol):
    response = api_as(carol).post(url(approved.challenge, "approve"), {}, format="json")

    assert response.status_code == 409
    assert response.json()["allowed_transitions"] == []
    approved.refresh_from_db()
    assert approved.status == Award.Status.APPROVED


# Notifying, standstill, final --------------------------------------------------------------------


def test_the_owner_notifies_and_the_standstill_starts(approved, alice, api_as):
    response = api_as(alice).post(url(approved.challenge, "notify"), {}, format="json")

    assert response.status_code == 200
    assert response.json()["status"] == "standstill"
    approved.refresh_from_db()
    assert approved.status == Award.Status.STANDSTILL
    assert approved.standstill_ends_at is not None


def test_it_refuses_notifying_by_an_approver_who_does_not_own_the_challenge(
    approved, carol, api_as
):
    response = api_as(carol).post(url(approved.challenge, "notify"), {}, format="json")

    assert response.status_code == 403
    approved.refresh_from_db()
    assert approved.status == Award.Status.APPROVED


def test_it_refuses_to_finalise_before_the_standstill_ends(standstill, alice, api_as):
    standstill.refresh_from_db()
    end = standstill.standstill_ends_at

    with time_machine.travel(end - timedelta(microseconds=1), tick=False):
        response = api_as(alice).post(url(standstill.challenge, "finalise"), {}, format="json")

    assert response.status_code == 409
    assert "standstill period runs until" in response.json()["detail"]
    standstill.refresh_from_db()
    assert standstill.status == Award.Status.STANDSTILL
    assert standstill.challenge.status == "evaluating"


def test_after_the_standstill_the_owner_finalises(standstill, alice, api_as):
    standstill.refresh_from_db()

    with time_machine.travel(standstill.standstill_ends_at, tick=False):
        response = api_as(alice).post(url(standstill.challenge, "finalise"), {}, format="json")

    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "final"
    standstill.refresh_from_db()
    assert standstill.status == Award.Status.FINAL
    assert standstill.challenge.status == "awarded"


# Debriefs ----------------------------------------------------------------------------------------


def test_a_vendor_that_lost_requests_a_debrief_once(standstill, erin, decided, api_as):
    client = api_as(erin)
    response = client.post(
        url(standstill.challenge, "debrief-request"), {"message": "Why?"}, format="json"
    )

    assert response.status_code == 201, response.json()
    assert response.json()["proposal"] == str(decided.globex.public_id)
    request = DebriefRequest.objects.get()
    assert request.requested_by == erin
    assert request.message == "Why?"

    again = client.post(url(standstill.challenge, "debrief-request"), {}, format="json")
    assert again.status_code == 400
    assert DebriefRequest.objects.count() == 1


def test_it_refuses_a_debrief_after_the_standstill(standstill, erin, api_as):
    standstill.refresh_from_db()

    with time_machine.travel(standstill.standstill_ends_at, tick=False):
        response = api_as(erin).post(
            url(standstill.challenge, "debrief-request"), {}, format="json"
        )

    assert response.status_code == 409
    assert not DebriefRequest.objects.exists()


def test_staff_cannot_request_a_debrief(standstill, alice, api_as):
    response = api_as(alice).post(url(standstill.challenge, "debrief-request"), {}, format="json")

    assert response.status_code == 403
    assert not DebriefRequest.objects.exists()


# Who sees the award and who may act --------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "before_letters", "after_letters"),
    [
        ("alice", 200, 200),  # the owner
        ("bob", 200, 200),  # other staff
        ("carol", 200, 200),  # the approver
        ("frank", 200, 200),  # the chair, who recommended
        ("grace", 404, 404),  # an evaluator who is not the chair
        ("dave", 404, 200),  # the winning vendor
        ("erin", 404, 200),  # the other vendor
        ("root", 404, 404),  # the site administrator takes no part
        (None, 403, 403),  # anonymous: the first authentication is the session
    ],
)
def test_who_sees_the_award(
    request, recommended, alice, api_as, persona, before_letters, after_letters
):
    client = api_as(request.getfixturevalue(persona) if persona else None)

    assert client.get(url(recommended.challenge)).status_code == before_letters
    services.award_approve(award=recommended, actor=request.getfixturevalue("carol"))
    services.award_notify(award=recommended, actor=alice)
    assert client.get(url(recommended.challenge)).status_code == after_letters


@pytest.mark.parametrize(
    ("persona", "approve", "notify_after_approval"),
    [
        ("alice", 403, 200),  # the owner is not an approver
        ("bob", 403, 403),  # other staff
        ("carol", 200, 403),  # the approver does not own the challenge
        ("frank", 403, 403),  # the recommender
        ("grace", 404, 404),
        ("dave", 404, 404),
        ("erin", 404, 404),
        ("root", 404, 404),
    ],
)
def test_who_may_take_the_award_steps(
    request, recommended, api_as, persona, approve, notify_after_approval
):
    client = api_as(request.getfixturevalue(persona))

    response = client.post(url(recommended.challenge, "approve"), {}, format="json")
    assert response.status_code == approve
    recommended.refresh_from_db()
    expected = Award.Status.APPROVED if approve == 200 else Award.Status.RECOMMENDED
    assert recommended.status == expected

    if recommended.status == Award.Status.RECOMMENDED:
        services.award_approve(award=recommended, actor=request.getfixturevalue("carol"))
    response = client.post(url(recommended.challenge, "notify"), {}, format="json")
    assert response.status_code == notify_after_approval
    recommended.refresh_from_db()
    expected = Award.Status.STANDSTILL if notify_after_approval == 200 else Award.Status.APPROVED
    assert recommended.status == expected


def test_anonymous_cannot_take_a_step(recommended, api_client):
    response = api_client.post(url(recommended.challenge, "approve"), {}, format="json")

    assert response.status_code == 403
    recommended.refresh_from_db()
    assert recommended.status == Award.Status.RECOMMENDED


def test_vendors_do_not_read_the_recommendation(standstill, erin, alice, api_as):
    Award.objects.filter(pk=standstill.pk).update(recommendation="Internal note")

    vendor = api_as(erin).get(url(standstill.challenge)).json()
    staff = api_as(alice).get(url(standstill.challenge)).json()

    assert vendor["recommendation"] == ""
    assert staff["recommendation"] == "Internal note"
    assert vendor["allowed_transitions"] == []
