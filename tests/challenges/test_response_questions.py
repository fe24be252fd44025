"""The questions every vendor answers: the owner adds, edits, removes and reorders them while
the statement is editable; everyone who may see the challenge reads them (services, pages, API).

A refusal, whoever asks and however the request arrives, changes nothing.
"""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from challenges import services
from challenges.models import ResponseQuestion
from core.errors import InvalidInput, PermissionDenied, TransitionRefused
from tests.factories import (
    ChallengeFactory,
    ProposalAnswerFactory,
    ProposalFactory,
    ResponseQuestionFactory,
    set_status,
)

pytestmark = pytest.mark.django_db

PERSONAS = ("anonymous", "rita", "dave", "frank", "alice", "bob", "carol", "root")
# Who may see a draft: municipal staff, approvers and admins. The others get 404.
INTERNAL = ("alice", "bob", "carol", "root")
NOT_EDITABLE = ("in_review", "approved", "published", "closed", "evaluating", "cancelled")


def persona_user(request, persona):
    return AnonymousUser() if persona == "anonymous" else request.getfixturevalue(persona)


def snapshot():
    return list(ResponseQuestion.objects.order_by("pk").values())


def prompts(challenge):
    return list(
        challenge.response_questions.order_by("order", "id").values_list("prompt", flat=True)
    )


def orders(challenge):
    return list(
        challenge.response_questions.order_by("order", "id").values_list("order", flat=True)
    )


@pytest.fixture
def questions(challenge):
    """Three questions on alice's draft, in order."""
    return [
        ResponseQuestionFactory(challenge=challenge, order=position, prompt=prompt)
        for position, prompt in enumerate(("Approach?", "Team?", "Data handling?"), start=1)
    ]


# --- services ----------------------------------------------------------------------------------


@pytest.mark.parametrize("status", ["draft", "co_design"])
def test_the_owner_adds_questions_at_the_end_of_the_list(alice, challenge, status):
    set_status(challenge, status)

    first = services.response_question_add(
        challenge=challenge,
        actor=alice,
        prompt="  How will you reach tenants who do not speak English?  ",
        guidance="Name the languages and channels.",
        required=True,
        max_words=300,
    )
    second = services.response_question_add(
        challenge=challenge, actor=alice, prompt="Who maintains the devices?", required=False
    )

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.order, second.order) == (1, 2)
    assert first.prompt == "How will you reach tenants who do not speak English?"
    assert first.guidance == "Name the languages and channels."
    assert (first.required, first.max_words) == (True, 300)
    assert (second.required, second.max_words) == (False, None)


def test_a_new_question_goes_after_the_highest_position(alice, challenge):
    ResponseQuestionFactory(challenge=challenge, order=7, prompt="Last so far")

    question = services.response_question_add(challenge=challenge, actor=alice, prompt="Newest")

    assert question.order == 8
    assert prompts(challenge) == ["Last so far", "Newest"]


@pytest.mark.parametrize("persona", [p for p in PERSONAS if p != "alice"])
def test_nobody_but_the_owner_adds_a_question(request, challenge, persona):
    user = persona_user(request, persona)

    with pytest.raises(PermissionDenied, match="owner"):
        services.response_question_add(challenge=challenge, actor=user, prompt="Sneaky question")

    assert not ResponseQuestion.objects.exists()


@pytest.mark.parametrize("status", NOT_EDITABLE)
def test_the_owner_cannot_add_a_question_once_the_statement_is_fixed(alice, challenge, status):
    set_status(challenge, status)

    with pytest.raises(PermissionDenied, match="review"):
        services.response_question_add(challenge=challenge, actor=alice, prompt="Too late")

    assert not ResponseQuestion.objects.exists()


@pytest.mark.parametrize("status", NOT_EDITABLE)
def test_the_owner_cannot_change_remove_or_move_a_question_once_the_statement_is_fixed(
    alice, challenge, questions, status
):
    set_status(challenge, status)
    before = snapshot()

    with pytest.raises(PermissionDenied):
        services.response_question_change(question=questions[0], actor=alice, prompt="Changed")
    with pytest.raises(PermissionDenied):
        services.response_question_remove(question=questions[0], actor=alice)
    with pytest.raises(PermissionDenied):
        services.response_question_move(question=questions[0], actor=alice, direction="down")

    assert snapshot() == before


