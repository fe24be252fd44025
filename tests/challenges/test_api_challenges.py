"""Reading and writing challenges and what hangs off them through the API."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from challenges.models import Addendum, Challenge, CommunityInput, EngagementActivity, Question
from tests.factories import (
    AddendumFactory,
    ChallengeFactory,
    CommunityInputFactory,
    DepartmentFactory,
    QuestionFactory,
    set_status,
)


@pytest.mark.django_db
def test_it_creates_a_draft_owned_by_the_caller(api_as, alice, department):
    response = api_as(alice).post(
        "/api/challenges/",
        {
            "title": "Safer crossings near schools",
            "department": department.slug,
            "budget_min": "10000.00",
            "budget_max": "20000.00",
        },
        format="json",
    )

    assert response.status_code == 201, response.content
    data = response.json()
    assert data["status"] == "draft"
    assert data["allowed_transitions"] == ["cancel", "open_co_design"]
    challenge = Challenge.objects.get(reference=data["reference"])
    assert challenge.owner == alice
    assert challenge.title == "Safer crossings near schools"
    assert challenge.budget_max == Decimal("20000.00")


@pytest.mark.django_db
def test_it_edits_only_the_fields_sent(api_as, alice, challenge):
    response = api_as(alice).patch(
        f"/api/challenges/{challenge.reference}/", {"summary": "Shorter."}, format="json"
    )

    assert response.status_code == 200, response.content
    assert response.json()["summary"] == "Shorter."
    title = challenge.title
    challenge.refresh_from_db()
    assert (challenge.summary, challenge.title) == ("Shorter.", title)


@pytest.mark.django_db
def test_it_refuses_to_edit_a_statement_under_review(api_as, alice, challenge):
    set_status(challenge, "in_review")

    response = api_as(alice).patch(
        f"/api/challenges/{challenge.reference}/", {"title": "Changed"}, format="json"
    )

    assert response.status_code == 403
    assert "addendum" in response.json()["detail"]
    challenge.refresh_from_db()
    assert challenge.title != "Changed"


@pytest.mark.django_db
def test_it_sets_the_timeline(api_as, alice, challenge):
    questions = (timezone.now() + timedelta(days=20)).replace(microsecond=0)
    submission = questions + timedelta(days=20)

    response = api_as(alice).post(
        f"/api/challenges/{challenge.reference}/schedule/",
        {
            "questions_deadline": questions.isoformat(),
            "submission_deadline": submission.isoformat(),
        },
        format="json",
    )

    assert response.status_code == 200, response.content
    challenge.refresh_from_db()
    assert (challenge.questions_deadline, challenge.submission_deadline) == (questions, submission)


@pytest.mark.django_db
def test_it_hides_challenges_the_reader_may_not_see(api_as, rita, challenge):
    response = api_as(rita).get(f"/api/challenges/{challenge.reference}/")

    assert response.status_code == 404


@pytest.mark.django_db
def test_it_answers_404_for_an_unknown_reference(api_as, alice):
    assert api_as(alice).get("/api/challenges/NOPE-2026-999/").status_code == 404


# Filters


@pytest.fixture
def board(alice, bob, department):
    other = DepartmentFactory(name="Transportation", slug="transportation")
    return {
        "mine_draft": ChallengeFactory(owner=alice, department=department, title="Warm homes"),
        "bobs_draft": ChallengeFactory(owner=bob, department=other, title="Bus shelters"),
        "published": set_status(
            ChallengeFactory(owner=bob, department=other, title="Snow clearing"), "published"
        ),
    }


def _references(response):
    assert response.status_code == 200, response.content
    return {row["reference"] for row in response.json()["results"]}


@pytest.mark.django_db
def test_it_filters_by_status(api_as, alice, board):
    got = _references(api_as(alice).get("/api/challenges/", {"status": "published"}))

    assert got == {board["published"].reference}


@pytest.mark.django_db
def test_it_filters_by_department(api_as, alice, board):
    got = _references(api_as(alice).get("/api/challenges/", {"department": "transportation"}))

    assert got == {board["bobs_draft"].reference, board["published"].reference}


@pytest.mark.django_db
def test_it_searches_titles(api_as, alice, board):
    got = _references(api_as(alice).get("/api/challenges/", {"q": "shelters"}))

    assert got == {board["bobs_draft"].reference}


@pytest.mark.django_db
def test_it_lists_the_callers_own_challenges(api_as, alice, board):
    got = _references(api_as(alice).get("/api/challenges/", {"mine": "true"}))

    assert got == {board["mine_draft"].reference}


@pytest.mark.django_db
def test_it_keeps_filters_within_what_the_reader_may_see(api_as, board):
    got = _references(api_as(None).get("/api/challenges/", {"status": "draft"}))

    assert got == set()


@pytest.mark.django_db
def test_it_rejects_an_unknown_status_filter(api_as, alice, board):
    response = api_as(alice).get("/api/challenges/", {"status": "sealed"})

    assert response.status_code == 400
    assert "status" in response.json()


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["anonymous", "alice"])
def test_it_lists_challenges_in_the_same_number_of_queries_whatever_their_number(
    request, api_as, department, persona
):
    user = None if persona == "anonymous" else request.getfixturevalue(persona)

    def count_queries(total):
        missing = total - Challenge.objects.count()
        for challenge in ChallengeFactory.create_batch(missing, department=department):
            set_status(challenge, "published")
            QuestionFactory(challenge=challenge, status="answered")
            AddendumFactory(challenge=challenge, status="issued", number=1)
        # A fresh user each time, as each request loads its own (roles are cached per object).
        client = api_as(user and type(user).objects.get(pk=user.pk))
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/api/challenges/")
        assert response.status_code == 200
        assert response.json()["count"] == total
        return len(queries)

    assert count_queries(5) == count_queries(50)


@pytest.mark.django_db
def test_it_counts_answered_questions_and_issued_addenda_in_the_list(api_as, published_challenge):
    QuestionFactory(challenge=published_challenge, status="answered")
    QuestionFactory(challenge=published_challenge)
    AddendumFactory(challenge=published_challenge, status="issued", number=1)
    AddendumFactory(challenge=published_challenge)

    row = api_as(None).get("/api/challenges/").json()["results"][0]

    assert (row["answered_question_count"], row["issued_addendum_count"]) == (1, 1)


# Co-design


@pytest.mark.django_db
def test_it_records_an_engagement_activity(api_as, alice, co_design_challenge):
    response = api_as(alice).post(
        f"/api/challenges/{co_design_challenge.reference}/engagement-activities/",
        {
            "kind": "pop_up",
            "held_on": "2026-10-04",
            "participants": 31,
            "groups_reached": "Market shoppers",
            "summary": "People want warmer bus stops.",
        },
        format="json",
    )

    assert response.status_code == 201, response.content
    activity = EngagementActivity.objects.get(pk=response.json()["id"])
    assert (activity.kind, activity.participants, activity.recorded_by) == ("pop_up", 31, alice)


@pytest.mark.django_db
def test_it_keeps_a_residents_input_pending_and_anonymous(api_as, rita, co_design_challenge):
    url = f"/api/challenges/{co_design_challenge.reference}/community-input/"

    response = api_as(rita).post(url, {"body": "More benches, please."}, format="json")

    assert response.status_code == 201, response.content
    assert response.json()["status"] == "pending"
    assert "author" not in response.json()
    community_input = CommunityInput.objects.get(pk=response.json()["id"])
    assert (community_input.author, community_input.status) == (rita, "pending")
    assert api_as(None).get(url).json()["results"] == []


@pytest.mark.django_db
def test_it_shows_published_input_without_its_author(api_as, rita, co_design_challenge):
    published = CommunityInputFactory(challenge=co_design_challenge, author=rita)
    set_status(published, "published")
    CommunityInputFactory(challenge=co_design_challenge, author=rita)
    url = f"/api/challenges/{co_design_challenge.reference}/community-input/"

    public = api_as(rita).get(url).json()["results"]

    assert [row["id"] for row in public] == [published.pk]
    assert "author" not in public[0]
    assert "rita" not in str(public)


@pytest.mark.django_db
def test_it_shows_staff_all_input_with_its_author(api_as, bob, rita, co_design_challenge):
    CommunityInputFactory(challenge=co_design_challenge, author=rita)
    url = f"/api/challenges/{co_design_challenge.reference}/community-input/"

    rows = api_as(bob).get(url).json()["results"]

    assert [(row["author"], row["status"]) for row in rows] == [("rita", "pending")]


@pytest.mark.django_db
def test_it_refuses_input_outside_co_design(api_as, rita, published_challenge):
    response = api_as(rita).post(
        f"/api/challenges/{published_challenge.reference}/community-input/",
        {"body": "Late idea."},
        format="json",
    )

    assert response.status_code == 403
    assert not CommunityInput.objects.exists()


# Questions and addenda


@pytest.mark.django_db
def test_it_takes_a_vendors_question(api_as, dave, published_challenge):
    response = api_as(dave).post(
        f"/api/challenges/{published_challenge.reference}/questions/",
        {"body": "May two vendors bid together?"},
        format="json",
    )

    assert response.status_code == 201, response.content
    assert "asked_by" not in response.json()
    question = Question.objects.get(pk=response.json()["id"])
    assert (question.asked_by, question.status) == (dave, "submitted")


@pytest.mark.django_db
def test_it_refuses_questions_after_the_questions_deadline(api_as, dave, published_challenge):
    set_status(published_challenge, "published", questions_deadline=timezone.now())

    response = api_as(dave).post(
        f"/api/challenges/{published_challenge.reference}/questions/",
        {"body": "Too late?"},
        format="json",
    )

    assert response.status_code == 400
    assert "deadline" in response.json()["detail"]
    assert not Question.objects.exists()


@pytest.fixture
def questions(published_challenge, dave, erin):
    answered = QuestionFactory(challenge=published_challenge, asked_by=erin)
    set_status(answered, "answered", answer="Yes.")
    return {
        "answered": answered,
        "daves": QuestionFactory(challenge=published_challenge, asked_by=dave),
        "erins": QuestionFactory(challenge=published_challenge, asked_by=erin),
    }


def _question_rows(client, challenge):
    response = client.get(f"/api/challenges/{challenge.reference}/questions/")
    assert response.status_code == 200
    return response.json()["results"]


@pytest.mark.django_db
def test_it_shows_the_public_answered_questions_without_the_asker(
    api_as, published_challenge, questions
):
    rows = _question_rows(api_as(None), published_challenge)

    assert [row["id"] for row in rows] == [questions["answered"].pk]
    assert "asked_by" not in rows[0]


@pytest.mark.django_db
def test_it_shows_a_vendor_its_own_questions_and_the_answers(
    api_as, dave, published_challenge, questions
):
    rows = _question_rows(api_as(dave), published_challenge)

    assert {row["id"] for row in rows} == {questions["answered"].pk, questions["daves"].pk}
    assert all("asked_by" not in row for row in rows)


@pytest.mark.django_db
def test_it_shows_staff_every_question_with_its_asker(
    api_as, carol, published_challenge, questions
):
    rows = _question_rows(api_as(carol), published_challenge)

    assert {(row["id"], row["asked_by"]) for row in rows} == {
        (questions["answered"].pk, "erin"),
        (questions["daves"].pk, "dave"),
        (questions["erins"].pk, "erin"),
    }


@pytest.mark.django_db
def test_it_hides_a_dismissed_question_from_other_vendors(api_as, dave, published_challenge, erin):
    dismissed = QuestionFactory(challenge=published_challenge, asked_by=erin)
    set_status(dismissed, "dismissed", dismissal_reason="Off topic.")

    response = api_as(dave).post(f"/api/questions/{dismissed.pk}/dismiss/", {"reason": "x"})

    assert response.status_code == 404
    assert _question_rows(api_as(dave), published_challenge) == []


@pytest.mark.django_db
def test_it_drafts_an_addendum_visible_to_staff_only(api_as, alice, published_challenge):
    url = f"/api/challenges/{published_challenge.reference}/addenda/"

    response = api_as(alice).post(
        url,
        {"title": "Site visit", "body": "A site visit is on 3 March.", "changes_terms": False},
        format="json",
    )

    assert response.status_code == 201, response.content
    addendum = Addendum.objects.get(pk=response.json()["id"])
    assert (addendum.status, addendum.created_by) == ("draft", alice)
    assert [row["id"] for row in api_as(alice).get(url).json()["results"]] == [addendum.pk]
    assert api_as(None).get(url).json()["results"] == []


@pytest.mark.django_db
def test_it_shows_issued_addenda_to_everyone(api_as, published_challenge):
    issued = AddendumFactory(challenge=published_challenge, status="issued", number=1)
    AddendumFactory(challenge=published_challenge)

    rows = api_as(None).get(f"/api/challenges/{published_challenge.reference}/addenda/").json()

    assert [(row["id"], row["number"]) for row in rows["results"]] == [(issued.pk, 1)]
