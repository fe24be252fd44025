"""Bad input answers 400 with field errors, changes nothing, and never causes a server error."""

import json

import pytest

from challenges.models import Addendum, Challenge, CommunityInput, EngagementActivity, Question
from core.models import AuditEntry


def _snapshot():
    models = [Challenge, EngagementActivity, CommunityInput, Question, Addendum, AuditEntry]
    return {m.__name__: list(m.objects.order_by("pk").values()) for m in models}


@pytest.fixture
def owner_client(api_as, alice):
    return api_as(alice)


def _assert_refused(response, before, *fields):
    assert response.status_code == 400, response.content
    data = response.json()
    for field in fields:
        assert data.get(field), f"no error for {field}: {data}"
    assert _snapshot() == before


@pytest.mark.django_db
def test_it_refuses_a_timeline_with_questions_after_submissions(owner_client, challenge):
    before = _snapshot()

    response = owner_client.post(
        f"/api/challenges/{challenge.reference}/schedule/",
        {
            "questions_deadline": "2099-03-01T12:00:00Z",
            "submission_deadline": "2099-02-01T12:00:00Z",
        },
        format="json",
    )

    _assert_refused(response, before, "non_field_errors")
    assert "questions deadline must come before" in response.json()["detail"]


@pytest.mark.django_db
def test_it_refuses_a_timeline_that_is_not_a_date(owner_client, challenge):
    before = _snapshot()

    response = owner_client.post(
        f"/api/challenges/{challenge.reference}/schedule/",
        {"questions_deadline": "next Tuesday", "submission_deadline": 12},
        format="json",
    )

    _assert_refused(response, before, "questions_deadline", "submission_deadline")


@pytest.mark.django_db
def test_it_names_each_missing_field(owner_client):
    before = _snapshot()

    response = owner_client.post("/api/challenges/", {}, format="json")

    _assert_refused(response, before, "title_en", "department")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"department": "no-such-department"}, "department"),
        ({"department": 7}, "department"),
        ({"department": "nul\x00"}, "department"),
        ({"budget_min": "a lot"}, "budget_min"),
        ({"budget_min": "-5"}, "budget_min"),
        ({"budget_max": "12345678901234"}, "budget_max"),
        ({"title": ["a", "list"]}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"summary": "x" * 301}, "summary"),
        ({"title": "nul\x00byte"}, "title"),
        ({"questions_deadline": "2099-13-45T99:00:00Z"}, "questions_deadline"),
    ],
    ids=lambda value: value if isinstance(value, str) else None,
)
def test_it_refuses_wrong_types_and_sizes_when_creating(owner_client, department, payload, field):
    before = _snapshot()
    body = {"title": "Valid title", "department": department.slug, **payload}

    response = owner_client.post("/api/challenges/", body, format="json")

    _assert_refused(response, before, field)


@pytest.mark.django_db
def test_it_refuses_a_budget_that_ends_below_where_it_starts(owner_client, challenge):
    before = _snapshot()

    response = owner_client.patch(
        f"/api/challenges/{challenge.reference}/",
        {"budget_min": "90000", "budget_max": "1000"},
        format="json",
    )

    _assert_refused(response, before, "non_field_errors")


@pytest.mark.django_db
def test_it_refuses_a_null_department_on_update(owner_client, challenge):
    before = _snapshot()

    response = owner_client.patch(
        f"/api/challenges/{challenge.reference}/", {"department": None}, format="json"
    )

    _assert_refused(response, before, "department")


@pytest.mark.django_db
def test_it_refuses_malformed_json(owner_client, challenge):
    before = _snapshot()

    response = owner_client.patch(
        f"/api/challenges/{challenge.reference}/",
        '{"title": "unterminated',
        content_type="application/json",
    )

    _assert_refused(response, before)
    assert "JSON" in response.json()["detail"]