@pytest.mark.parametrize("persona", [p for p in PERSONAS if p != "alice"])
def test_nobody_but_the_owner_changes_removes_or_moves_a_question(request, questions, persona):
    user = persona_user(request, persona)
    before = snapshot()

    with pytest.raises(PermissionDenied):
        services.response_question_change(question=questions[1], actor=user, prompt="Changed")
    with pytest.raises(PermissionDenied):
        services.response_question_remove(question=questions[1], actor=user)
    with pytest.raises(PermissionDenied):
        services.response_question_move(question=questions[1], actor=user, direction="up")

    assert snapshot() == before


def test_a_former_staff_owner_can_no_longer_change_the_questions(alice, questions):
    alice.groups.clear()
    before = snapshot()

    with pytest.raises(PermissionDenied):
        services.response_question_change(question=questions[0], actor=alice, prompt="Changed")

    assert snapshot() == before


BAD_INPUT = [
    pytest.param({"prompt": ""}, "prompt", id="empty prompt"),
    pytest.param({"prompt": "   "}, "prompt", id="blank prompt"),
    pytest.param({"prompt": "x" * 501}, "prompt", id="prompt too long"),
    pytest.param({"prompt": "Fine", "guidance": "x" * 4001}, "guidance", id="guidance too long"),
    pytest.param({"prompt": "Fine", "max_words": 0}, "max_words", id="word limit zero"),
    pytest.param({"prompt": "Fine", "max_words": -5}, "max_words", id="negative word limit"),
    pytest.param(
        {"prompt": "Fine", "max_words": "many"}, "max_words", id="word limit not a number"
    ),
]


@pytest.mark.parametrize(("data", "field"), BAD_INPUT)
def test_bad_input_on_add_names_the_field_and_saves_nothing(alice, challenge, data, field):
    with pytest.raises(InvalidInput) as caught:
        services.response_question_add(challenge=challenge, actor=alice, **data)

    assert field in caught.value.field_errors
    assert caught.value.messages
    assert not ResponseQuestion.objects.exists()


@pytest.mark.parametrize(("data", "field"), BAD_INPUT)
def test_bad_input_on_change_names_the_field_and_changes_nothing(alice, questions, data, field):
    before = snapshot()

    with pytest.raises(InvalidInput) as caught:
        services.response_question_change(question=questions[0], actor=alice, **data)

    assert field in caught.value.field_errors
    assert snapshot() == before


def test_the_word_limit_has_its_own_sentence(alice, challenge):
    with pytest.raises(InvalidInput) as caught:
        services.response_question_add(challenge=challenge, actor=alice, prompt="Q", max_words=0)

    assert caught.value.field_errors == {
        "max_words": ["A word limit is at least one word; leave it empty for no limit."]
    }


def test_the_position_is_not_set_by_add_or_change(alice, challenge, questions):
    before = snapshot()

    with pytest.raises(InvalidInput, match="order"):
        services.response_question_change(question=questions[0], actor=alice, order=9)
    with pytest.raises(InvalidInput, match="challenge"):
        services.response_question_add(
            challenge=challenge, actor=alice, prompt="Q", challenge_id=999
        )

    assert snapshot() == before


def test_the_owner_changes_a_question_and_it_keeps_its_place(alice, challenge, questions):
    services.response_question_change(
        question=questions[1],
        actor=alice,
        prompt="Who is on the team, and what have they delivered?",
        guidance="Three similar projects at most.",
        required=False,
        max_words=None,
    )

    questions[1].refresh_from_db()
    assert questions[1].prompt == "Who is on the team, and what have they delivered?"
    assert questions[1].guidance == "Three similar projects at most."
    assert (questions[1].required, questions[1].max_words, questions[1].order) == (False, None, 2)
    assert prompts(challenge) == [
        "Approach?",
        "Who is on the team, and what have they delivered?",
        "Data handling?",
    ]


