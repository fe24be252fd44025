"""What the challenge lists, the challenge page and the lists under a challenge cost in queries.

Each is read at two sizes (3 and 30 rows) by each kind of reader: the number of queries must not
change, and a page that shows one challenge stays within 10. Listings never load a password hash.
"""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from rest_framework import serializers
from rest_framework.test import APIClient

from challenges.models import Addendum, Challenge, CommunityInput, PriorityGroup, Question
from challenges.selectors import challenge_board, challenge_list, challenge_list_counts
from challenges.serializers import ChallengeDetailOutput, ChallengeListOutput
from tests.factories import (
    AddendumFactory,
    ChallengeFactory,
    ChallengePartnerFactory,
    CommunityInputFactory,
    EngagementActivityFactory,
    QuestionFactory,
    UserFactory,
    set_status,
)

pytestmark = pytest.mark.django_db

SMALL, LARGE = 3, 30
READERS = ["anonymous", "rita", "dave", "alice"]


def _fresh(user):
    # Each request loads its user afresh (roles are cached on the object).
    return None if user is None else get_user_model().objects.get(pk=user.pk)


def _reader(request, persona):
    return None if persona == "anonymous" else request.getfixturevalue(persona)


def api_queries(user, url, params=None):
    client = APIClient()
    if user is not None:
        client.force_authenticate(_fresh(user))
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params or {})
    assert response.status_code == 200, response.content
    return response, queries


def page_queries(user, url, params=None):
    client = Client()
    if user is not None:
        client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return response, queries


# What every page costs a signed-in reader, whatever it shows: the session, the user, their roles
# and their unread notifications.
PER_READER = ("django_session", "auth_user", "auth_group", "procurement_notification")


def own_queries(queries):
    return [
        q["sql"]
        for q in queries.captured_queries
        if not any(f'FROM "{table}"' in q["sql"] for table in PER_READER)
    ]


def no_password_read(queries):
    return not any('"password"' in query["sql"] for query in queries.captured_queries)


def publish_challenges(total, *, owner, department):
    """Published challenges up to `total`, each with an answered question and an issued addendum
    (and a draft addendum and an open question that the counts must leave out)."""
    for challenge in ChallengeFactory.create_batch(
        total - Challenge.objects.count(), owner=owner, department=department
    ):
        set_status(challenge, "published")
        set_status(QuestionFactory(challenge=challenge), "answered", answer="Yes.")
        QuestionFactory(challenge=challenge)
        set_status(AddendumFactory(challenge=challenge, number=1), "issued")
        AddendumFactory(challenge=challenge)


# The challenge list: API and board


@pytest.mark.parametrize("persona", READERS)
def test_the_list_api_costs_the_same_for_3_and_30_challenges_and_on_a_later_page(
    request, persona, alice, department
):
    user = _reader(request, persona)

    publish_challenges(SMALL, owner=alice, department=department)
    _, small = api_queries(user, "/api/challenges/")
    publish_challenges(LARGE, owner=alice, department=department)
    response, large = api_queries(user, "/api/challenges/")
    _, second_page = api_queries(user, "/api/challenges/", {"page": 2})
    _, filtered = api_queries(user, "/api/challenges/", {"department": department.slug})

    assert response.json()["count"] == LARGE
    assert len(small) == len(large) == len(second_page) == len(filtered)


def test_the_list_counts_without_joining_questions_or_addenda(alice, department):
    publish_challenges(SMALL, owner=alice, department=department)

    _, queries = api_queries(None, "/api/challenges/")

    count = next(q["sql"] for q in queries.captured_queries if "COUNT(*)" in q["sql"])
    assert "JOIN" not in count


def test_each_row_of_a_later_page_counts_its_own_questions_and_addenda(alice, department):
    publish_challenges(LARGE, owner=alice, department=department)
    busiest = Challenge.objects.order_by("published_at", "created_at", "id").first()
    set_status(QuestionFactory(challenge=busiest), "answered", answer="Also yes.")

    rows = api_queries(None, "/api/challenges/", {"page": 2})[0].json()["results"]

    counts = {
        r["reference"]: (r["answered_question_count"], r["issued_addendum_count"]) for r in rows
    }
    assert len(rows) == LARGE - 20
    assert counts.pop(busiest.reference) == (2, 1)
    assert set(counts.values()) == {(1, 1)}


def test_a_list_row_is_what_the_declared_fields_give(alice, department):
    publish_challenges(1, owner=alice, department=department)
    (challenge,) = challenge_list_counts(challenge_board(user=alice))

    output = ChallengeListOutput(challenge)
    generic = serializers.ModelSerializer.to_representation(output, challenge)

    assert output.data == generic
    assert generic["status_display"] == "Open for proposals"


@pytest.mark.parametrize("status", ["draft", "published", "cancelled"])
def test_the_challenge_api_gives_what_the_declared_fields_give(rf, alice, department, status):
    challenge = ChallengeFactory(owner=alice, department=department, budget_min=None)
    set_status(challenge, status, changes_requested_reason="Say more.")
    challenge = challenge_list(user=alice).get(pk=challenge.pk)
    request = rf.get("/")
    request.user = alice

    output = ChallengeDetailOutput(challenge, context={"request": request})
    generic = serializers.ModelSerializer.to_representation(output, challenge)

    assert output.data == generic
    assert generic["budget_min"] is None
    assert generic["budget_max"] == "150000.00"
    assert generic["changes_requested_reason"] == "Say more."


