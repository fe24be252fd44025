"""What decides the winner is frozen with what was approved: the evaluation plan changes with the
statement (draft, co-design), is complete before review, cannot change from review on unless the
challenge is sent back, and the digest approved is the digest published."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from challenges import services as challenge_services
from challenges.models import Challenge
from core.errors import TransitionRefused
from evaluation import selectors, services
from evaluation.models import Criterion, EvaluationPlan
from tests.evaluation.api_helpers import client_for, plan_url
from tests.factories import EngagementActivityFactory, complete_plan, set_status

pytestmark = pytest.mark.django_db

EDITABLE = ["draft", "co_design"]
# Every state from review on, with the sentence its refusal gives.
FIXED = {
    "in_review": "ask the approver to send the challenge back for changes",
    "approved": "was approved with the challenge and can no longer change",
    "published": "was frozen at publication",
    "closed": "was frozen at publication",
    "evaluating": "was frozen at publication",
    "awarded": "was frozen at publication",
    "not_awarded": "was frozen at publication",
    "cancelled": "changes only while the challenge is a draft or in co-design",
}
PUBLISHED_AND_LATER = ("published", "closed", "evaluating", "awarded", "not_awarded")


def run(challenge, actor, name, reason=""):
    return challenge_services.challenge_transition(
        challenge=challenge, actor=actor, name=name, reason=reason
    )


def plan_in(challenge, status) -> EvaluationPlan:
    """alice's challenge in `status`, with a complete plan, frozen if it was published."""
    EngagementActivityFactory(challenge=challenge)
    plan = complete_plan(challenge)
    if status in PUBLISHED_AND_LATER:
        services.plan_freeze(plan=plan, frozen_at=timezone.now() - timedelta(days=1))
    set_status(challenge, status)
    plan.refresh_from_db()
    return plan


def state_of(challenge):
    plan = EvaluationPlan.objects.get(challenge=challenge)
    criteria = list(plan.criteria.values_list("pk", "kind", "name", "weight", "max_points"))
    return plan.minimum_technical_score, plan.combination, plan.tie_break_order, criteria


# Through the services ---------------------------------------------------------------------------

CHANGES = {
    "settings": lambda plan, actor: services.plan_save(
        challenge=plan.challenge, actor=actor, minimum_technical_score=10
    ),
    "define": lambda plan, actor: services.plan_define(
        challenge=plan.challenge,
        actor=actor,
        criteria=[
            {"kind": "rated", "name": "Approach", "weight": 70, "max_points": 10},
            {"kind": "price", "name": "Price", "weight": 30},
        ],
    ),
    "add": lambda plan, actor: services.criterion_add(
        plan=plan, actor=actor, kind="mandatory", name="Insurance"
    ),
    "update": lambda plan, actor: services.criterion_update(
        criterion=plan.criteria.get(kind="price"), actor=actor, name="Cost"
    ),
    "remove": lambda plan, actor: services.criterion_remove(
        criterion=plan.criteria.get(kind="mandatory"), actor=actor
    ),
}


@pytest.mark.parametrize("change", CHANGES)
@pytest.mark.parametrize("status", EDITABLE)
def test_the_owner_changes_the_plan_while_the_statement_may_change(
    challenge, alice, status, change
):
    plan = plan_in(challenge, status)
    before = state_of(challenge)

    CHANGES[change](plan, alice)

    assert state_of(challenge) != before


@pytest.mark.parametrize("change", CHANGES)
@pytest.mark.parametrize("status", FIXED)
def test_the_plan_cannot_change_from_review_on(challenge, alice, status, change):
    plan = plan_in(challenge, status)
    before = state_of(challenge)

    with pytest.raises(TransitionRefused) as refused:
        CHANGES[change](plan, alice)

    assert FIXED[status] in refused.value.messages[0]
    assert state_of(challenge) == before


def test_sending_the_challenge_back_opens_the_plan_again(co_design_challenge, alice, carol):
    plan = EvaluationPlan.objects.get(challenge=co_design_challenge)
    run(co_design_challenge, alice, "submit_for_review")
    with pytest.raises(TransitionRefused):
        services.plan_save(challenge=co_design_challenge, actor=alice, minimum_technical_score=10)

    run(co_design_challenge, carol, "request_changes", reason="Weigh the team higher.")
    services.criterion_update(criterion=plan.criteria.get(kind="price"), actor=alice, weight=25)
    services.criterion_update(
        criterion=plan.criteria.get(name="Team and experience"), actor=alice, weight=35
    )
    run(co_design_challenge, alice, "submit_for_review")

    co_design_challenge.refresh_from_db()
    assert co_design_challenge.status == Challenge.Status.IN_REVIEW
    assert plan.criteria.get(kind="price").weight == 25


# Review needs a complete plan -------------------------------------------------------------------