def test_a_change_touches_only_the_fields_given(alice, questions):
    ResponseQuestion.objects.filter(pk=questions[0].pk).update(guidance="Keep me", max_words=50)

    services.response_question_change(question=questions[0], actor=alice, required=False)

    questions[0].refresh_from_db()
    assert (questions[0].prompt, questions[0].guidance) == ("Approach?", "Keep me")
    assert (questions[0].required, questions[0].max_words) == (False, 50)


def test_the_owner_removes_a_question_and_the_rest_close_up(alice, challenge, questions):
    services.response_question_remove(question=questions[0], actor=alice)

    assert prompts(challenge) == ["Team?", "Data handling?"]
    assert orders(challenge) == [1, 2]


def test_a_question_with_answers_cannot_be_removed(alice, challenge, questions):
    # Answers exist only after publication, when the questions are fixed; the data may still
    # hold one (an earlier version, an import), and a vendor's answer is never lost silently.
    ProposalAnswerFactory(proposal=ProposalFactory(challenge=challenge), question=questions[1])
    before = snapshot()

    with pytest.raises(TransitionRefused, match="already answered"):
        services.response_question_remove(question=questions[1], actor=alice)

    assert snapshot() == before


def test_the_owner_moves_a_question_up_and_down(alice, challenge, questions):
    services.response_question_move(question=questions[2], actor=alice, direction="up")
    assert prompts(challenge) == ["Approach?", "Data handling?", "Team?"]

    moved = services.response_question_move(question=questions[0], actor=alice, direction="down")
    assert prompts(challenge) == ["Data handling?", "Approach?", "Team?"]
    assert orders(challenge) == [1, 2, 3]
    assert moved.pk == questions[0].pk
    assert moved.order == 2


@pytest.mark.parametrize(("index", "direction"), [(0, "up"), (2, "down")])
def test_the_first_cannot_move_up_nor_the_last_down(alice, questions, index, direction):
    before = snapshot()

    with pytest.raises(InvalidInput, match="already the"):
        services.response_question_move(question=questions[index], actor=alice, direction=direction)

    assert snapshot() == before


def test_a_move_needs_a_direction(alice, questions):
    before = snapshot()

    with pytest.raises(InvalidInput) as caught:
        services.response_question_move(question=questions[1], actor=alice, direction="left")

    assert "direction" in caught.value.field_errors
    assert snapshot() == before


def test_moving_puts_questions_that_share_a_position_in_a_definite_order(alice, challenge):
    first, second, third = (
        ResponseQuestionFactory(challenge=challenge, order=0, prompt=p) for p in "ABC"
    )

    services.response_question_move(question=third, actor=alice, direction="up")

    assert prompts(challenge) == ["A", "C", "B"]
    assert orders(challenge) == [1, 2, 3]


def test_a_question_removed_meanwhile_is_refused_with_a_sentence(alice, questions):
    stale = ResponseQuestion.objects.get(pk=questions[0].pk)
    services.response_question_remove(question=questions[0], actor=alice)

    with pytest.raises(TransitionRefused, match="reload"):
        services.response_question_change(question=stale, actor=alice, prompt="Changed")
    with pytest.raises(TransitionRefused, match="reload"):
        services.response_question_move(question=stale, actor=alice, direction="down")


def test_questions_of_another_challenge_stay_as_they_are(alice, department, challenge, questions):
    other = ChallengeFactory(owner=alice, department=department)
    elsewhere = ResponseQuestionFactory(challenge=other, order=1, prompt="Elsewhere")

    services.response_question_move(question=questions[0], actor=alice, direction="down")
    services.response_question_remove(question=questions[2], actor=alice)

    elsewhere.refresh_from_db()
    assert (elsewhere.order, elsewhere.prompt) == (1, "Elsewhere")
    assert prompts(challenge) == ["Team?", "Approach?"]


# --- pages -------------------------------------------------------------------------------------


def page_url(name, challenge, question=None):
    args = [challenge.reference] + ([question.pk] if question else [])
    return reverse(f"challenges:{name}", args=args)


