"""One-way steps ask first: the form's post shows what will happen and what cannot be undone, and
only the post that carries the explicit confirmation acts. Refused people are refused either way."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from challenges.models import Addendum, Challenge
from tests.factories import AddendumFactory, QuestionFactory, complete_plan, set_status

pytestmark = pytest.mark.django_db

CONFIRMED = {"confirmed": "yes"}


def transition_url(challenge, name):
    return reverse("challenges:transition", args=[challenge.reference, name])


def status_of(challenge):
    return Challenge.objects.values_list("status", flat=True).get(pk=challenge.pk)


def assert_asks(response, *sentences):
    assert response.status_code == 200
    assert [t.name for t in response.templates][0] == "core/confirm.html"
    html = response.content.decode()
    assert "What will happen" in html
    assert "What cannot be undone" in html
    assert 'name="confirmed" value="yes"' in html
    for sentence in sentences:
        assert sentence in html
    return html


def _in_review(challenge):
    set_status(challenge, "in_review")
    return challenge


def _approved(challenge):
    complete_plan(challenge)
    set_status(challenge, "approved")
    return challenge


def _past_deadline(challenge):
    Challenge.objects.filter(pk=challenge.pk).update(
        questions_deadline=timezone.now() - timedelta(days=2),
        submission_deadline=timezone.now() - timedelta(minutes=1),
    )
    return challenge


# (fixture, prepare, step, who may take it, data, state after, a sentence of its consequences)
STEPS = {
    "approve": (
        "co_design_challenge",
        _in_review,
        "carol",
        {},
        Challenge.Status.APPROVED,
        "An approval cannot be withdrawn",
    ),
    "publish": (
        "co_design_challenge",
        _approved,
        "alice",
        {},
        Challenge.Status.PUBLISHED,
        "A published challenge cannot return to draft",
    ),
    "close": (
        "published_challenge",
        _past_deadline,
        "alice",
        {},
        Challenge.Status.CLOSED,
        "A closed challenge cannot take proposals again.",
    ),
    "cancel": (
        "published_challenge",
        lambda c: c,
        "alice",
        {"reason": "The council withdrew the funding."},
        Challenge.Status.CANCELLED,
        "A cancelled challenge cannot be reopened",
    ),
}


@pytest.mark.parametrize("name", STEPS)
def test_the_unconfirmed_post_changes_nothing_and_says_what_will_happen(client, request, name):
    fixture, prepare, persona, data, _after, sentence = STEPS[name]
    challenge = prepare(request.getfixturevalue(fixture))
    before = status_of(challenge)
    client.force_login(request.getfixturevalue(persona))

    response = client.post(transition_url(challenge, name), data)

    html = assert_asks(response, sentence, challenge.reference)
    assert status_of(challenge) == before
    # The confirmation posts the same data again, to the same step.
    assert f'action="{transition_url(challenge, name)}"' in html
    for value in data.values():
        assert f'value="{value}"' in html


@pytest.mark.parametrize("name", STEPS)
def test_the_confirmed_post_acts(client, request, name):
    fixture, prepare, persona, data, after, _sentence = STEPS[name]
    challenge = prepare(request.getfixturevalue(fixture))
    client.force_login(request.getfixturevalue(persona))

    response = client.post(transition_url(challenge, name), {**data, **CONFIRMED})

    assert response.status_code == 302
    assert status_of(challenge) == after


@pytest.mark.parametrize("name", STEPS)
def test_a_confirmation_other_than_yes_is_no_confirmation(client, request, name):
    fixture, prepare, persona, data, _after, _sentence = STEPS[name]
    challenge = prepare(request.getfixturevalue(fixture))
    before = status_of(challenge)
    client.force_login(request.getfixturevalue(persona))

    response = client.post(transition_url(challenge, name), {**data, "confirmed": "on"})

    assert_asks(response)
    assert status_of(challenge) == before


@pytest.mark.parametrize(
    ("name", "persona", "status"),
    [
        ("approve", "alice", 403),  # the owner never approves their own challenge
        ("approve", "bob", 403),
        ("publish", "bob", 403),
        ("publish", "carol", 403),
        ("close", "bob", 403),
        ("cancel", "bob", 403),
        ("cancel", "dave", 403),
        ("cancel", "rita", 403),
    ],
)
def test_the_wrong_people_are_refused_without_being_asked(client, request, name, persona, status):
    fixture, prepare, _persona, data, _after, _sentence = STEPS[name]
    challenge = prepare(request.getfixturevalue(fixture))
    before = status_of(challenge)
    client.force_login(request.getfixturevalue(persona))

    unconfirmed = client.post(transition_url(challenge, name), data)
    confirmed = client.post(transition_url(challenge, name), {**data, **CONFIRMED})

    assert (unconfirmed.status_code, confirmed.status_code) == (status, status)
    assert "What cannot be undone" not in unconfirmed.content.decode()
    assert status_of(challenge) == before


def test_a_step_that_would_be_refused_is_refused_not_confirmed(client, alice, published_challenge):
    _past_deadline(published_challenge)
    QuestionFactory(challenge=published_challenge)  # closing waits for open questions
    client.force_login(alice)

    response = client.post(transition_url(published_challenge, "close"), follow=True)

    assert [t.name for t in response.templates][0] == "challenges/detail.html"
    assert any("open question" in str(m) for m in response.context["messages"])
    assert status_of(published_challenge) == Challenge.Status.PUBLISHED


def test_cancelling_without_a_reason_is_refused_before_asking(client, alice, published_challenge):
    client.force_login(alice)

    response = client.post(transition_url(published_challenge, "cancel"), {"reason": " "})

    assert response.status_code == 302
    assert status_of(published_challenge) == Challenge.Status.PUBLISHED


def test_the_confirmation_repeats_the_reason_given(client, alice, published_challenge):
    client.force_login(alice)

    response = client.post(
        transition_url(published_challenge, "cancel"), {"reason": "Funding <withdrawn>."}
    )

    html = assert_asks(response, "Your reason", "Yes, cancel the challenge")
    assert "Funding &lt;withdrawn&gt;." in html
    assert "Funding <withdrawn>." not in html
    assert reverse("challenges:detail", args=[published_challenge.reference]) in html


def test_steps_that_can_be_undone_do_not_ask(client, alice, co_design_challenge):
    client.force_login(alice)

    response = client.post(transition_url(co_design_challenge, "submit_for_review"))

    assert response.status_code == 302
    assert status_of(co_design_challenge) == Challenge.Status.IN_REVIEW


# --- issuing an addendum -------------------------------------------------------------------------


def issue_url(addendum):
    return reverse("challenges:addendum_issue", args=[addendum.challenge.reference, addendum.pk])


def test_issuing_an_addendum_asks_first_and_says_vendors_must_reconfirm(
    client, alice, published_challenge
):
    addendum = AddendumFactory(challenge=published_challenge, changes_terms=True)
    client.force_login(alice)

    response = client.post(issue_url(addendum))

    assert_asks(
        response,
        f"Issue the addendum “{addendum.title}”?",
        "must re-confirm it before the submission deadline",
        "An issued addendum cannot be edited or withdrawn",
    )
    addendum.refresh_from_db()
    assert (addendum.status, addendum.number) == (Addendum.Status.DRAFT, None)

    client.post(issue_url(addendum), CONFIRMED)
    addendum.refresh_from_db()
    assert (addendum.status, addendum.number) == (Addendum.Status.ISSUED, 1)


def test_an_addendum_that_changes_nothing_material_does_not_speak_of_reconfirming(
    client, alice, published_challenge
):
    addendum = AddendumFactory(challenge=published_challenge, changes_terms=False)
    client.force_login(alice)

    response = client.post(issue_url(addendum))

    html = assert_asks(response)
    assert "re-confirm" not in html


@pytest.mark.parametrize("persona", ["bob", "dave"])
def test_only_the_owner_is_asked_to_issue_an_addendum(
    client, request, published_challenge, persona
):
    addendum = AddendumFactory(challenge=published_challenge)
    client.force_login(request.getfixturevalue(persona))

    response = client.post(issue_url(addendum))

    assert response.status_code == 403
    addendum.refresh_from_db()
    assert addendum.status == Addendum.Status.DRAFT


# --- where the steps are offered ----------------------------------------------------------------


def test_cancelling_is_apart_from_the_next_steps_and_last(client, alice, published_challenge):
    client.force_login(alice)

    html = client.get(published_challenge.get_absolute_url()).content.decode()

    next_steps = html.index('id="workflow-heading"')
    stop = html.index('id="stop-heading"')
    cancel_form = html.index(transition_url(published_challenge, "cancel"))
    assert next_steps < html.index('id="addenda"') < stop < cancel_form
    assert "Stop this challenge" in html
    # The form names its in-place dialog, which says the same as the confirmation page.
    assert 'data-confirm="confirm-challenges-cancel"' in html
    assert '<dialog id="confirm-challenges-cancel"' in html
    assert "A cancelled challenge cannot be reopened" in html


def test_the_confirmation_page_is_in_french(client, alice, published_challenge):
    client.force_login(alice)

    response = client.post(
        transition_url(published_challenge, "cancel"),
        {"reason": "Le financement est retiré."},
        HTTP_ACCEPT_LANGUAGE="fr",
    )

    html = response.content.decode()
    assert '<html lang="fr">' in html
    assert "Ce qui va se passer" in html
    assert "Ce qui ne pourra pas être annulé" in html
    assert f"Annuler {published_challenge.reference}?" in html
    assert "What will happen" not in html
