"""Review needs the reach targets met, or the owner's word on why they were not: the service,
the page and the API refuse with the same sentence; no targets, no gate."""

import pytest
from django.urls import reverse

from challenges import reach_services, services
from challenges.models import Challenge
from core.errors import TransitionRefused
from tests.factories import (
    ActivityReachFactory,
    EngagementActivityFactory,
    PriorityGroupFactory,
    ReachTargetFactory,
    complete_governance,
    complete_plan,
    set_status,
)

pytestmark = pytest.mark.django_db

UNMET = (
    "The reach targets are not met (Seniors g: 6 of 20; Youth g: 0 of 5). Reach these groups, "
    "or record why the targets were not met, before review."
)


@pytest.fixture
def ready(challenge):
    set_status(challenge, "co_design")
    complete_plan(challenge)
    complete_governance(challenge)
    return challenge


@pytest.fixture
def with_gap(ready):
    seniors = PriorityGroupFactory(slug="g-seniors", name_en="Seniors g", position=1)
    youth = PriorityGroupFactory(slug="g-youth", name_en="Youth g", position=2)
    ReachTargetFactory(challenge=ready, group=seniors, target=20)
    ReachTargetFactory(challenge=ready, group=youth, target=5)
    made = EngagementActivityFactory(challenge=ready)
    ActivityReachFactory(activity=made, group=seniors, participants=6)
    ActivityReachFactory(activity=made, group=youth, participants=None)
    return ready


def submit(challenge, actor):
    return services.challenge_transition(challenge=challenge, actor=actor, name="submit_for_review")


def test_review_is_refused_with_unmet_targets_and_no_reason(with_gap, alice):
    with pytest.raises(TransitionRefused) as refused:
        submit(with_gap, alice)

    assert refused.value.messages == [UNMET]
    with_gap.refresh_from_db()
    assert with_gap.status == Challenge.Status.CO_DESIGN


def test_review_goes_ahead_once_the_owner_records_why(with_gap, alice):
    reach_services.reach_gap_reason_set(
        challenge=with_gap, actor=alice, reason="The youth centre was closed all autumn."
    )

    submit(with_gap, alice)

    with_gap.refresh_from_db()
    assert with_gap.status == Challenge.Status.IN_REVIEW


def test_a_blank_reason_is_no_reason(with_gap, alice):
    reach_services.reach_gap_reason_set(challenge=with_gap, actor=alice, reason="   ")

    with pytest.raises(TransitionRefused):
        submit(with_gap, alice)


def test_review_goes_ahead_when_every_target_is_met(ready, alice):
    seniors = PriorityGroupFactory(slug="g-met", name_en="Met g")
    ReachTargetFactory(challenge=ready, group=seniors, target=10)
    for people in (4, 6):
        made = EngagementActivityFactory(challenge=ready, stage="co_design")
        ActivityReachFactory(activity=made, group=seniors, participants=people)

    submit(ready, alice)

    ready.refresh_from_db()
    assert ready.status == Challenge.Status.IN_REVIEW


def test_no_targets_means_no_gate(ready, alice):
    EngagementActivityFactory(challenge=ready)

    submit(ready, alice)

    ready.refresh_from_db()
    assert ready.status == Challenge.Status.IN_REVIEW


def test_the_page_refuses_review_with_the_same_sentence(client, with_gap, alice):
    client.force_login(alice)
    url = reverse("challenges:transition", args=[with_gap.reference, "submit_for_review"])

    response = client.post(url, follow=True)

    assert UNMET in [str(m) for m in response.context["messages"]]
    with_gap.refresh_from_db()
    assert with_gap.status == Challenge.Status.CO_DESIGN
    # The owner's page says it before they try.
    page = client.get(with_gap.get_absolute_url())
    assert UNMET in page.context["blocked"]["problems"]


def test_the_api_refuses_review_with_409_and_the_same_sentence(api_as, with_gap, alice):
    url = f"/api/challenges/{with_gap.reference}/submit_for_review/"

    response = api_as(alice).post(url, {}, format="json")

    assert response.status_code == 409
    assert UNMET in response.json()["detail"]

    reason_url = f"/api/challenges/{with_gap.reference}/reach/gap-reason/"
    response = api_as(alice).put(reason_url, {"reason": "Partners were busy."}, format="json")
    assert response.status_code == 200, response.content
    response = api_as(alice).post(url, {}, format="json")
    assert response.status_code == 200
    assert response.json()["status"] == "in_review"


def test_the_approver_sees_the_gap_and_the_reason_in_review(client, with_gap, alice, carol):
    reach_services.reach_gap_reason_set(
        challenge=with_gap, actor=alice, reason="The youth centre was closed all autumn."
    )
    submit(with_gap, alice)
    client.force_login(carol)

    response = client.get(with_gap.get_absolute_url())

    review = [s for s in response.context["sections"]["review"] if s["name"] == "reach-review"]
    assert review, "no reach section in the review slot"
    html = response.content.decode()
    assert "The youth centre was closed all autumn." in html
    assert "Seniors g" in html and "14" in html  # the gap: 20 - 6
