"""A vendor's answers to the data handling questions (those the data governance record proposed)
are part of the technical envelope: grouped under "Data handling" in the editor, sealed exactly
like the other answers (nobody but the vendor before closing: not staff, evaluators, other
vendors, the public or the API), and read by staff and the panel after closing."""

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from tests.factories import ResponseQuestionFactory, evaluation_in, panel_member
from tests.vendors.conftest import close
from vendors import selectors, services

pytestmark = pytest.mark.django_db

DATA_ANSWER = "Stored in Montreal (ca-central-1); backups in Toronto."
EVERYONE = ["dave", "erin", "alice", "bob", "carol", "frank", "rita", "root", "anonymous"]


def persona(request, who):
    return AnonymousUser() if who == "anonymous" else request.getfixturevalue(who)


@pytest.fixture
def data_question(questions):
    return ResponseQuestionFactory(
        challenge=questions[0].challenge,
        order=3,
        prompt="Where will the municipality's data be stored and processed?",
        required=True,
        governance_key="data_location",
    )


@pytest.fixture
def submitted_with_data(draft, dave, data_question, globex, erin, questions):
    """Acme answered the data question and submitted; Globex keeps a draft."""
    services.proposal_save_answers(
        proposal=draft, actor=dave, answers={data_question.pk: DATA_ANSWER}
    )
    proposal = services.proposal_submit(proposal=draft, actor=dave)
    other = services.proposal_start(challenge=proposal.challenge, vendor=globex, actor=erin)
    services.proposal_save_answers(
        proposal=other, actor=erin, answers={questions[0].pk: "Globex's idea"}
    )
    return proposal


def data_answers(proposal, user):
    return list(
        selectors.proposal_answers(proposal=proposal, user=user)
        .filter(question__governance_key="data_location")
        .values_list("text", flat=True)
    )


def test_the_editor_groups_the_data_questions_under_data_handling(
    client, draft, dave, data_question
):
    client.force_login(dave)

    page = client.get(reverse("vendors:proposal", args=[draft.public_id])).content.decode()

    assert "Data handling" in page
    general, data = page.split('id="data-handling"', 1)
    assert "Describe your approach" in general
    assert "Where will the municipality&#x27;s data be stored and processed?" in data
    assert "Describe your approach" not in data


def test_the_data_answer_is_saved_in_the_technical_envelope(draft, dave, data_question):
    services.proposal_save_answers(
        proposal=draft, actor=dave, answers={data_question.pk: DATA_ANSWER}
    )

    assert data_answers(draft, dave) == [DATA_ANSWER]
    assert draft.answers.get(question=data_question).text == DATA_ANSWER


def test_the_vendor_reads_its_data_answers_under_data_handling(client, submitted_with_data, dave):
    client.force_login(dave)

    page = client.get(
        reverse("vendors:proposal", args=[submitted_with_data.public_id])
    ).content.decode()

    assert DATA_ANSWER in page.split('id="data-handling"', 1)[1]


@pytest.mark.parametrize("who", EVERYONE)
def test_before_closing_only_the_vendor_reads_the_data_answers(request, submitted_with_data, who):
    user = persona(request, who)

    assert data_answers(submitted_with_data, user) == ([DATA_ANSWER] if who == "dave" else [])


@pytest.mark.parametrize("who", ["erin", "alice", "bob", "carol", "frank", "rita", "root"])
def test_before_closing_no_page_shows_the_data_answer_to_anyone_else(
    request, client, submitted_with_data, who
):
    client.force_login(request.getfixturevalue(who))
    challenge = submitted_with_data.challenge
    urls = [
        reverse("vendors:proposal", args=[submitted_with_data.public_id]),
        reverse("vendors:technical", args=[submitted_with_data.public_id]),
        reverse("vendors:received_proposals", args=[challenge.reference]),
        challenge.get_absolute_url(),
        reverse("challenges:response_questions", args=[challenge.reference]),
    ]

    for url in urls:
        response = client.get(url)
        assert DATA_ANSWER not in response.content.decode(), url


def test_before_closing_the_public_sees_only_the_question(client, submitted_with_data):
    page = client.get(submitted_with_data.challenge.get_absolute_url()).content.decode()

    assert "Where will the municipality&#x27;s data be stored and processed?" in page
    assert DATA_ANSWER not in page


@pytest.mark.parametrize("who", ["erin", "alice", "bob", "carol", "frank", "rita", "root", None])
def test_before_closing_the_api_never_returns_the_data_answer(
    request, api_as, submitted_with_data, who
):
    client = api_as(request.getfixturevalue(who) if who else None)
    challenge = submitted_with_data.challenge
    urls = [
        f"/api/proposals/{submitted_with_data.public_id}/",
        "/api/proposals/",
        f"/api/challenges/{challenge.reference}/proposals/",
        f"/api/challenges/{challenge.reference}/response-questions/",
    ]

    for url in urls:
        response = client.get(url)
        assert DATA_ANSWER not in response.content.decode(), url


def test_the_vendors_own_api_returns_its_data_answer(api_as, submitted_with_data, dave):
    response = api_as(dave).get(f"/api/proposals/{submitted_with_data.public_id}/")

    assert DATA_ANSWER in response.content.decode()


@pytest.fixture
def closed(submitted_with_data):
    challenge = submitted_with_data.challenge
    with time_machine.travel(challenge.submission_deadline, tick=False):
        close(challenge)
    submitted_with_data.refresh_from_db()
    return submitted_with_data


@pytest.mark.parametrize("who", EVERYONE)
def test_after_closing_staff_read_the_data_answers_like_the_others(request, closed, who):
    user = persona(request, who)
    sees = who in {"dave", "alice", "bob", "carol"}

    assert data_answers(closed, user) == ([DATA_ANSWER] if sees else [])
    other_answers = selectors.proposal_answers(proposal=closed, user=user).exclude(
        question__governance_key="data_location"
    )
    assert other_answers.exists() is sees


def test_after_closing_staff_read_them_under_data_handling(client, closed, alice):
    client.force_login(alice)

    page = client.get(reverse("vendors:technical", args=[closed.public_id])).content.decode()

    assert DATA_ANSWER in page.split('id="data-handling"', 1)[1]


def test_after_closing_an_evaluator_on_the_panel_reads_them_like_other_answers(
    closed, frank, grace
):
    from evaluation.selectors import proposals_for_panel

    evaluation = evaluation_in(closed.challenge, "scoring")
    panel_member(evaluation, frank, status="accepted")

    seen = proposals_for_panel(evaluation=evaluation, user=frank)
    answers = dict(next(p for p in seen if p.public_id == str(closed.public_id)).answers)
    assert answers["Where will the municipality's data be stored and processed?"] == DATA_ANSWER
    assert answers["Describe your approach"]
    # Off the panel, an evaluator reads nothing, through the panel or the vendor's envelope.
    assert proposals_for_panel(evaluation=evaluation, user=grace) == []
    assert data_answers(closed, grace) == []