VALID_FORM = {
    "prompt": "How will you reach tenants who do not speak English?",
    "guidance": "Name the languages and channels.",
    "required": "on",
    "max_words": "300",
}

# name, method, body, whether it needs a question
PAGE_ACTIONS = {
    "list": ("response_questions", "get", None, False),
    "add": ("response_questions", "post", VALID_FORM, False),
    "edit form": ("response_question_edit", "get", None, True),
    "edit": ("response_question_edit", "post", VALID_FORM, True),
    "confirm removal": ("response_question_remove", "get", None, True),
    "remove": ("response_question_remove", "post", {}, True),
    "move": ("response_question_move", "post", {"direction": "down"}, True),
}


def page_request(client, challenge, question, action):
    name, method, body, needs_question = PAGE_ACTIONS[action]
    url = page_url(name, challenge, question if needs_question else None)
    return getattr(client, method)(url, body) if method == "post" else client.get(url)


def expected_page_outcome(persona, *, visible_to_outsiders):
    if persona == "anonymous":
        return "login"
    if persona == "alice":
        return "ok"
    if persona in INTERNAL or visible_to_outsiders:
        return 403
    return 404


PAGE_CASES = [
    pytest.param(action, persona, id=f"{action} as {persona}")
    for action in PAGE_ACTIONS
    for persona in PERSONAS
]


@pytest.mark.parametrize(("action", "persona"), PAGE_CASES)
def test_the_pages_answer_each_persona_on_a_draft(request, client, questions, action, persona):
    challenge = questions[0].challenge
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    before = snapshot()

    response = page_request(client, challenge, questions[0], action)

    outcome = expected_page_outcome(persona, visible_to_outsiders=False)
    if outcome == "login":
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))
    elif outcome == "ok":
        assert response.status_code == (200 if PAGE_ACTIONS[action][1] == "get" else 302)
    else:
        assert response.status_code == outcome
    if outcome != "ok" or PAGE_ACTIONS[action][1] == "get":
        assert snapshot() == before
    else:
        assert snapshot() != before


@pytest.mark.parametrize("action", PAGE_ACTIONS)
@pytest.mark.parametrize("persona", ["rita", "dave", "frank"])
def test_outsiders_are_refused_on_a_challenge_in_co_design(
    request, client, co_design_challenge, action, persona
):
    question = ResponseQuestionFactory(challenge=co_design_challenge, order=1)
    ResponseQuestionFactory(challenge=co_design_challenge, order=2)
    client.force_login(request.getfixturevalue(persona))
    before = snapshot()

    response = page_request(client, co_design_challenge, question, action)

    assert response.status_code == 403
    assert snapshot() == before


@pytest.mark.parametrize("action", PAGE_ACTIONS)
@pytest.mark.parametrize("status", NOT_EDITABLE)
def test_the_owner_is_refused_once_the_statement_is_fixed(
    client, alice, challenge, questions, action, status
):
    set_status(challenge, status)
    client.force_login(alice)
    before = snapshot()

    response = page_request(client, challenge, questions[0], action)

    assert response.status_code == 403
    assert snapshot() == before


def test_the_owner_adds_a_question_on_the_page(client, alice, challenge):
    client.force_login(alice)

    response = client.post(page_url("response_questions", challenge), VALID_FORM)

    question = ResponseQuestion.objects.get()
    assert response.status_code == 302
    assert response.url.endswith(f"#response-question-{question.pk}")
    assert question.challenge == challenge
    assert question.prompt == VALID_FORM["prompt"]
    assert (question.required, question.max_words, question.order) == (True, 300, 1)
    page = client.get(response.url).content.decode()
    assert "Question added." in page
    assert VALID_FORM["prompt"] in page


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"prompt": ""}, "This field is required."),
        ({"prompt": "   "}, "This field is required."),
        ({"max_words": "0"}, "A word limit is at least one word"),
        ({"max_words": "lots"}, "Enter a whole number."),
        ({"prompt": "x" * 501}, "at most 500 characters"),
    ],
)
def test_bad_input_on_the_add_form_is_shown_and_nothing_is_saved(
    client, alice, challenge, changes, message
):
    client.force_login(alice)

    response = client.post(page_url("response_questions", challenge), {**VALID_FORM, **changes})

    assert response.status_code == 200
    assert message in response.content.decode()
    assert 'class="error-summary"' in response.content.decode()
    assert not ResponseQuestion.objects.exists()


