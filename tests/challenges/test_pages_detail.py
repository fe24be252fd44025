"""The challenge page: what each person sees, the steps offered to them, and what the steps do."""

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from challenges.models import Challenge, CommunityInput, Question
from tests.factories import (
    ChallengeFactory,
    CommunityInputFactory,
    QuestionFactory,
    set_status,
)

pytestmark = pytest.mark.django_db


def transition_url(challenge, name):
    return reverse("challenges:transition", args=[challenge.reference, name])


def messages_of(response):
    return [str(m) for m in response.context["messages"]]


def offered(response):
    context = response.context
    return [t["name"] for t in [*context["transitions"], *context["stop_transitions"]]]


# What the confirmation page posts back (tests/challenges/test_one_way_steps.py asks first).
CONFIRMED = {"confirmed": "yes"}


# --- what the public sees ----------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["anonymous", "rita", "dave"])
@pytest.mark.parametrize("status", ["draft", "in_review", "approved"])
def test_unpublished_challenges_are_not_found_by_the_public(
    client, request, challenge, persona, status
):
    set_status(challenge, status)
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))

    response = client.get(challenge.get_absolute_url())

    assert response.status_code == 404
    assert challenge.title not in response.content.decode()


def test_a_cancelled_draft_stays_hidden_but_a_cancelled_publication_shows_its_reason(client, alice):
    never_published = set_status(ChallengeFactory(owner=alice), "cancelled")
    withdrawn = set_status(
        ChallengeFactory(owner=alice, cancellation_reason="Funding was withdrawn."),
        "cancelled",
        published_at=timezone.now(),
    )

    assert client.get(never_published.get_absolute_url()).status_code == 404
    response = client.get(withdrawn.get_absolute_url())
    assert response.status_code == 200
    assert "Funding was withdrawn." in response.content.decode()


def test_the_public_page_shows_the_statement_budget_and_zone_named_deadlines(
    client, published_challenge
):
    Challenge.objects.filter(pk=published_challenge.pk).update(
        questions_deadline=datetime(2031, 1, 15, 18, 0, tzinfo=UTC),
        submission_deadline=datetime(2031, 7, 15, 17, 0, tzinfo=UTC),
    )

    response = client.get(published_challenge.get_absolute_url())

    html = response.content.decode()
    assert response.status_code == 200
    assert published_challenge.problem in html
    assert published_challenge.success_measures in html
    assert "From $50,000 to $150,000" in html
    assert "Jan 15, 2031, 2:00\u202fp.m. AST" in html
    assert "Jul 15, 2031, 2:00\u202fp.m. ADT" in html
    # Nothing for staff on the public page.
    assert response.context["transitions"] == []
    assert (
        reverse("procurement:challenge_history", args=[published_challenge.reference]) not in html
    )


def test_the_page_shows_how_the_city_engaged_with_totals(client, published_challenge):
    response = client.get(published_challenge.get_absolute_url())

    html = response.content.decode()
    assert "How we engaged" in html
    assert "Tenants&#x27; association, seniors&#x27; centre" in html
    assert "One activity reached 24 participants." in html


def test_an_answer_is_public_without_the_askers_identity(client, alice, dave, published_challenge):
    question = QuestionFactory(challenge=published_challenge, asked_by=dave, body="Smart meters?")
    client.force_login(alice)
    staff_page = client.get(published_challenge.get_absolute_url()).content.decode()

    answered = client.post(
        reverse("challenges:question_answer", args=[published_challenge.reference, question.pk]),
        {"answer_en": "Yes, through the utility's open interface."},
    )
    client.logout()
    public = client.get(published_challenge.get_absolute_url()).content.decode()

    assert "Asked by dave" in staff_page
    assert answered.status_code == 302
    question.refresh_from_db()
    assert question.status == Question.Status.ANSWERED
    assert "Smart meters?" in public
    assert "Yes, through the utility&#x27;s open interface." in public
    assert "dave" not in public


def test_an_empty_answer_is_refused_with_a_message(client, alice, published_challenge):
    question = QuestionFactory(challenge=published_challenge)
    client.force_login(alice)

    response = client.post(
        reverse("challenges:question_answer", args=[published_challenge.reference, question.pk]),
        {"answer_en": "", "answer_fr": ""},
        follow=True,
    )

    assert "Write the answer before publishing it." in messages_of(response)
    question.refresh_from_db()
    assert question.status == Question.Status.SUBMITTED


