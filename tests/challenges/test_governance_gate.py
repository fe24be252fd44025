"""Review needs a complete data governance record: submitting for review is refused while the
record lacks something, with the record's own sentences, on the service, the page and the API."""

import pytest
from django.urls import reverse

from challenges import governance_services, services
from challenges.models import Challenge
from core.errors import TransitionRefused
from core.models import AuditEntry
from core.workflow import allowed_transitions
from tests.factories import EngagementActivityFactory, complete_plan, set_status

pytestmark = pytest.mark.django_db

NO_RECORD = (
    "Fill in the data governance record: what data the solution touches, where it is stored, "
    "what is shared and opened, and how the city can leave the vendor."
)


@pytest.fixture
def ready_but_for_the_record(challenge):
    set_status(challenge, "co_design")
    EngagementActivityFactory(challenge=challenge)
    complete_plan(challenge)
    return challenge


def submit(challenge, actor):
    return services.challenge_transition(challenge=challenge, actor=actor, name="submit_for_review")


def test_review_is_refused_without_a_record(ready_but_for_the_record, alice):
    with pytest.raises(TransitionRefused) as refused:
        submit(ready_but_for_the_record, alice)

    assert refused.value.messages == [NO_RECORD]
    ready_but_for_the_record.refresh_from_db()
    assert ready_but_for_the_record.status == Challenge.Status.CO_DESIGN
    assert not AuditEntry.objects.filter(transition="submit_for_review").exists()
    assert allowed_transitions(ready_but_for_the_record, alice) == ["cancel"]


def test_review_is_refused_while_the_record_is_incomplete(ready_but_for_the_record, alice):
    governance_services.governance_record_update(
        challenge=ready_but_for_the_record, actor=alice, storage_location="in_canada"
    )

    with pytest.raises(TransitionRefused) as refused:
        submit(ready_but_for_the_record, alice)

    assert refused.value.messages == [
        "List at least one dataset or category of data the solution will touch in the data "
        "governance record.",
        "Choose the accessibility standard the solution must meet.",
        "Plan the exit: require the data back in open formats at the end, or describe how the "
        "city leaves this vendor without losing its data or service.",
    ]


def fill(challenge, actor):
    governance_services.governance_record_update(
        challenge=challenge,
        actor=actor,
        legal_authority="Local Governance Act, s. 10.",
        retention_period="Two years.",
        storage_location="in_canada",
        assessment_status="in_progress",
        accessibility_standard="wcag22aa",
        exit_data_return=True,
    )
    governance_services.data_asset_add(
        challenge=challenge,
        actor=actor,
        name="Bus stop requests",
        description="Where residents ask for new stops.",
        sensitivity="identifiable",
        provided_by="Residents",
        produced_data_owner="The municipality",
    )


def test_review_goes_ahead_once_the_record_is_complete(ready_but_for_the_record, alice):
    fill(ready_but_for_the_record, alice)

    submit(ready_but_for_the_record, alice)

    ready_but_for_the_record.refresh_from_db()
    assert ready_but_for_the_record.status == Challenge.Status.IN_REVIEW


def test_the_page_refuses_review_with_the_record_sentence(client, ready_but_for_the_record, alice):
    client.force_login(alice)
    url = reverse(
        "challenges:transition", args=[ready_but_for_the_record.reference, "submit_for_review"]
    )

    response = client.post(url, follow=True)

    assert NO_RECORD in [str(m) for m in response.context["messages"]]
    ready_but_for_the_record.refresh_from_db()
    assert ready_but_for_the_record.status == Challenge.Status.CO_DESIGN

    fill(ready_but_for_the_record, alice)
    client.post(url)
    ready_but_for_the_record.refresh_from_db()
    assert ready_but_for_the_record.status == Challenge.Status.IN_REVIEW


def test_the_api_refuses_review_with_409_and_the_record_sentence(
    api_as, ready_but_for_the_record, alice
):
    url = f"/api/challenges/{ready_but_for_the_record.reference}/submit_for_review/"

    response = api_as(alice).post(url, {}, format="json")

    assert response.status_code == 409
    assert NO_RECORD in response.json()["detail"]
    assert response.json()["allowed_transitions"] == ["cancel"]

    fill(ready_but_for_the_record, alice)
    response = api_as(alice).post(url, {}, format="json")
    assert response.status_code == 200
    assert response.json()["status"] == "in_review"
