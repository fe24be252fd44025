"""Residents' feedback during the pilot: the same form, protections and moderation as co-design
input, taken only while the pilot runs, shown beside the indicators on the pilot's page and,
once published, on the outcomes page."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from challenges.models import CommunityInput
from procurement.models import Pilot
from procurement.services import pilot as pilot_services
from tests.factories import CommunityInputFactory, PriorityGroupFactory, set_status
from tests.procurement.award_fixtures import *  # noqa: F403  (fixtures)

pytestmark = pytest.mark.django_db

FEEDBACK = "The new thermostats are hard to read for my mother."


@pytest.fixture
def running(pilot, alice):
    """The pilot started by its owner, with a milestone and an indicator."""
    pilot_services.milestone_add(
        pilot=pilot, actor=alice, title="Install in 20 homes", due_on=date.today() + timedelta(30)
    )
    pilot_services.indicator_add(
        pilot=pilot,
        actor=alice,
        name="Average energy burden",
        unit="% of income",
        baseline=Decimal("8.5"),
        target=Decimal("6"),
    )
    return pilot_services.pilot_transition(pilot=pilot, actor=alice, name="start")


def add_url(challenge):
    return reverse("challenges:input_add", args=[challenge.reference])


def pilot_url(pilot):
    return reverse("procurement:pilot", args=[pilot.challenge.reference])


def outcomes_url(pilot):
    return reverse("procurement:outcomes", args=[pilot.challenge.reference])


def feedback(pilot, status="pending", **fields):
    fields.setdefault("body", FEEDBACK)
    item = CommunityInputFactory(challenge=pilot.challenge, author=None, stage="pilot", **fields)
    return set_status(item, status) if status != "pending" else item


# --- giving feedback -----------------------------------------------------------------------------


def test_while_the_pilot_runs_anyone_gives_feedback_filed_under_the_pilot(client, running):
    challenge = running.challenge
    page = client.get(challenge.get_absolute_url()).content.decode()

    response = client.post(
        add_url(challenge),
        {"kind": "experience", "body": FEEDBACK, "consent_to_publish": "on"},
        follow=True,
    )

    assert running.status == Pilot.Status.ACTIVE
    assert "Tell us how the pilot is going" in page
    assert "Thank you. Your feedback on the pilot will appear once a moderator has read it." in [
        str(m) for m in response.context["messages"]
    ]
    item = CommunityInput.objects.get(challenge=challenge)
    assert (item.stage, item.author, item.status) == ("pilot", None, "pending")


def test_the_pilot_page_form_brings_the_resident_back_to_the_pilot(client, running):
    page = client.get(pilot_url(running)).content.decode()
    assert 'name="next"' in page

    response = client.post(
        add_url(running.challenge),
        {"kind": "comment", "body": FEEDBACK, "next": f"{pilot_url(running)}#pilot-feedback"},
    )

    assert response.url == f"{pilot_url(running)}#pilot-feedback"
    assert CommunityInput.objects.get().stage == "pilot"


def test_the_api_takes_feedback_while_the_pilot_runs_and_sets_the_stage(api_as, running):
    response = api_as(None).post(
        f"/api/challenges/{running.challenge.reference}/community-input/",
        {"body": FEEDBACK, "stage": "co_design"},
        format="json",
    )

    assert response.status_code == 201
    assert response.json()["stage"] == "pilot"
    assert CommunityInput.objects.get().stage == "pilot"


@pytest.mark.parametrize("state", ["planned", "in_review", "adopted", "concluded", "terminated"])
def test_feedback_is_refused_unless_the_pilot_is_running(client, api_as, running, state):
    set_status(running, state)
    challenge = running.challenge

    page = client.post(add_url(challenge), {"kind": "comment", "body": FEEDBACK})
    api = api_as(None).post(
        f"/api/challenges/{challenge.reference}/community-input/",
        {"body": FEEDBACK},
        format="json",
    )

    assert page.status_code == api.status_code == 403
    assert "This challenge is “Awarded”, so nothing was received." in api.json()["detail"]
    assert "feedback while its pilot is running" in api.json()["detail"]
    assert not CommunityInput.objects.exists()
    assert client.get(pilot_url(running)).context["feedback_form"] is None


def test_an_awarded_challenge_without_a_pilot_takes_no_feedback(client, final_award):
    challenge = final_award.challenge

    response = client.post(add_url(challenge), {"kind": "comment", "body": FEEDBACK})

    assert response.status_code == 403
    assert not CommunityInput.objects.exists()


def test_feedback_is_limited_per_client_like_co_design_input(client, settings, running):
    settings.INPUT_LIMIT_PER_CHALLENGE = 1
    data = {"kind": "comment", "body": FEEDBACK}
    assert client.post(add_url(running.challenge), data).status_code == 302
    assert client.post(add_url(running.challenge), data).status_code == 429
    assert CommunityInput.objects.count() == 1


def test_a_filled_trap_keeps_no_feedback(client, running):
    response = client.post(
        add_url(running.challenge),
        {"kind": "comment", "body": "Buy now", "website": "spam"},
    )
    assert response.status_code == 302
    assert not CommunityInput.objects.exists()


# --- the pilot's review sees it beside the indicators --------------------------------------------


def test_the_review_sees_published_and_pending_feedback_beside_the_indicators(
    client, alice, running
):
    group = PriorityGroupFactory(slug="test-seniors", name_en="Seniors")
    pending = feedback(running, author_name="Marie")
    pending.groups.set([group])
    feedback(running, status="published", body="Published feedback")
    feedback(running, status="rejected", body="Rejected feedback")
    CommunityInputFactory(challenge=running.challenge, body="Co-design input, not feedback")
    set_status(running, "in_review")
    client.force_login(alice)

    response = client.get(pilot_url(running))
    html = response.content.decode()

    counts = response.context["feedback_counts"]
    assert (counts["published"], counts["pending"], counts["rejected"]) == (1, 1, 1)
    indicators = html.index('id="indicators-heading"')
    section = html.index('id="pilot-feedback"')
    assert indicators < section
    listed = html[section:]
    assert FEEDBACK in listed and "Published feedback" in listed
    assert "Rejected feedback" not in listed
    assert "Co-design input, not feedback" not in listed
    assert "Seniors" in listed
    assert "Publish" in listed  # the owner moderates it here
    # In review nobody gives feedback any more.
    assert response.context["feedback_form"] is None


def test_the_owner_publishes_feedback_from_the_pilot_page_and_comes_back_to_it(
    client, alice, running
):
    item = feedback(running)
    client.force_login(alice)
    next_url = f"{pilot_url(running)}#pilot-feedback"

    response = client.post(
        reverse("challenges:input_moderate", args=[running.challenge.reference, item.pk]),
        {"decision": "publish", "next": next_url},
    )

    assert response.url == next_url
    item.refresh_from_db()
    assert item.status == CommunityInput.Status.PUBLISHED


def test_the_public_reads_only_published_feedback_without_names_unless_given(client, running):
    feedback(running, status="published", body="Named one", author_name="Marie")
    feedback(running, status="published", body="Anonymous one")
    feedback(running, body="Still pending")

    response = client.get(pilot_url(running))
    html = response.content.decode()

    assert response.context["feedback_counts"] is None
    assert "Named one" in html and "Marie" in html
    assert "Anonymous one" in html and "A resident" in html
    assert "Still pending" not in html
    assert "Do not publish" not in html


STAFF_PAGE = {
    "anonymous": (False, False),
    "rita": (False, False),
    "dave": (False, False),
    "alice": (True, True),
    "bob": (True, False),
    "carol": (True, False),
    "root": (True, False),
}


@pytest.mark.parametrize("persona", list(STAFF_PAGE))
def test_who_sees_pending_feedback_and_who_moderates_it(client, request, running, persona):
    feedback(running, body="Awaiting a moderator")
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))

    response = client.get(pilot_url(running))
    html = response.content.decode()

    sees_pending, moderates = STAFF_PAGE[persona]
    assert response.status_code == 200
    assert ("Awaiting a moderator" in html) is sees_pending
    assert ("Do not publish" in html) is moderates


def test_feedback_is_listed_a_page_at_a_time(client, alice, running):
    for i in range(12):
        feedback(running, status="published", body=f"Feedback number {i:02d}")

    first = client.get(pilot_url(running)).content.decode()
    second = client.get(pilot_url(running), {"feedback": 2}).content.decode()

    assert "Feedback number 11" in first and "Feedback number 01" not in first
    assert "Feedback number 01" in second and "Feedback number 11" not in second
    assert "?feedback=2" in first


def test_the_outcomes_page_shows_published_feedback(client, running):
    feedback(running, status="published", body="Warmer already")
    feedback(running, body="Not yet moderated")

    response = client.get(outcomes_url(running))
    html = response.content.decode()

    assert response.context["pilot_feedback_count"] == 1
    assert "Warmer already" in html
    assert "Not yet moderated" not in html