def test_dismissing_a_question_needs_a_reason(client, alice, published_challenge):
    question = QuestionFactory(challenge=published_challenge)
    client.force_login(alice)
    url = reverse("challenges:question_dismiss", args=[published_challenge.reference, question.pk])

    refused = client.post(url, {"reason": ""}, follow=True)
    question.refresh_from_db()
    assert question.status == Question.Status.SUBMITTED
    assert any("Give a reason" in m for m in messages_of(refused))

    client.post(url, {"reason": "Asked twice."})
    question.refresh_from_db()
    assert (question.status, question.dismissal_reason) == (
        Question.Status.DISMISSED,
        "Asked twice.",
    )


def test_a_vendor_sees_their_own_questions_and_not_others(client, dave, erin, published_challenge):
    QuestionFactory(challenge=published_challenge, asked_by=dave, body="Dave's question")
    QuestionFactory(challenge=published_challenge, asked_by=erin, body="Erin's question")
    client.force_login(dave)

    response = client.get(published_challenge.get_absolute_url())

    html = response.content.decode()
    assert "Dave&#x27;s question" in html
    assert "Awaiting answer" in html
    assert "Erin&#x27;s question" not in html
    assert response.context["question_form"] is not None


def test_a_vendor_asks_a_question(client, dave, published_challenge):
    client.force_login(dave)

    response = client.post(
        reverse("challenges:question_ask", args=[published_challenge.reference]),
        {"body": "Can we pilot in one building?"},
    )

    assert response.status_code == 302
    question = Question.objects.get(challenge=published_challenge)
    assert (question.asked_by, question.status) == (dave, Question.Status.SUBMITTED)


# --- co-design input ---------------------------------------------------------------------------


def test_anonymous_visitors_are_offered_the_input_form(client, co_design_challenge):
    response = client.get(co_design_challenge.get_absolute_url())

    html = response.content.decode()
    assert response.context["input_form"] is not None
    assert "No account needed." in html
    assert reverse("challenges:input_add", args=[co_design_challenge.reference]) in html


def test_resident_input_is_moderated_then_shown_without_the_residents_name(
    client, rita, alice, co_design_challenge
):
    client.force_login(rita)
    sent = client.post(
        reverse("challenges:input_add", args=[co_design_challenge.reference]),
        {
            "kind": "idea",
            "body": "Insulate the attics first.",
            "neighbourhood": "Northside",
            "consent_to_publish": "on",
        },
    )
    item = CommunityInput.objects.get(challenge=co_design_challenge)
    client.logout()
    before_moderation = client.get(co_design_challenge.get_absolute_url()).content.decode()

    client.force_login(alice)
    staff_page = client.get(co_design_challenge.get_absolute_url()).content.decode()
    client.post(
        reverse("challenges:input_moderate", args=[co_design_challenge.reference, item.pk]),
        {"decision": "publish"},
    )
    client.logout()
    after = client.get(co_design_challenge.get_absolute_url()).content.decode()

    assert sent.status_code == 302
    assert "Insulate the attics first." not in before_moderation
    assert "from rita" in staff_page
    item.refresh_from_db()
    assert item.status == CommunityInput.Status.PUBLISHED
    assert "Insulate the attics first." in after
    assert "Northside" in after
    assert "rita" not in after


def test_not_publishing_input_needs_a_reason(client, alice, co_design_challenge):
    item = CommunityInputFactory(challenge=co_design_challenge)
    client.force_login(alice)
    url = reverse("challenges:input_moderate", args=[co_design_challenge.reference, item.pk])

    refused = client.post(url, {"decision": "reject", "reason": ""}, follow=True)
    item.refresh_from_db()
    assert item.status == CommunityInput.Status.PENDING
    assert any("Give a reason" in m for m in messages_of(refused))

    client.post(url, {"decision": "reject", "reason": "Personal details."})
    item.refresh_from_db()
    assert (item.status, item.moderation_reason) == (
        CommunityInput.Status.REJECTED,
        "Personal details.",
    )


def test_input_without_consent_is_offered_only_to_keep_unpublished(
    client, alice, co_design_challenge
):
    item = CommunityInputFactory(challenge=co_design_challenge, consent_to_publish=False)
    client.force_login(alice)
    page = client.get(co_design_challenge.get_absolute_url()).content.decode()
    url = reverse("challenges:input_moderate", args=[co_design_challenge.reference, item.pk])

    refused = client.post(url, {"decision": "publish"}, follow=True)

    assert 'value="publish"' not in page
    assert 'value="reject"' in page
    assert "did not agree to publish it" in page
    item.refresh_from_db()
    assert item.status == CommunityInput.Status.PENDING
    assert any("did not agree to publish this input" in m for m in messages_of(refused))


# --- steps offered and taken -------------------------------------------------------------------