def test_the_owner_edits_a_question_on_its_page(client, alice, challenge, questions):
    client.force_login(alice)

    form = client.get(page_url("response_question_edit", challenge, questions[1]))
    response = client.post(
        page_url("response_question_edit", challenge, questions[1]),
        {"prompt": "Who is on the team?", "guidance": "", "max_words": ""},
    )

    assert "Team?</textarea>" in form.content.decode()
    assert response.status_code == 302
    questions[1].refresh_from_db()
    assert questions[1].prompt == "Who is on the team?"
    assert (questions[1].required, questions[1].max_words, questions[1].order) == (False, None, 2)


def test_bad_input_on_the_edit_form_is_shown_and_nothing_changes(
    client, alice, challenge, questions
):
    client.force_login(alice)
    before = snapshot()

    response = client.post(
        page_url("response_question_edit", challenge, questions[1]),
        {**VALID_FORM, "prompt": "", "max_words": "-1"},
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "This field is required." in page
    assert "A word limit is at least one word" in page
    assert snapshot() == before


def test_editing_a_question_removed_in_another_tab_is_explained(
    monkeypatch, client, alice, challenge, questions
):
    real_change = services.response_question_change

    def removed_meanwhile(*, question, actor, **data):
        ResponseQuestion.objects.filter(pk=question.pk).delete()
        return real_change(question=question, actor=actor, **data)

    monkeypatch.setattr(services, "response_question_change", removed_meanwhile)
    client.force_login(alice)

    response = client.post(
        page_url("response_question_edit", challenge, questions[0]), VALID_FORM, follow=True
    )

    assert response.status_code == 200
    assert "This question was removed in the meantime" in response.content.decode()
    assert prompts(challenge) == ["Team?", "Data handling?"]


def test_removing_asks_for_confirmation_first(client, alice, challenge, questions):
    client.force_login(alice)

    confirm = client.get(page_url("response_question_remove", challenge, questions[0]))

    page = confirm.content.decode()
    assert confirm.status_code == 200
    assert "Remove this question?" in page
    assert "Approach?" in page
    assert 'method="post"' in page
    assert ResponseQuestion.objects.count() == 3

    response = client.post(page_url("response_question_remove", challenge, questions[0]))

    assert response.status_code == 302
    assert prompts(challenge) == ["Team?", "Data handling?"]
    assert "Question removed." in client.get(response.url).content.decode()


def test_removing_an_answered_question_on_the_page_is_refused_with_a_message(
    client, alice, challenge, questions
):
    ProposalAnswerFactory(proposal=ProposalFactory(challenge=challenge), question=questions[0])
    client.force_login(alice)
    before = snapshot()

    response = client.post(
        page_url("response_question_remove", challenge, questions[0]), follow=True
    )

    assert response.status_code == 200
    assert "Vendors have already answered this question" in response.content.decode()
    assert snapshot() == before


def test_the_owner_moves_questions_on_the_page(client, alice, challenge, questions):
    client.force_login(alice)

    response = client.post(
        page_url("response_question_move", challenge, questions[2]), {"direction": "up"}
    )

    assert response.status_code == 302
    assert response.url.endswith(f"#response-question-{questions[2].pk}")
    assert prompts(challenge) == ["Approach?", "Data handling?", "Team?"]


@pytest.mark.parametrize(
    ("index", "body", "message"),
    [
        (0, {"direction": "up"}, "already the first question"),
        (2, {"direction": "down"}, "already the last question"),
        (1, {"direction": "sideways"}, "Choose whether to move the question up or down."),
        (1, {}, "Choose whether to move the question up or down."),
    ],
)
def test_an_impossible_move_on_the_page_is_explained_and_changes_nothing(
    client, alice, challenge, questions, index, body, message
):
    client.force_login(alice)
    before = snapshot()

    response = client.post(
        page_url("response_question_move", challenge, questions[index]), body, follow=True
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    assert snapshot() == before


def test_the_move_page_takes_only_post(client, alice, challenge, questions):
    client.force_login(alice)

    response = client.get(page_url("response_question_move", challenge, questions[0]))

    assert response.status_code == 405


def test_a_question_of_another_challenge_is_not_found_under_this_one(
    client, alice, department, challenge, questions
):
    other = ChallengeFactory(owner=alice, department=department)
    client.force_login(alice)
    before = snapshot()

    for name in ("response_question_edit", "response_question_remove", "response_question_move"):
        response = client.post(page_url(name, other, questions[0]), VALID_FORM)
        assert response.status_code == 404, name

    assert snapshot() == before


def test_the_owners_list_shows_the_questions_in_order_with_their_actions(
    client, alice, challenge, questions
):
    ResponseQuestion.objects.filter(pk=questions[0].pk).update(order=5)
    client.force_login(alice)

    page = client.get(page_url("response_questions", challenge)).content.decode()

    assert page.index("Team?") < page.index("Data handling?") < page.index("Approach?")
    first_card = page[page.index("Team?") : page.index("Data handling?")]
    last_card = page[page.index("Approach?") :]
    # The first cannot move up and the last cannot move down: no button offers it.
    assert 'value="up"' not in first_card and 'value="down"' in first_card
    assert 'value="down"' not in last_card.split("Add a question")[0]
    assert page_url("response_question_remove", challenge, questions[1]) in page
    assert page_url("response_question_edit", challenge, questions[1]) in page


def test_the_owners_list_explains_what_questions_are_when_there_are_none(client, alice, challenge):
    client.force_login(alice)

    page = client.get(page_url("response_questions", challenge)).content.decode()

    assert "No questions yet." in page
    assert "Add a question" in page


def test_the_challenge_page_links_the_owner_to_the_questions(client, alice, bob, challenge):
    link = page_url("response_questions", challenge)

    client.force_login(alice)
    assert link in client.get(challenge.get_absolute_url()).content.decode()
    client.force_login(bob)
    assert link not in client.get(challenge.get_absolute_url()).content.decode()


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_public_page_shows_the_questions_once_published(
    request, client, published_challenge, persona
):
    ResponseQuestionFactory(
        challenge=published_challenge,
        order=2,
        prompt="Who maintains the devices?",
        required=False,
    )
    ResponseQuestionFactory(
        challenge=published_challenge,
        order=1,
        prompt="How will you reach tenants who do not speak English?",
        guidance="Name the languages and channels.",
        max_words=300,
    )
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))

    page = client.get(published_challenge.get_absolute_url()).content.decode()

    assert "Questions vendors answer" in page
    first = page.index("How will you reach tenants who do not speak English?")
    assert first < page.index("Who maintains the devices?")
    assert "Name the languages and channels." in page
    assert "Answer required" in page
    assert "At most 300 words" in page
    assert "Optional" in page
    assert "No word limit" in page
    # Nobody edits them after publication, the owner included.
    assert page_url("response_questions", published_challenge) not in page


