"""The public challenge board: what it lists, filters, pages, and what it costs in queries."""

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from challenges.models import Addendum, Question
from tests.factories import (
    AddendumFactory,
    ChallengeFactory,
    DepartmentFactory,
    QuestionFactory,
    set_status,
)

pytestmark = pytest.mark.django_db

BOARD = reverse("challenges:board")


def published(**fields):
    return set_status(ChallengeFactory(**fields), "published")


def board_queries(client, params=None):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(BOARD, params or {})
    assert response.status_code == 200
    return len(queries)


def make_challenges(count, department):
    for _ in range(count):
        challenge = published(department=department)
        QuestionFactory(challenge=challenge, status=Question.Status.ANSWERED)
        AddendumFactory(challenge=challenge, status=Addendum.Status.ISSUED, number=1)


@pytest.mark.parametrize("persona", ["anonymous", "alice"])
def test_the_board_costs_the_same_queries_for_5_and_for_50_challenges(
    client, request, department, persona
):
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    make_challenges(5, department)
    with_five = board_queries(client, {"department": department.slug})

    make_challenges(45, department)
    with_fifty = board_queries(client, {"department": department.slug})
    second_page = board_queries(client, {"department": department.slug, "page": 2})

    assert with_five == with_fifty == second_page


def test_a_card_shows_the_counts_the_deadline_in_the_local_zone_and_the_status(client, department):
    challenge = published(
        department=department,
        title="Quieter snow clearing",
        submission_deadline=datetime(2031, 1, 15, 18, 0, tzinfo=UTC),
        questions_deadline=datetime(2031, 1, 5, 18, 0, tzinfo=UTC),
    )
    QuestionFactory.create_batch(2, challenge=challenge, status=Question.Status.ANSWERED)
    QuestionFactory(challenge=challenge)  # not answered yet: not counted
    AddendumFactory(challenge=challenge, status=Addendum.Status.ISSUED, number=1)
    AddendumFactory(challenge=challenge)  # a draft: not counted

    response = client.get(BOARD)

    assert response.status_code == 200
    card = response.context["page"].object_list[0]
    assert card.answered_question_count == 2
    assert card.issued_addendum_count == 1
    html = response.content.decode()
    assert challenge.reference in html
    assert "Community Services" in html
    assert "Open for proposals" in html
    assert "Jan 15, 2031, 2:00\u202fp.m. AST" in html


def test_the_public_board_hides_drafts_and_reviews_but_shows_co_design(client, alice):
    draft = ChallengeFactory(owner=alice, title="Secret draft")
    in_review = set_status(ChallengeFactory(owner=alice, title="Under review"), "in_review")
    consultation = set_status(ChallengeFactory(owner=alice, title="Tell us"), "co_design")

    public = client.get(BOARD).content.decode()
    client.force_login(alice)
    internal = client.get(BOARD).content.decode()

    assert draft.title not in public and in_review.title not in public
    assert consultation.title in public
    assert draft.title in internal and in_review.title in internal


def test_it_searches_and_filters_by_status_and_department(client, department):
    other = DepartmentFactory(name="Transportation", slug="transportation")
    heat = published(department=department, title="Warm homes")
    snow = published(department=other, title="Snow routes")
    closed = set_status(ChallengeFactory(department=other, title="Old bridge"), "closed")

    def titles(params):
        response = client.get(BOARD, params)
        assert response.status_code == 200
        return {c.title for c in response.context["page"].object_list}

    assert titles({"q": "warm"}) == {heat.title}
    assert titles({"q": heat.reference}) == {heat.title}
    assert titles({"department": "transportation"}) == {snow.title, closed.title}
    assert titles({"department": "transportation", "status": "closed"}) == {closed.title}
    # A bad filter value is reported on its field and ignored, not a server error.
    response = client.get(BOARD, {"status": "nonsense"})
    assert response.status_code == 200
    assert response.context["form"].errors["status"]
    assert len(response.context["page"].object_list) == 3


def test_mine_shows_staff_only_their_own_challenges(client, alice, bob):
    mine = ChallengeFactory(owner=alice, title="Alice's challenge")
    ChallengeFactory(owner=bob, title="Bob's challenge")
    client.force_login(alice)

    response = client.get(BOARD, {"mine": "1"})

    assert [c.title for c in response.context["page"].object_list] == [mine.title]
    assert 'name="mine"' in response.content.decode()


def test_mine_is_not_offered_to_residents_and_changes_nothing_for_them(client, rita, department):
    published(department=department)
    client.force_login(rita)

    response = client.get(BOARD, {"mine": "1"})

    assert 'name="mine"' not in response.content.decode()
    assert len(response.context["page"].object_list) == 1


def test_page_links_keep_the_filters(client, department):
    for _ in range(13):
        published(department=department)

    response = client.get(BOARD, {"department": department.slug, "q": "homes"})

    html = response.content.decode()
    assert f"?department={department.slug}&amp;q=homes&amp;page=2" in html
    second = client.get(BOARD, {"department": department.slug, "q": "homes", "page": 2})
    assert len(second.context["page"].object_list) == 1


def test_it_says_when_nothing_matches_and_offers_to_clear_the_filters(client, department):
    published(department=department)

    response = client.get(BOARD, {"q": "no such thing"})

    html = response.content.decode()
    assert "No challenges match your search and filters." in html
    assert f'href="{BOARD}"' in html
    assert "There are no challenges yet" not in html


def test_it_says_when_there_are_no_challenges_at_all(client, db):
    response = client.get(BOARD)

    html = response.content.decode()
    assert "There are no challenges yet" in html
    assert "No challenges match" not in html


def test_a_changed_card_shows_at_once_although_the_board_is_cached(client, department):
    challenge = published(department=department, title="Warm homes")
    assert "Warm homes" in client.get(BOARD).content.decode()

    challenge.title = "Warmer homes for renters"
    challenge.save(update_fields=["title"])
    QuestionFactory(challenge=challenge, status=Question.Status.ANSWERED)
    department.name = "Housing and Community Services"
    department.save(update_fields=["name"])

    response = client.get(BOARD)

    html = response.content.decode()
    assert "Warmer homes for renters" in html
    assert "Housing and Community Services" in html
    assert response.context["page"].object_list[0].answered_question_count == 1
    assert "<dd>1</dd>" in html


def test_each_reader_gets_the_form_their_role_offers_from_the_cached_board(client, alice, rita):
    published(department=DepartmentFactory(name="Parks", slug="parks"))
    client.force_login(alice)
    staff = client.get(BOARD).content.decode()
    assert 'name="mine"' in staff and 'value="draft"' in staff

    client.force_login(rita)
    resident = client.get(BOARD).content.decode()
    client.logout()
    anonymous = client.get(BOARD).content.decode()

    assert 'name="mine"' not in resident
    assert 'name="mine"' not in anonymous
    assert 'value="draft"' not in anonymous


def test_the_cached_board_answers_in_the_readers_language(client, department):
    published(department=department)
    english = client.get(BOARD).content.decode()
    french = client.get(BOARD, HTTP_ACCEPT_LANGUAGE="fr").content.decode()

    assert "Submission deadline" in english
    assert "Submission deadline" not in french