def test_the_owner_is_offered_only_the_steps_allowed_now(client, alice, bob, carol, challenge):
    url = challenge.get_absolute_url()
    client.force_login(alice)
    assert offered(client.get(url)) == ["open_co_design", "cancel"]
    client.force_login(bob)
    assert offered(client.get(url)) == []
    set_status(challenge, "in_review")
    client.force_login(carol)
    assert offered(client.get(url)) == ["approve", "request_changes"]
    client.force_login(alice)
    assert offered(client.get(url)) == ["cancel"]


def test_the_owner_is_told_what_blocks_review(client, alice, challenge):
    Challenge.objects.filter(pk=challenge.pk).update(problem="")
    client.force_login(alice)

    response = client.get(challenge.get_absolute_url())

    blocked = response.context["blocked"]
    assert blocked["label"] == "Submit for review"
    assert any("Complete the statement before review: problem." in p for p in blocked["problems"])
    assert any("engagement activity" in p for p in blocked["problems"])
    assert "Not yet possible: Submit for review" in response.content.decode()


def test_nobody_but_the_owner_is_told_what_blocks_review(client, bob, challenge):
    client.force_login(bob)

    response = client.get(challenge.get_absolute_url())

    assert response.context["blocked"] is None


def test_submitting_for_review_works_once_co_design_is_evidenced(
    client, alice, co_design_challenge
):
    client.force_login(alice)

    response = client.post(transition_url(co_design_challenge, "submit_for_review"), follow=True)

    co_design_challenge.refresh_from_db()
    assert co_design_challenge.status == Challenge.Status.IN_REVIEW
    assert "Done: Submit for review. The challenge is now “In review”." in messages_of(response)


def test_submitting_for_review_without_evidence_is_refused_with_the_reason(
    client, alice, challenge
):
    set_status(challenge, "co_design")
    client.force_login(alice)

    response = client.post(transition_url(challenge, "submit_for_review"), follow=True)

    challenge.refresh_from_db()
    assert challenge.status == Challenge.Status.CO_DESIGN
    assert any("engagement activity" in m for m in messages_of(response))


def test_requesting_changes_needs_a_reason_which_the_owner_then_sees(
    client, alice, carol, co_design_challenge
):
    set_status(co_design_challenge, "in_review")
    client.force_login(carol)
    url = transition_url(co_design_challenge, "request_changes")

    refused = client.post(url, {"reason": ""}, follow=True)
    co_design_challenge.refresh_from_db()
    assert co_design_challenge.status == Challenge.Status.IN_REVIEW
    assert any("Give a reason" in m for m in messages_of(refused))

    client.post(url, {"reason": "Say which neighbourhoods were consulted."})
    co_design_challenge.refresh_from_db()
    assert co_design_challenge.status == Challenge.Status.DRAFT
    client.force_login(alice)
    page = client.get(co_design_challenge.get_absolute_url()).content.decode()
    assert "Say which neighbourhoods were consulted." in page


def test_the_owner_cannot_approve_their_own_challenge(client, alice, co_design_challenge):
    set_status(co_design_challenge, "in_review")
    client.force_login(alice)

    response = client.post(transition_url(co_design_challenge, "approve"), CONFIRMED)

    assert response.status_code == 403
    co_design_challenge.refresh_from_db()
    assert co_design_challenge.status == Challenge.Status.IN_REVIEW
    assert co_design_challenge.approved_by is None


def test_an_approver_approves(client, carol, co_design_challenge):
    set_status(co_design_challenge, "in_review")
    client.force_login(carol)

    client.post(transition_url(co_design_challenge, "approve"), CONFIRMED)

    co_design_challenge.refresh_from_db()
    assert co_design_challenge.status == Challenge.Status.APPROVED
    assert co_design_challenge.approved_by == carol


def test_publishing_with_a_short_timeline_is_refused_and_explained(
    client, alice, co_design_challenge
):
    set_status(co_design_challenge, "approved")
    Challenge.objects.filter(pk=co_design_challenge.pk).update(
        submission_deadline=timezone.now() + timedelta(days=12)
    )
    client.force_login(alice)

    page = client.get(co_design_challenge.get_absolute_url())
    response = client.post(transition_url(co_design_challenge, "publish"), follow=True)

    assert "publish" not in offered(page)
    assert any("at least 14 days away" in p for p in page.context["blocked"]["problems"])
    assert any("at least 14 days away" in m for m in messages_of(response))
    co_design_challenge.refresh_from_db()
    assert co_design_challenge.status == Challenge.Status.APPROVED
    assert co_design_challenge.published_at is None