def test_the_public_page_says_when_a_challenge_sets_no_questions(client, published_challenge):
    page = client.get(published_challenge.get_absolute_url()).content.decode()

    assert "This challenge sets no written questions" in page


def test_residents_see_draft_questions_during_co_design_marked_as_a_draft(
    client, rita, co_design_challenge
):
    ResponseQuestionFactory(challenge=co_design_challenge, prompt="Which languages?")
    client.force_login(rita)

    page = client.get(co_design_challenge.get_absolute_url()).content.decode()

    assert "Which languages?" in page
    assert "may still change before the challenge is published" in page


# --- API ---------------------------------------------------------------------------------------


def api_url(challenge, question=None, suffix=""):
    base = f"/api/challenges/{challenge.reference}/response-questions/"
    return f"{base}{question.pk}/{suffix}" if question else base


VALID_BODY = {
    "prompt": "How will you reach tenants who do not speak English?",
    "guidance": "Name the languages and channels.",
    "required": True,
    "max_words": 300,
}

# action: (method, suffix, body, needs a question, status for the owner)
API_ACTIONS = {
    "list": ("get", "", None, False, 200),
    "read one": ("get", "", None, True, 200),
    "add": ("post", "", VALID_BODY, False, 201),
    "replace": ("put", "", VALID_BODY, True, 200),
    "change": ("patch", "", {"required": False}, True, 200),
    "remove": ("delete", "", None, True, 204),
    "move": ("post", "move/", {"direction": "down"}, True, 200),
}


