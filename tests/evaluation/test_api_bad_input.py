"""Bad input to the evaluation API answers 400 (or 409) with a clear error and stores nothing."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.evaluation.api_helpers import client_for, ev, plan_url, snapshot
from tests.evaluation.conftest import assignment_of
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def assert_refused(response, before, *fields, status=400):
    assert response.status_code == status, response.content
    data = response.json()
    # Service refusals carry a sentence in `detail`; the serializer's, errors per field.
    assert data.get("detail") or any(data.values()), "a refusal says why"
    for field in fields:
        assert data.get(field), f"no error for {field}: {data}"
    assert snapshot() == before


def score(field, criterion, points, proposal=None, rationale="Because."):
    return {
        "proposal": str((proposal or field.acme).public_id),
        "scores": {str(criterion.pk): {"points": points, "rationale": rationale}},
    }


@pytest.mark.parametrize(
    ("points", "error"),
    [
        ("11", "Give between 0 and 10 points"),
        ("-1", "Give between 0 and 10 points"),
        ("7.555", "decimal places"),
        ("lots", "A valid number is required"),
        ("NaN", "A valid number is required"),
    ],
)
def test_out_of_range_or_malformed_points_are_refused(scoring, grace, points, error):
    criterion = scoring.criteria()[0]
    before = snapshot()

    response = client_for(grace).post(
        ev(scoring, "scores/"), score(scoring, criterion, points), format="json"
    )

    assert_refused(response, before)
    assert error in str(response.json())


def test_a_score_without_a_rationale_is_refused(scoring, grace):
    criterion = scoring.criteria()[0]
    before = snapshot()

    response = client_for(grace).post(
        ev(scoring, "scores/"), score(scoring, criterion, "5", rationale=" "), format="json"
    )

    assert_refused(response, before, f"rationale_{criterion.pk}")


def test_a_criterion_not_rated_by_the_plan_is_refused(scoring, grace):
    mandatory = scoring.criteria("mandatory")[0]
    before = snapshot()

    response = client_for(grace).post(
        ev(scoring, "scores/"), score(scoring, mandatory, "5"), format="json"
    )

    assert_refused(response, before, f"points_{mandatory.pk}")


def test_scoring_a_proposal_not_assigned_is_refused(scoring, grace, acme, dave):
    criterion = scoring.criteria()[0]
    disqualified = scoring.globex
    disqualified.__class__.objects.filter(pk=disqualified.pk).update(status="disqualified")
    before = snapshot()
    client = client_for(grace)

    for proposal_id in (str(disqualified.public_id), "6f1c2a3b-0000-4000-8000-000000000000"):
        body = {**score(scoring, criterion, "5"), "proposal": proposal_id}
        response = client.post(ev(scoring, "scores/"), body, format="json")
        assert_refused(response, before, "proposal")
        assert "not assigned to you" in response.json()["detail"]


def test_a_change_after_submission_without_a_reason_is_refused(submitted, grace):
    criterion = submitted.criteria()[0]
    before = snapshot()

    response = client_for(grace).post(
        ev(submitted, "scores/"), score(submitted, criterion, "9"), format="json"
    )

    assert_refused(response, before, "reason")


def test_submitting_with_scores_missing_is_refused_with_the_count(scoring, grace):
    place = assignment_of(scoring, grace)
    before = snapshot()

    response = client_for(grace).post(f"/api/assignments/{place.pk}/submit/")

    assert_refused(response, before, status=409)
    assert "4 scores are missing" in response.json()["detail"]


def test_malformed_json_is_refused_everywhere_without_a_trace(scoring, alice, grace, frank):
    place = assignment_of(scoring, grace)
    before = snapshot()
    attempts = [
        (grace, ev(scoring, "scores/")),
        (frank, ev(scoring, "consensus/")),
        (alice, ev(scoring, "panel/")),
        (alice, ev(scoring, "screening/")),
        (alice, ev(scoring, "open_prices/")),
        (grace, f"/api/assignments/{place.pk}/recuse/"),
    ]

    for user, url in attempts:
        response = client_for(user).post(url, '{"proposal": ', content_type="application/json")
        assert_refused(response, before)
        assert "not valid JSON" in response.json()["detail"], url


def test_a_body_of_the_wrong_shape_is_refused(scoring, grace):
    before = snapshot()
    client = client_for(grace)

    for body in ([1, 2], {"proposal": "x", "scores": []}, {"proposal": 1, "scores": {"1": 5}}):
        response = client.post(ev(scoring, "scores/"), body, format="json")
        assert_refused(response, before)


def test_consensus_points_out_of_range_are_refused(consensus, frank):
    criterion = consensus.criteria()[0]
    before = snapshot()

    response = client_for(frank).post(
        ev(consensus, "consensus/"),
        {
            "proposal": str(consensus.acme.public_id),
            "criterion": criterion.pk,
            "points": "10.5",
            "rationale": "Agreed.",
        },
        format="json",
    )

    assert_refused(response, before, "points")


def test_screening_must_cover_every_mandatory_criterion(screening, alice):
    mandatory = screening.criteria("mandatory")[0]
    before = snapshot()

    response = client_for(alice).post(
        ev(screening, "screening/"),
        {"proposal": str(screening.acme.public_id), "results": {}},
        format="json",
    )

    assert_refused(response, before, f"criterion_{mandatory.pk}")


def test_screening_an_unknown_proposal_is_refused(screening, alice):
    before = snapshot()

    response = client_for(alice).post(
        ev(screening, "screening/"),
        {"proposal": "6f1c2a3b-0000-4000-8000-000000000000", "results": {}},
        format="json",
    )

    assert_refused(response, before, "proposal")


def test_inviting_someone_not_in_the_evaluator_role_or_in_the_past_is_refused(scoring, alice, bob):
    UserFactory(username="ursula", roles=["evaluator"])
    before = snapshot()
    client = client_for(alice)
    past = (timezone.now() - timedelta(days=1)).isoformat()
    future = (timezone.now() + timedelta(days=1)).isoformat()

    response = client.post(ev(scoring, "panel/"), {"evaluator": "bob", "due_at": future})
    assert_refused(response, before, "evaluator")
    response = client.post(ev(scoring, "panel/"), {"evaluator": "ursula", "due_at": past})
    assert_refused(response, before, "due_at")
    response = client.post(
        ev(scoring, "panel/"), {"evaluator": "ursula", "due_at": future, "is_chair": True}
    )
    assert_refused(response, before, "is_chair")


def test_declaring_without_confirming_no_conflict_is_refused(screening, panel, frank):
    before = snapshot()

    response = client_for(frank).post(
        f"/api/assignments/{panel[0].pk}/accept/",
        {"signature": "Frank", "no_conflict": False},
        format="json",
    )

    assert_refused(response, before, "no_conflict")


def test_a_plan_with_bad_criteria_is_refused_and_the_old_plan_stays(plan, challenge, alice):
    before = snapshot()
    client = client_for(alice)
    bad_plans = [
        {"criteria": [{"kind": "rated", "name": "Approach", "weight": 120, "max_points": 10}]},
        {"criteria": [{"kind": "rated", "name": "Approach", "weight": 60}]},
        {
            "criteria": [
                {"kind": "price", "name": "Price", "weight": 30},
                {"kind": "price", "name": "Price again", "weight": 30},
            ]
        },
        {"criteria": [{"kind": "rated", "name": "A", "weight": 50, "max_points": 5}] * 3},
        {"criteria": [{"kind": "bonus", "name": "A"}]},
        {"criteria": [{"kind": "rated", "name": "A", "order": 40000}]},
        {"criteria": [], "minimum_technical_score": "150"},
        {"criteria": [], "tie_break_order": ["price", "price"]},
    ]

    for body in bad_plans:
        response = client.put(plan_url(challenge), body, format="json")
        assert_refused(response, before)

    response = client.patch(plan_url(challenge), {"combination": "median"}, format="json")
    assert_refused(response, before, "combination")