def test_review_is_refused_without_a_plan(co_design_challenge, alice):
    EvaluationPlan.objects.filter(challenge=co_design_challenge).delete()

    with pytest.raises(TransitionRefused) as refused:
        run(co_design_challenge, alice, "submit_for_review")

    assert refused.value.messages == [
        "Define the evaluation plan (criteria, weights, minimum technical score, tie-breaks) "
        "before review."
    ]
    co_design_challenge.refresh_from_db()
    assert co_design_challenge.status == Challenge.Status.CO_DESIGN


def test_review_is_refused_with_an_incomplete_plan_with_the_plans_sentences(
    co_design_challenge, alice
):
    complete_plan(co_design_challenge, rated=(("Approach", 40, 10),), minimum_technical_score=50)

    with pytest.raises(TransitionRefused) as refused:
        run(co_design_challenge, alice, "submit_for_review")

    assert refused.value.messages == [
        "The evaluation plan's weights add up to 70%; they must add up to 100%.",
        "The minimum technical score (50) is above what the rated criteria can give (40); "
        "lower it.",
    ]
    co_design_challenge.refresh_from_db()
    assert co_design_challenge.status == Challenge.Status.CO_DESIGN


def test_review_over_the_api_is_refused_with_an_incomplete_plan(co_design_challenge, alice):
    complete_plan(co_design_challenge, rated=(), price_weight=100)

    response = client_for(alice).post(
        f"/api/challenges/{co_design_challenge.reference}/submit_for_review/", {}, format="json"
    )

    assert response.status_code == 409
    assert response.json()["errors"] == ["Add at least one rated criterion to the evaluation plan."]
    co_design_challenge.refresh_from_db()
    assert co_design_challenge.status == Challenge.Status.CO_DESIGN


# The digest approved is the digest published ----------------------------------------------------


def test_the_approved_digest_is_the_published_digest(co_design_challenge, alice, carol):
    plan = EvaluationPlan.objects.get(challenge=co_design_challenge)
    run(co_design_challenge, alice, "submit_for_review")
    run(co_design_challenge, carol, "approve")
    plan.refresh_from_db()
    assert plan.approved_digest == plan.compute_digest()
    assert plan.digest == ""

    run(co_design_challenge, alice, "publish")

    plan.refresh_from_db()
    assert len(plan.approved_digest) == 64
    assert plan.approved_digest == plan.digest == plan.compute_digest()
    digests = selectors.plan_digests(plan)
    assert (digests["approved"], digests["published"], digests["match"]) == (
        plan.digest,
        plan.digest,
        True,
    )
    assert selectors.plan_public_summary(co_design_challenge)["approved_digest"] == plan.digest


def test_a_plan_changed_around_the_services_after_approval_cannot_be_published(
    co_design_challenge, alice, carol
):
    run(co_design_challenge, alice, "submit_for_review")
    run(co_design_challenge, carol, "approve")
    Criterion.objects.filter(plan__challenge=co_design_challenge, kind="rated").update(
        max_points=11
    )

    with pytest.raises(TransitionRefused) as refused:
        run(co_design_challenge, alice, "publish")

    assert refused.value.messages == [
        "The evaluation plan is no longer the one approved (its digest changed); the challenge "
        "cannot be published with it."
    ]
    co_design_challenge.refresh_from_db()
    assert co_design_challenge.status == Challenge.Status.APPROVED


def test_both_digests_are_on_the_public_plan_page_and_in_the_api(
    client, co_design_challenge, alice, carol
):
    run(co_design_challenge, alice, "submit_for_review")
    run(co_design_challenge, carol, "approve")
    run(co_design_challenge, alice, "publish")
    plan = EvaluationPlan.objects.get(challenge=co_design_challenge)

    page = client.get(reverse("evaluation:plan", args=[co_design_challenge.reference]))
    content = page.content.decode()
    assert page.status_code == 200
    assert f'<code class="digest" id="approved-digest">{plan.approved_digest}</code>' in content
    assert f'<code class="digest" id="published-digest">{plan.digest}</code>' in content
    assert "the two digests are equal" in content

    body = client_for(None).get(plan_url(co_design_challenge)).json()
    assert body["approved_digest"] == body["digest"] == plan.digest


# The approver sees the plan on the challenge page -----------------------------------------------


@pytest.mark.parametrize("persona", ["carol", "bob", "alice"])
def test_the_approver_and_staff_see_the_plan_and_its_digest_in_review(
    client, co_design_challenge, alice, persona, request
):
    run(co_design_challenge, alice, "submit_for_review")
    plan = EvaluationPlan.objects.get(challenge=co_design_challenge)
    client.force_login(request.getfixturevalue(persona))

    content = client.get(co_design_challenge.get_absolute_url()).content.decode()

    assert "Evaluation plan under review" in content
    assert "Team and experience" in content
    assert plan.compute_digest() in content