@pytest.mark.parametrize("persona", ["anonymous", "alice"])
def test_the_board_costs_the_same_for_3_and_30_challenges(request, persona, alice, department):
    user = _reader(request, persona)

    publish_challenges(SMALL, owner=alice, department=department)
    _, small = page_queries(user, "/")
    publish_challenges(LARGE, owner=alice, department=department)
    response, large = page_queries(user, "/")
    _, second_page = page_queries(user, "/", {"page": 2})

    assert response.context["page"].paginator.count == LARGE
    assert len(small) == len(large) == len(second_page)


# One challenge: its page and its API


def fill_challenge(challenge, total, *, asker):
    """Up to `total` answered questions, open questions (by `asker`), published and pending
    input, issued addenda, engagement activities and community partners on the challenge."""
    have = challenge.addenda.count()
    for n in range(have, total):
        set_status(QuestionFactory(challenge=challenge, asked_by=asker), "answered", answer="Yes.")
        QuestionFactory(challenge=challenge, asked_by=asker)
        set_status(CommunityInputFactory(challenge=challenge), "published")
        CommunityInputFactory(challenge=challenge)
        set_status(AddendumFactory(challenge=challenge, number=n + 1), "issued")
        activity = EngagementActivityFactory(challenge=challenge)
        # A community partner serving two groups, which co-hosted the activity.
        partner = ChallengePartnerFactory(challenge=challenge).partner
        partner.groups_served.set(PriorityGroup.objects.all()[:2])
        activity.partners.add(partner)


@pytest.mark.parametrize("persona", READERS)
def test_the_challenge_page_costs_the_same_for_3_and_30_rows_and_at_most_18(
    request, persona, published_challenge, dave
):
    user = _reader(request, persona)
    url = published_challenge.get_absolute_url()

    fill_challenge(published_challenge, SMALL, asker=dave)
    _, small = page_queries(user, url)
    fill_challenge(published_challenge, LARGE, asker=dave)
    response, large = page_queries(user, url)

    assert len(response.context["answered_questions"]) == LARGE
    assert len(small) == len(large)
    # Ten for the page's lists, two for the reach ledger and the activities' counts per group,
    # one each for "you said, we did", the data governance record and whether the reader follows,
    # three for the community partners with the groups they serve and the activities they co-hosted.
    assert len(own_queries(large)) <= 18, own_queries(large)


@pytest.mark.parametrize("persona", READERS)
def test_the_challenge_api_costs_the_same_for_3_and_30_rows_and_at_most_10(
    request, persona, published_challenge, dave
):
    user = _reader(request, persona)
    url = f"/api/challenges/{published_challenge.reference}/"

    fill_challenge(published_challenge, SMALL, asker=dave)
    _, small = api_queries(user, url)
    fill_challenge(published_challenge, LARGE, asker=dave)
    response, large = api_queries(user, url)

    assert response.json()["answered_question_count"] == LARGE
    assert response.json()["issued_addendum_count"] == LARGE
    assert len(small) == len(large) <= 10


# Lists under a challenge: questions and community input


@pytest.mark.parametrize("persona", READERS)
def test_the_questions_api_costs_the_same_for_3_and_30_questions(
    request, persona, published_challenge, dave
):
    user = _reader(request, persona)
    url = f"/api/challenges/{published_challenge.reference}/questions/"

    fill_challenge(published_challenge, SMALL, asker=dave)
    _, small = api_queries(user, url)
    fill_challenge(published_challenge, LARGE, asker=dave)
    response, large = api_queries(user, url)

    assert response.json()["count"] == {"dave": 2 * LARGE, "alice": 2 * LARGE}.get(persona, LARGE)
    assert len(small) == len(large)
    assert no_password_read(large)


def test_staff_read_who_asked_and_others_do_not(published_challenge, dave, alice, erin):
    fill_challenge(published_challenge, SMALL, asker=dave)
    url = f"/api/challenges/{published_challenge.reference}/questions/"

    staff_rows = api_queries(alice, url)[0].json()["results"]
    vendor_rows = api_queries(erin, url)[0].json()["results"]

    assert {row["asked_by"] for row in staff_rows} == {"dave"}
    assert all("asked_by" not in row for row in vendor_rows)


@pytest.mark.parametrize("persona", READERS)
def test_the_community_input_api_costs_the_same_for_3_and_30_inputs(
    request, persona, published_challenge, dave
):
    user = _reader(request, persona)
    url = f"/api/challenges/{published_challenge.reference}/community-input/"

    fill_challenge(published_challenge, SMALL, asker=dave)
    _, small = api_queries(user, url)
    fill_challenge(published_challenge, LARGE, asker=dave)
    response, large = api_queries(user, url)

    rows = response.json()
    assert rows["count"] == (2 * LARGE if persona == "alice" else LARGE)
    assert len(small) == len(large)
    assert no_password_read(large)
    if persona == "alice":
        assert all(row["author"] for row in rows["results"])
    else:
        assert all("author" not in row for row in rows["results"])


def test_the_counts_leave_out_open_questions_and_draft_addenda(alice, department):
    publish_challenges(1, owner=alice, department=department)

    (challenge,) = challenge_list_counts(challenge_board(user=UserFactory()))

    assert Question.objects.filter(challenge=challenge).count() == 2
    assert Addendum.objects.filter(challenge=challenge).count() == 2
    assert (challenge.answered_question_count, challenge.issued_addendum_count) == (1, 1)
    assert CommunityInput.objects.count() == 0