@pytest.mark.django_db
def test_it_refuses_a_two_mebibyte_payload(owner_client, challenge):
    before = _snapshot()
    body = json.dumps({"problem": "x" * (2 * 1024 * 1024)})

    response = owner_client.patch(
        f"/api/challenges/{challenge.reference}/", body, content_type="application/json"
    )

    _assert_refused(response, before)


@pytest.mark.django_db
def test_it_refuses_a_payload_just_over_the_limit_as_a_form(owner_client, settings, challenge):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    before = _snapshot()

    response = owner_client.patch(
        f"/api/challenges/{challenge.reference}/",
        "problem=" + "x" * 2048,
        content_type="application/x-www-form-urlencoded",
    )

    _assert_refused(response, before)


@pytest.mark.django_db
def test_it_refuses_text_that_is_not_valid_unicode(owner_client, challenge):
    before = _snapshot()

    response = owner_client.patch(
        f"/api/challenges/{challenge.reference}/",
        '{"title": "\\ud800"}',
        content_type="application/json",
    )

    _assert_refused(response, before)


@pytest.mark.django_db
def test_it_refuses_deeply_nested_json(owner_client, challenge):
    before = _snapshot()

    response = owner_client.patch(
        f"/api/challenges/{challenge.reference}/",
        "[" * 100_000 + "]" * 100_000,
        content_type="application/json",
    )

    _assert_refused(response, before)


@pytest.mark.django_db
def test_it_refuses_an_engagement_activity_without_participants(owner_client, co_design_challenge):
    before = _snapshot()

    response = owner_client.post(
        f"/api/challenges/{co_design_challenge.reference}/engagement-activities/",
        {
            "kind": "séance",
            "held_on": "yesterday",
            "participants": 0,
            "groups_reached": "",
            "summary": "",
        },
        format="json",
    )

    # "Other groups reached" is optional now that groups are counted one by one.
    _assert_refused(response, before, "kind", "held_on", "participants")


@pytest.mark.django_db
def test_it_refuses_community_input_longer_than_allowed(api_as, rita, co_design_challenge):
    before = _snapshot()

    response = api_as(rita).post(
        f"/api/challenges/{co_design_challenge.reference}/community-input/",
        {"body": "x" * 4001, "neighbourhood": "y" * 121},
        format="json",
    )

    _assert_refused(response, before, "body", "neighbourhood")


@pytest.mark.django_db
def test_it_refuses_an_empty_question(api_as, dave, published_challenge):
    before = _snapshot()

    response = api_as(dave).post(
        f"/api/challenges/{published_challenge.reference}/questions/",
        {"body": "   "},
        format="json",
    )

    _assert_refused(response, before, "body")


@pytest.mark.django_db
def test_it_refuses_an_addendum_with_wrong_types(owner_client, published_challenge):
    before = _snapshot()

    response = owner_client.post(
        f"/api/challenges/{published_challenge.reference}/addenda/",
        {"title": "", "body": {"nested": True}, "changes_terms": "maybe"},
        format="json",
    )

    _assert_refused(response, before, "title", "body", "changes_terms")


@pytest.mark.django_db
def test_it_refuses_a_reason_of_the_wrong_type(owner_client, challenge):
    before = _snapshot()

    response = owner_client.post(
        f"/api/challenges/{challenge.reference}/cancel/", {"reason": ["no"]}, format="json"
    )

    _assert_refused(response, before, "reason")


@pytest.mark.django_db
def test_a_hidden_question_and_a_missing_one_answer_the_same_404(api_as, rita, challenge):
    from tests.factories import QuestionFactory

    hidden = QuestionFactory(challenge=challenge)
    client = api_as(rita)
    for_hidden = client.post(f"/api/questions/{hidden.pk}/publish_answer/", {"answer": "x"})
    for_missing = client.post(f"/api/questions/{hidden.pk + 1000}/publish_answer/", {"answer": "x"})
    assert for_hidden.status_code == for_missing.status_code == 404
    assert for_hidden.json() == for_missing.json()