def api_request(api_as, user, challenge, question, action):
    method, suffix, body, needs_question, _owner = API_ACTIONS[action]
    url = api_url(challenge, question if needs_question else None, suffix)
    client = api_as(user)
    if method in ("get", "delete"):
        return getattr(client, method)(url)
    return getattr(client, method)(url, body, format="json")


def expected_api_status(action, persona, challenge_state):
    method, _suffix, _body, _needs, owner_status = API_ACTIONS[action]
    reading = method == "get"
    visible = persona in INTERNAL or challenge_state != "draft"
    if persona == "anonymous" and not reading:
        return 403
    if not visible:
        return 404
    if reading:
        return 200
    if persona == "alice" and challenge_state in ("draft", "co_design"):
        return owner_status
    return 403


API_CASES = [
    pytest.param(action, persona, state, id=f"{action} as {persona} in {state}")
    for state in ("draft", "co_design", "published")
    for action in API_ACTIONS
    for persona in PERSONAS
]


@pytest.mark.parametrize(("action", "persona", "state"), API_CASES)
def test_the_api_answers_each_persona_as_the_rules_say(
    request, api_as, challenge, questions, action, persona, state
):
    set_status(challenge, state)
    user = None if persona == "anonymous" else request.getfixturevalue(persona)
    before = snapshot()

    response = api_request(api_as, user, challenge, questions[0], action)

    expected = expected_api_status(action, persona, state)
    assert response.status_code == expected, response.content
    if expected >= 400:
        assert "detail" in response.json()
    if expected >= 400 or API_ACTIONS[action][0] == "get":
        assert snapshot() == before
    else:
        assert snapshot() != before


def test_the_list_is_in_order_with_every_field(api_as, rita, published_challenge):
    ResponseQuestionFactory(challenge=published_challenge, order=2, prompt="Second")
    first = ResponseQuestionFactory(
        challenge=published_challenge,
        order=1,
        prompt="First",
        guidance="Say how.",
        required=False,
        max_words=150,
    )

    response = api_as(rita).get(api_url(published_challenge))

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    assert [row["prompt"] for row in body["results"]] == ["First", "Second"]
    assert body["results"][0] == {
        "id": first.pk,
        "order": 1,
        "prompt": "First",
        "guidance": "Say how.",
        "required": False,
        "max_words": 150,
    }


def test_the_owner_adds_changes_moves_and_removes_through_the_api(api_as, alice, challenge):
    client = api_as(alice)

    created = client.post(api_url(challenge), VALID_BODY, format="json")
    second = client.post(api_url(challenge), {"prompt": "Who maintains it?"}, format="json")
    assert created.status_code == 201, created.content
    assert second.status_code == 201, second.content
    assert created.json()["order"] == 1
    assert second.json() | {"id": None} == {
        "id": None,
        "order": 2,
        "prompt": "Who maintains it?",
        "guidance": "",
        "required": True,
        "max_words": None,
    }
    first = ResponseQuestion.objects.get(pk=created.json()["id"])

    changed = client.patch(api_url(challenge, first), {"max_words": None}, format="json")
    assert changed.status_code == 200
    assert changed.json()["max_words"] is None
    assert changed.json()["prompt"] == VALID_BODY["prompt"]

    moved = client.post(api_url(challenge, first, "move/"), {"direction": "down"}, format="json")
    assert moved.status_code == 200
    assert moved.json()["order"] == 2
    assert prompts(challenge) == ["Who maintains it?", VALID_BODY["prompt"]]

    removed = client.delete(api_url(challenge, first))
    assert removed.status_code == 204
    assert prompts(challenge) == ["Who maintains it?"]
    assert orders(challenge) == [1]