def test_the_plan_section_is_left_out_before_and_after_review(
    client, co_design_challenge, alice, carol, rita
):
    client.force_login(carol)
    assert "Evaluation plan under review" not in (
        client.get(co_design_challenge.get_absolute_url()).content.decode()
    )
    client.force_login(rita)
    assert "Evaluation plan under review" not in (
        client.get(co_design_challenge.get_absolute_url()).content.decode()
    )

    run(co_design_challenge, alice, "submit_for_review")
    run(co_design_challenge, carol, "approve")
    client.force_login(carol)
    assert "Evaluation plan under review" not in (
        client.get(co_design_challenge.get_absolute_url()).content.decode()
    )


# Pages and API refuse the same way --------------------------------------------------------------


def page_posts(challenge):
    """(url, data) for every plan form, as the owner would send them."""
    criterion = Criterion.objects.get(plan__challenge=challenge, kind="price")
    mandatory = Criterion.objects.get(plan__challenge=challenge, kind="mandatory")
    reference = challenge.reference
    return {
        "settings": (
            reverse("evaluation:plan_settings", args=[reference]),
            {
                "minimum_technical_score": "10",
                "combination": "average",
                "tie_break_1": "price",
                "tie_break_2": "technical",
                "tie_break_3": "draw",
            },
        ),
        "add": (
            reverse("evaluation:criterion_add", args=[reference]),
            {"kind": "mandatory", "name": "Insurance"},
        ),
        "edit": (
            reverse("evaluation:criterion_edit", args=[reference, criterion.pk]),
            {"kind": "price", "name": "Cost", "weight": "30"},
        ),
        "remove": (reverse("evaluation:criterion_remove", args=[reference, mandatory.pk]), {}),
    }


@pytest.mark.parametrize("form", ["settings", "add", "edit", "remove"])
@pytest.mark.parametrize("status", EDITABLE)
def test_the_plan_pages_change_the_plan_in_draft_and_co_design(
    client, challenge, alice, status, form
):
    plan_in(challenge, status)
    before = state_of(challenge)
    url, data = page_posts(challenge)[form]
    client.force_login(alice)

    response = client.post(url, data)

    assert response.status_code == 302
    assert state_of(challenge) != before


@pytest.mark.parametrize("form", ["settings", "add", "edit", "remove"])
@pytest.mark.parametrize("status", FIXED)
def test_the_plan_pages_refuse_a_change_from_review_on_with_a_sentence(
    client, challenge, alice, status, form
):
    plan_in(challenge, status)
    before = state_of(challenge)
    url, data = page_posts(challenge)[form]
    client.force_login(alice)

    response = client.post(url, data, follow=True)

    assert response.status_code == 200
    assert FIXED[status] in response.content.decode()
    assert state_of(challenge) == before


@pytest.mark.parametrize("status", EDITABLE)
def test_the_plan_page_offers_the_forms_in_draft_and_co_design(client, challenge, alice, status):
    plan_in(challenge, status)
    client.force_login(alice)

    content = client.get(reverse("evaluation:plan", args=[challenge.reference])).content.decode()

    assert "Add a criterion" in content


@pytest.mark.parametrize("status", FIXED)
def test_the_plan_page_says_why_the_plan_cannot_change(client, challenge, alice, status):
    plan_in(challenge, status)
    client.force_login(alice)

    content = client.get(reverse("evaluation:plan", args=[challenge.reference])).content.decode()

    assert FIXED[status] in content
    assert "Add a criterion" not in content


API_WRITES = {
    "patch settings": ("patch", {"minimum_technical_score": "10.00"}),
    "put the whole plan": (
        "put",
        {
            "minimum_technical_score": "0",
            "combination": "average",
            "tie_break_order": ["technical", "price", "draw"],
            "criteria": [
                {"kind": "rated", "name": "Approach", "weight": 70, "max_points": 10},
                {"kind": "price", "name": "Price", "weight": 30},
            ],
        },
    ),
}


@pytest.mark.parametrize("write", API_WRITES)
@pytest.mark.parametrize("status", EDITABLE)
def test_the_api_changes_the_plan_in_draft_and_co_design(challenge, alice, status, write):
    plan_in(challenge, status)
    before = state_of(challenge)
    method, body = API_WRITES[write]

    response = getattr(client_for(alice), method)(plan_url(challenge), body, format="json")

    assert response.status_code == 200, response.content
    assert state_of(challenge) != before


@pytest.mark.parametrize("write", API_WRITES)
@pytest.mark.parametrize("status", FIXED)
def test_the_api_refuses_a_change_from_review_on_with_409(challenge, alice, status, write):
    plan_in(challenge, status)
    before = state_of(challenge)
    method, body = API_WRITES[write]

    response = getattr(client_for(alice), method)(plan_url(challenge), body, format="json")

    assert response.status_code == 409, response.content
    assert FIXED[status] in response.json()["detail"]
    assert state_of(challenge) == before