def test_a_step_from_the_wrong_state_is_refused(client, alice, challenge):
    client.force_login(alice)

    response = client.post(transition_url(challenge, "close"), follow=True)

    assert any("not possible while the challenge is Draft" in m for m in messages_of(response))
    challenge.refresh_from_db()
    assert challenge.status == Challenge.Status.DRAFT


def test_closing_is_refused_while_questions_are_open_then_allowed(
    client, alice, published_challenge
):
    Challenge.objects.filter(pk=published_challenge.pk).update(
        questions_deadline=timezone.now() - timedelta(days=2),
        submission_deadline=timezone.now() - timedelta(minutes=1),
    )
    question = QuestionFactory(challenge=published_challenge)
    client.force_login(alice)

    refused = client.post(transition_url(published_challenge, "close"), follow=True)
    published_challenge.refresh_from_db()
    assert published_challenge.status == Challenge.Status.PUBLISHED
    assert any("open question" in m for m in messages_of(refused))

    client.post(
        reverse("challenges:question_dismiss", args=[published_challenge.reference, question.pk]),
        {"reason": "Asked after the deadline."},
    )
    client.post(transition_url(published_challenge, "close"), CONFIRMED)
    published_challenge.refresh_from_db()
    assert published_challenge.status == Challenge.Status.CLOSED


def test_cancelling_needs_a_reason(client, alice, published_challenge):
    client.force_login(alice)
    url = transition_url(published_challenge, "cancel")

    client.post(url, {"reason": "  ", **CONFIRMED})
    published_challenge.refresh_from_db()
    assert published_challenge.status == Challenge.Status.PUBLISHED

    client.post(url, {"reason": "The council withdrew the funding.", **CONFIRMED})
    published_challenge.refresh_from_db()
    assert published_challenge.status == Challenge.Status.CANCELLED
    assert published_challenge.cancellation_reason == "The council withdrew the funding."


# --- history -----------------------------------------------------------------------------------


def test_staff_see_the_history_of_the_challenge_and_what_hangs_off_it(
    client, alice, bob, published_challenge
):
    question = QuestionFactory(challenge=published_challenge)
    client.force_login(alice)
    client.post(
        reverse("challenges:question_dismiss", args=[published_challenge.reference, question.pk]),
        {"reason": "Duplicate of an answered question."},
    )
    client.post(
        transition_url(published_challenge, "cancel"), {"reason": "No longer needed.", **CONFIRMED}
    )
    client.force_login(bob)
    page = client.get(published_challenge.get_absolute_url()).content.decode()

    response = client.get(
        reverse("procurement:challenge_history", args=[published_challenge.reference])
    )

    history_url = reverse("procurement:challenge_history", args=[published_challenge.reference])
    assert history_url in page
    assert response.status_code == 200
    assert [e.transition for e in response.context["entries"]] == ["dismiss", "cancel"]
    html = response.content.decode()
    assert "Duplicate of an answered question." in html
    assert "No longer needed." in html
    assert "alice" in html


# --- the cached parts are never stale ----------------------------------------------------------


def test_each_change_to_the_cached_parts_shows_at_once(client, published_challenge):
    from tests.factories import EngagementActivityFactory, ResponseQuestionFactory

    url = published_challenge.get_absolute_url()
    first = client.get(url).content.decode()
    assert "One activity reached 24 participants." in first

    Challenge.objects.filter(pk=published_challenge.pk).update(
        problem="Winter bills take a fifth of some households' income.",
        submission_deadline=datetime(2031, 7, 15, 17, 0, tzinfo=UTC),
    )
    EngagementActivityFactory(challenge=published_challenge, participants=6)
    ResponseQuestionFactory(challenge=published_challenge, prompt="Who installs the sensors?")

    html = client.get(url).content.decode()

    assert "Winter bills take a fifth of some households&#x27; income." in html
    assert "Jul 15, 2031, 2:00\u202fp.m. ADT" in html
    assert "2 activities reached 30 participants in total." in html
    assert "Who installs the sensors?" in html


def test_the_owner_and_the_public_each_get_their_own_cached_parts(
    client, alice, co_design_challenge
):
    url = co_design_challenge.get_absolute_url()
    edit_questions = reverse("challenges:response_questions", args=[co_design_challenge.reference])
    client.force_login(alice)
    assert edit_questions in client.get(url).content.decode()

    client.logout()
    public = client.get(url).content.decode()
    french = client.get(url, HTTP_ACCEPT_LANGUAGE="fr").content.decode()

    assert edit_questions not in public
    assert "How we engaged" in public and "How we engaged" not in french