@pytest.mark.parametrize(
    ("method", "body", "field"),
    [
        ("post", {}, "prompt"),
        ("post", {"prompt": ""}, "prompt"),
        ("post", {"prompt": "   "}, "prompt"),
        ("post", {"prompt": "x" * 501}, "prompt"),
        ("post", {"prompt": "Q", "max_words": 0}, "max_words"),
        ("post", {"prompt": "Q", "max_words": -1}, "max_words"),
        ("post", {"prompt": "Q", "max_words": "many"}, "max_words"),
        ("post", {"prompt": "Q", "guidance": "x" * 4001}, "guidance"),
        ("post", {"prompt": "Q", "required": "perhaps"}, "required"),
        ("patch", {"prompt": ""}, "prompt"),
        ("patch", {"max_words": 0}, "max_words"),
        ("put", {"guidance": "No prompt"}, "prompt"),
        ("move", {"direction": "sideways"}, "direction"),
        ("move", {}, "direction"),
    ],
)
def test_bad_input_answers_400_with_field_errors_and_changes_nothing(
    api_as, alice, challenge, questions, method, body, field
):
    client = api_as(alice)
    before = snapshot()

    if method == "post":
        response = client.post(api_url(challenge), body, format="json")
    elif method == "move":
        response = client.post(api_url(challenge, questions[1], "move/"), body, format="json")
    else:
        response = getattr(client, method)(api_url(challenge, questions[1]), body, format="json")

    assert response.status_code == 400, response.content
    assert field in response.json()
    assert snapshot() == before


@pytest.mark.parametrize(("index", "direction"), [(0, "up"), (2, "down")])
def test_a_move_past_either_end_answers_400(api_as, alice, challenge, questions, index, direction):
    before = snapshot()

    response = api_as(alice).post(
        api_url(challenge, questions[index], "move/"), {"direction": direction}, format="json"
    )

    assert response.status_code == 400
    assert "already the" in response.json()["detail"]
    assert snapshot() == before


@pytest.mark.parametrize("persona", ["bob", "carol", "root"])
def test_whoever_may_not_write_learns_nothing_from_validation(
    request, api_as, challenge, questions, persona
):
    response = api_as(request.getfixturevalue(persona)).post(
        api_url(challenge), {"prompt": "", "max_words": 0}, format="json"
    )

    assert response.status_code == 403
    assert "prompt" not in response.json()
    assert "owner" in response.json()["detail"]


def test_removing_an_answered_question_through_the_api_answers_409(
    api_as, alice, challenge, questions
):
    ProposalAnswerFactory(proposal=ProposalFactory(challenge=challenge), question=questions[0])
    before = snapshot()

    response = api_as(alice).delete(api_url(challenge, questions[0]))

    assert response.status_code == 409
    assert "already answered" in response.json()["detail"]
    assert snapshot() == before


def test_a_question_is_found_only_under_its_own_challenge(
    api_as, alice, department, challenge, questions
):
    other = ChallengeFactory(owner=alice, department=department)
    client = api_as(alice)
    before = snapshot()

    assert client.get(api_url(other, questions[0])).status_code == 404
    assert (
        client.patch(api_url(other, questions[0]), {"prompt": "X"}, format="json").status_code
        == 404
    )
    assert client.delete(api_url(other, questions[0])).status_code == 404
    assert (
        client.get(f"/api/challenges/{challenge.reference}/response-questions/999999/").status_code
        == 404
    )
    assert client.get("/api/challenges/NOPE-1/response-questions/").status_code == 404
    assert snapshot() == before


def test_the_list_endpoint_does_not_query_more_for_more_questions(
    api_as, rita, published_challenge
):
    client = api_as(rita)
    ResponseQuestionFactory(challenge=published_challenge, order=1)

    with CaptureQueriesContext(connection) as one:
        assert client.get(api_url(published_challenge)).status_code == 200
    ResponseQuestionFactory.create_batch(15, challenge=published_challenge)
    with CaptureQueriesContext(connection) as many:
        response = client.get(api_url(published_challenge))

    assert response.status_code == 200
    assert response.json()["count"] == 16
    assert len(many) == len(one)
