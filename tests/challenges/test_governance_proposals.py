"""The response questions the data governance record proposes: derived from the record, offered
to the owner until added (as is or edited) or dismissed, never added silently; a dismissed
proposal stays dismissed and the approver can see it (services, pages, API)."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from challenges import governance_proposals as proposals
from challenges.governance_questions import RecordFacts, question_proposals
from challenges.models import DataGovernanceRecord, ResponseQuestion
from core.errors import InvalidInput, PermissionDenied, TransitionRefused
from core.models import AuditEntry
from tests.factories import (
    DataAssetFactory,
    DataSharingFactory,
    ResponseQuestionFactory,
    complete_governance,
    set_status,
)

pytestmark = pytest.mark.django_db

PERSONAS = ("anonymous", "rita", "dave", "frank", "alice", "bob", "carol", "root")
INTERNAL = ("alice", "bob", "carol", "root")
NOT_EDITABLE = ("in_review", "approved", "published", "closed", "cancelled")


def keys(items):
    return [item.key for item in items]


def persona_user(request, persona):
    return AnonymousUser() if persona == "anonymous" else request.getfixturevalue(persona)


@pytest.fixture
def record(challenge):
    """alice's draft with a record: de-identified personal information stored in Canada,
    WCAG 2.1 AA, data returned in CSV and JSON at exit."""
    return complete_governance(challenge)


def snapshot(challenge):
    record = DataGovernanceRecord.objects.filter(challenge=challenge).first()
    return (
        list(ResponseQuestion.objects.order_by("pk").values()),
        record.dismissed_proposals if record else None,
    )


# What the record proposes (a pure function of its facts) ------------------------------------------


def test_a_record_without_data_proposes_only_the_exit_question():
    assert keys(question_proposals(RecordFacts())) == ["exit_data_return"]


def test_any_data_asset_brings_the_storage_question_with_the_required_location():
    facts = RecordFacts(
        has_assets=True, storage_location="in_canada", storage_location_label="In Canada"
    )

    found = {p.key: p for p in question_proposals(facts)}

    assert set(found) == {"data_location", "exit_data_return"}
    assert "In Canada" in found["data_location"].guidance


def test_personal_information_brings_sub_processors_and_security_certifications():
    found = keys(question_proposals(RecordFacts(has_assets=True, personal=True)))

    assert {"sub_processors", "security_certifications"} <= set(found)


def test_sharing_without_personal_information_brings_sub_processors_only():
    found = keys(question_proposals(RecordFacts(has_assets=True, shares_data=True)))

    assert "sub_processors" in found
    assert "security_certifications" not in found


def test_location_or_device_data_brings_its_own_question():
    found = keys(question_proposals(RecordFacts(has_assets=True, location_or_devices=True)))

    assert "location_device_data" in found


def test_automated_decisions_ask_for_human_review_before_effect_at_high_impact():
    low = {
        p.key: p for p in question_proposals(RecordFacts(automated_decisions=True, impact_level=2))
    }
    high = {
        p.key: p for p in question_proposals(RecordFacts(automated_decisions=True, impact_level=4))
    }

    assert "automated_decisions" in low and "automated_decisions" in high
    assert "before it takes effect" in high["automated_decisions"].prompt
    assert "before it takes effect" not in low["automated_decisions"].prompt
    assert "automated_decisions" not in keys(question_proposals(RecordFacts()))


def test_an_accessibility_standard_is_named_in_its_question():
    facts = RecordFacts(accessibility_standard="wcag22aa", accessibility_label="WCAG 2.2 level AA")

    found = {p.key: p for p in question_proposals(facts)}

    assert "WCAG 2.2 level AA" in found["accessibility"].prompt
    not_applicable = RecordFacts(accessibility_standard="not_applicable", accessibility_label="-")
    assert "accessibility" not in keys(question_proposals(not_applicable))


def test_open_datasets_bring_the_deliverables_question_with_their_formats():
    facts = RecordFacts(has_assets=True, open_datasets=(("Bus stops", "GTFS"),))

    found = {p.key: p for p in question_proposals(facts)}

    assert "Bus stops (GTFS)" in found["open_data_deliverables"].guidance


def test_the_proposals_follow_the_stored_record(record):
    DataSharingFactory(record=record)
    DataAssetFactory(record=record, about_residents_location_or_devices=True)

    found = keys(proposals.challenge_question_proposals(challenge=record.challenge))

    assert found == [
        "data_location",
        "sub_processors",
        "security_certifications",
        "location_device_data",
        "accessibility",
        "exit_data_return",
    ]


def test_a_challenge_without_a_record_has_no_proposals(challenge):
    assert proposals.challenge_question_proposals(challenge=challenge) == []


# Accepting ----------------------------------------------------------------------------------------


def test_the_owner_adds_a_proposal_as_it_is(alice, record):
    challenge = record.challenge
    ResponseQuestionFactory(challenge=challenge, order=1)

    question = proposals.response_question_accept_proposal(
        challenge=challenge, actor=alice, key="data_location"
    )

    question.refresh_from_db()
    assert question.governance_key == "data_location"
    assert question.prompt == "Where will the municipality's data be stored and processed?"
    assert question.required is True
    assert question.order == 2
    entry = AuditEntry.objects.get(
        transition="create", content_type__model="responsequestion", object_id=str(question.pk)
    )
    assert entry.actor == alice
    assert entry.metadata["changes"]["governance_key"]["after"] == "data_location"
    assert entry.metadata["challenge_id"] == challenge.pk


def test_the_owner_edits_a_proposal_then_adds_it(alice, record):
    question = proposals.response_question_accept_proposal(
        challenge=record.challenge,
        actor=alice,
        key="sub_processors",
        prompt="Who processes our data for you?",
        max_words=200,
    )

    question.refresh_from_db()
    assert question.prompt == "Who processes our data for you?"
    assert question.max_words == 200
    assert question.governance_key == "sub_processors"


def test_an_added_proposal_is_not_offered_again_and_cannot_be_added_twice(alice, record):
    challenge = record.challenge
    proposals.response_question_accept_proposal(
        challenge=challenge, actor=alice, key="data_location"
    )

    assert "data_location" not in keys(proposals.challenge_question_proposals(challenge=challenge))
    with pytest.raises(TransitionRefused):
        proposals.response_question_accept_proposal(
            challenge=challenge, actor=alice, key="data_location"
        )
    assert challenge.response_questions.filter(governance_key="data_location").count() == 1


def test_a_proposal_the_record_does_not_make_is_bad_input(alice, record):
    with pytest.raises(InvalidInput) as caught:
        proposals.response_question_accept_proposal(
            challenge=record.challenge, actor=alice, key="automated_decisions"
        )

    assert "key" in caught.value.field_errors
    assert not ResponseQuestion.objects.exists()


def test_edited_wording_is_checked_like_any_question(alice, record):
    with pytest.raises(InvalidInput) as caught:
        proposals.response_question_accept_proposal(
            challenge=record.challenge, actor=alice, key="data_location", max_words=0
        )

    assert "max_words" in caught.value.field_errors
    assert not ResponseQuestion.objects.exists()


def test_without_a_record_nothing_can_be_accepted(alice, challenge):
    with pytest.raises(TransitionRefused):
        proposals.response_question_accept_proposal(
            challenge=challenge, actor=alice, key="exit_data_return"
        )


@pytest.mark.parametrize("persona", ["bob", "carol", "root", "dave", "frank", "rita"])
def test_only_the_owner_accepts_or_dismisses(request, record, persona):
    user = request.getfixturevalue(persona)
    before = snapshot(record.challenge)

    with pytest.raises(PermissionDenied):
        proposals.response_question_accept_proposal(
            challenge=record.challenge, actor=user, key="data_location"
        )
    with pytest.raises(PermissionDenied):
        proposals.response_question_dismiss_proposal(
            challenge=record.challenge, actor=user, key="data_location"
        )

    assert snapshot(record.challenge) == before


@pytest.mark.parametrize("status", NOT_EDITABLE)
def test_the_owner_is_refused_once_the_statement_is_fixed(alice, record, status):
    set_status(record.challenge, status)
    before = snapshot(record.challenge)

    with pytest.raises(PermissionDenied):
        proposals.response_question_accept_proposal(
            challenge=record.challenge, actor=alice, key="data_location"
        )
    with pytest.raises(PermissionDenied):
        proposals.response_question_dismiss_proposal(
            challenge=record.challenge, actor=alice, key="data_location"
        )

    assert snapshot(record.challenge) == before


def test_the_owner_accepts_in_co_design(alice, record):
    set_status(record.challenge, "co_design")

    question = proposals.response_question_accept_proposal(
        challenge=record.challenge, actor=alice, key="exit_data_return"
    )

    assert question.governance_key == "exit_data_return"


# Dismissing ---------------------------------------------------------------------------------------


def test_a_dismissed_proposal_stays_dismissed_and_is_audited(alice, record):
    challenge = record.challenge

    proposals.response_question_dismiss_proposal(
        challenge=challenge, actor=alice, key="security_certifications"
    )

    record.refresh_from_db()
    assert record.dismissed_proposals == [
        {
            "key": "question:security_certifications",
            "label": "Which security certifications or audits cover your service?",
        }
    ]
    assert "security_certifications" not in keys(
        proposals.challenge_question_proposals(challenge=challenge)
    )
    entry = AuditEntry.objects.get(transition="dismiss_proposal")
    assert entry.actor == alice
    assert entry.metadata["proposal"] == "question:security_certifications"
    assert entry.metadata["challenge_id"] == challenge.pk
    with pytest.raises(TransitionRefused):
        proposals.response_question_accept_proposal(
            challenge=challenge, actor=alice, key="security_certifications"
        )
    with pytest.raises(TransitionRefused):
        proposals.response_question_dismiss_proposal(
            challenge=challenge, actor=alice, key="security_certifications"
        )


def test_a_dismissed_proposal_can_be_offered_again(alice, record):
    challenge = record.challenge
    proposals.response_question_dismiss_proposal(
        challenge=challenge, actor=alice, key="data_location"
    )

    proposals.response_question_restore_proposal(
        challenge=challenge, actor=alice, key="data_location"
    )

    record.refresh_from_db()
    assert record.dismissed_proposals == []
    assert "data_location" in keys(proposals.challenge_question_proposals(challenge=challenge))
    assert AuditEntry.objects.filter(transition="restore_proposal").count() == 1


def test_an_added_proposal_cannot_be_dismissed(alice, record):
    challenge = record.challenge
    proposals.response_question_accept_proposal(
        challenge=challenge, actor=alice, key="data_location"
    )

    with pytest.raises(TransitionRefused):
        proposals.response_question_dismiss_proposal(
            challenge=challenge, actor=alice, key="data_location"
        )


# Pages --------------------------------------------------------------------------------------------


def questions_url(challenge):
    return reverse("challenges:response_questions", args=[challenge.reference])


def proposal_url(name, challenge, key):
    return reverse(f"challenges:proposed_question_{name}", args=[challenge.reference, key])


def test_the_owner_sees_the_proposals_with_add_and_edit(client, alice, record):
    client.force_login(alice)

    page = client.get(questions_url(record.challenge)).content.decode()

    assert "Questions the data governance record proposes" in page
    assert "Where will the municipality&#x27;s data be stored and processed?" in page
    assert proposal_url("accept", record.challenge, "data_location") in page
    assert proposal_url("edit", record.challenge, "data_location") in page
    assert proposal_url("dismiss", record.challenge, "data_location") in page


def test_the_page_says_the_record_comes_first_when_there_is_none(client, alice, challenge):
    client.force_login(alice)

    page = client.get(questions_url(challenge)).content.decode()

    assert "Once the data governance record is filled in" in page


def test_the_owner_adds_a_proposal_from_the_page(client, alice, record):
    client.force_login(alice)

    response = client.post(proposal_url("accept", record.challenge, "exit_data_return"))

    question = ResponseQuestion.objects.get()
    assert response.status_code == 302
    assert response.url.endswith(f"#response-question-{question.pk}")
    assert question.governance_key == "exit_data_return"


def test_the_edit_form_is_prefilled_and_adds_the_edited_question(client, alice, record):
    client.force_login(alice)
    url = proposal_url("edit", record.challenge, "data_location")

    form = client.get(url).content.decode()
    response = client.post(
        url, {"prompt": "Where will our data live?", "guidance": "Countries.", "required": "on"}
    )

    assert "Where will the municipality&#x27;s data be stored and processed?" in form
    assert response.status_code == 302
    question = ResponseQuestion.objects.get()
    assert (question.prompt, question.guidance, question.governance_key) == (
        "Where will our data live?",
        "Countries.",
        "data_location",
    )


def test_the_edit_form_shows_errors_and_adds_nothing(client, alice, record):
    client.force_login(alice)

    response = client.post(proposal_url("edit", record.challenge, "data_location"), {"prompt": ""})

    assert response.status_code == 200
    assert not ResponseQuestion.objects.exists()


def test_the_edit_form_of_a_proposal_no_longer_offered_is_not_found(client, alice, record):
    proposals.response_question_dismiss_proposal(
        challenge=record.challenge, actor=alice, key="data_location"
    )
    client.force_login(alice)

    assert client.get(proposal_url("edit", record.challenge, "data_location")).status_code == 404


def test_the_owner_dismisses_and_restores_from_the_page(client, alice, record):
    client.force_login(alice)

    client.post(proposal_url("dismiss", record.challenge, "data_location"))
    page = client.get(questions_url(record.challenge)).content.decode()
    client.post(proposal_url("restore", record.challenge, "data_location"))

    assert "Dismissed proposals" in page
    assert proposal_url("restore", record.challenge, "data_location") in page
    record.refresh_from_db()
    assert record.dismissed_proposals == []


def test_a_refused_add_is_said_on_the_page(client, alice, record):
    client.force_login(alice)
    client.post(proposal_url("accept", record.challenge, "data_location"))

    response = client.post(proposal_url("accept", record.challenge, "data_location"), follow=True)

    assert "already added" in response.content.decode()
    assert ResponseQuestion.objects.count() == 1


PAGE_ACTIONS = {
    "accept": "post",
    "edit": "get",
    "dismiss": "post",
    "restore": "post",
}


def page_outcome(persona):
    if persona == "anonymous":
        return "login"
    if persona == "alice":
        return "ok"
    return 403 if persona in INTERNAL else 404


@pytest.mark.parametrize("action", PAGE_ACTIONS)
@pytest.mark.parametrize("persona", PERSONAS)
def test_the_pages_answer_each_persona_on_a_draft(request, client, alice, record, action, persona):
    if action == "restore":
        proposals.response_question_dismiss_proposal(
            challenge=record.challenge, actor=alice, key="data_location"
        )
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    before = snapshot(record.challenge)
    url = proposal_url(action, record.challenge, "data_location")

    response = client.post(url) if PAGE_ACTIONS[action] == "post" else client.get(url)

    outcome = page_outcome(persona)
    if outcome == "login":
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))
    elif outcome == "ok":
        assert response.status_code == (302 if PAGE_ACTIONS[action] == "post" else 200)
    else:
        assert response.status_code == outcome
    if outcome != "ok" or PAGE_ACTIONS[action] == "get":
        assert snapshot(record.challenge) == before
    else:
        assert snapshot(record.challenge) != before


@pytest.mark.parametrize("action", PAGE_ACTIONS)
def test_the_owner_is_refused_on_the_pages_once_in_review(client, alice, record, action):
    set_status(record.challenge, "in_review")
    client.force_login(alice)
    before = snapshot(record.challenge)
    url = proposal_url(action, record.challenge, "data_location")

    response = client.post(url) if PAGE_ACTIONS[action] == "post" else client.get(url)

    assert response.status_code == 403
    assert snapshot(record.challenge) == before


# API ----------------------------------------------------------------------------------------------


def api_url(challenge, suffix=""):
    return f"/api/challenges/{challenge.reference}/response-questions/proposals/{suffix}"


def test_the_api_lists_the_proposals_and_the_dismissed_ones(api_as, alice, record):
    proposals.response_question_dismiss_proposal(
        challenge=record.challenge, actor=alice, key="sub_processors"
    )

    body = api_as(alice).get(api_url(record.challenge)).json()

    assert [p["key"] for p in body["proposals"]] == [
        "data_location",
        "security_certifications",
        "accessibility",
        "exit_data_return",
    ]
    assert body["proposals"][0]["reason"]
    assert body["dismissed"] == [
        {
            "key": "sub_processors",
            "label": "Which sub-processors will handle the data, and for what?",
        }
    ]


def test_the_api_accepts_as_is_and_edited(api_as, alice, record):
    client = api_as(alice)

    as_is = client.post(
        api_url(record.challenge, "accept/"), {"key": "data_location"}, format="json"
    )
    edited = client.post(
        api_url(record.challenge, "accept/"),
        {"key": "exit_data_return", "prompt": "How do we get our data back?", "max_words": 150},
        format="json",
    )

    assert as_is.status_code == 201
    assert as_is.json()["prompt"] == "Where will the municipality's data be stored and processed?"
    assert edited.status_code == 201
    assert edited.json()["prompt"] == "How do we get our data back?"
    assert set(record.challenge.response_questions.values_list("governance_key", flat=True)) == {
        "data_location",
        "exit_data_return",
    }


def test_the_api_answers_bad_input_and_conflicts(api_as, alice, record):
    client = api_as(alice)
    client.post(api_url(record.challenge, "accept/"), {"key": "data_location"}, format="json")

    missing = client.post(api_url(record.challenge, "accept/"), {}, format="json")
    unknown = client.post(api_url(record.challenge, "accept/"), {"key": "nope"}, format="json")
    again = client.post(
        api_url(record.challenge, "accept/"), {"key": "data_location"}, format="json"
    )
    bad_limit = client.post(
        api_url(record.challenge, "accept/"),
        {"key": "sub_processors", "max_words": 0},
        format="json",
    )

    assert missing.status_code == 400
    assert unknown.status_code == 400
    assert again.status_code == 409
    assert bad_limit.status_code == 400
    assert record.challenge.response_questions.count() == 1


def test_the_api_dismisses_and_restores(api_as, alice, record):
    client = api_as(alice)

    dismissed = client.post(
        api_url(record.challenge, "dismiss/"), {"key": "data_location"}, format="json"
    )
    twice = client.post(
        api_url(record.challenge, "dismiss/"), {"key": "data_location"}, format="json"
    )
    restored = client.post(
        api_url(record.challenge, "restore/"), {"key": "data_location"}, format="json"
    )

    assert dismissed.status_code == 200
    assert dismissed.json()["dismissed"][0]["key"] == "data_location"
    assert twice.status_code == 409
    assert restored.status_code == 200
    assert restored.json()["dismissed"] == []


API_ACTIONS = {
    "list": ("get", "", None),
    "accept": ("post", "accept/", {"key": "data_location"}),
    "dismiss": ("post", "dismiss/", {"key": "data_location"}),
}


def api_status(action, persona, state):
    method = API_ACTIONS[action][0]
    visible = persona in INTERNAL or state != "draft"
    if persona == "anonymous" and method != "get":
        return 403
    if not visible:
        return 404
    if persona == "alice" and state in ("draft", "co_design"):
        return 201 if action == "accept" else 200
    return 403


@pytest.mark.parametrize("state", ["draft", "co_design", "published"])
@pytest.mark.parametrize("action", API_ACTIONS)
@pytest.mark.parametrize("persona", PERSONAS)
def test_the_api_answers_each_persona(request, api_as, record, action, persona, state):
    set_status(record.challenge, state)
    client = api_as(None if persona == "anonymous" else request.getfixturevalue(persona))
    method, suffix, body = API_ACTIONS[action]
    before = snapshot(record.challenge)

    if method == "get":
        response = client.get(api_url(record.challenge, suffix))
    else:
        response = client.post(api_url(record.challenge, suffix), body, format="json")

    expected = api_status(action, persona, state)
    if persona == "anonymous" and state != "draft" and method == "get":
        expected = 403
    assert response.status_code == expected
    if expected >= 400 or method == "get":
        assert snapshot(record.challenge) == before
