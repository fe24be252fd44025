"""The order of every challenge list: open challenges first, then closed, then the rest, cancelled
last; newest publication first within each group. The order is read from an index, never sorted."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from challenges.models import Challenge
from challenges.selectors import challenge_board
from tests.factories import ChallengeFactory, set_status

pytestmark = pytest.mark.django_db

BOARD = reverse("challenges:board")
NOW = timezone.now()


def challenge_in(status, *, days_ago, **fields):
    challenge = ChallengeFactory(title=f"{status} {days_ago}", **fields)
    published_at = None if status in {"draft", "co_design"} else NOW - timedelta(days=days_ago)
    return set_status(challenge, status, published_at=published_at)


@pytest.fixture
def every_state(department):
    """Two open challenges, and one in each other state; the cancelled one is the newest."""
    return {
        "cancelled": challenge_in("cancelled", days_ago=1, department=department),
        "awarded": challenge_in("awarded", days_ago=2, department=department),
        "open-new": challenge_in("published", days_ago=3, department=department),
        "closed": challenge_in("closed", days_ago=4, department=department),
        "not_awarded": challenge_in("not_awarded", days_ago=5, department=department),
        "evaluating": challenge_in("evaluating", days_ago=6, department=department),
        "open-old": challenge_in("published", days_ago=7, department=department),
        "co_design": challenge_in("co_design", days_ago=0, department=department),
        "draft": challenge_in("draft", days_ago=0, department=department),
    }


PUBLIC_ORDER = [
    "open-new",
    "open-old",
    "closed",
    "evaluating",
    "awarded",
    "not_awarded",
    "co_design",
    "cancelled",
]


def board_titles(client):
    return [c.title for c in client.get(BOARD).context["page"].object_list]


def titles(every_state, names):
    return [every_state[name].title for name in names]


def test_the_board_lists_open_then_closed_then_the_rest_with_cancelled_last(client, every_state):
    assert board_titles(client) == titles(every_state, PUBLIC_ORDER)


def test_staff_see_challenges_in_preparation_after_decided_ones_and_before_cancelled(
    client, alice, every_state
):
    client.force_login(alice)

    order = board_titles(client)

    assert order[:6] == titles(every_state, PUBLIC_ORDER[:6])
    # In preparation: unpublished ones, the newest created first.
    assert order[6:8] == titles(every_state, ["draft", "co_design"])
    assert order[-1] == every_state["cancelled"].title


def test_the_list_api_gives_the_boards_order(every_state):
    rows = APIClient().get("/api/challenges/").json()["results"]

    assert [row["title"] for row in rows] == titles(every_state, PUBLIC_ORDER)


def test_a_challenge_that_closes_moves_below_the_open_ones_on_the_cached_board(client, every_state):
    assert board_titles(client)[0] == every_state["open-new"].title

    set_status(every_state["open-new"], "closed")

    order = board_titles(client)
    assert order[0] == every_state["open-old"].title
    assert order[1:3] == titles(every_state, ["open-new", "closed"])


def test_the_list_group_is_stored_by_the_database_and_follows_the_status(department):
    challenge = challenge_in("published", days_ago=1, department=department)
    assert Challenge.objects.get(pk=challenge.pk).list_group == 0

    set_status(challenge, "cancelled")

    assert Challenge.objects.get(pk=challenge.pk).list_group == 4


# The plan at a few thousand rows


STATES = ["published", "closed", "evaluating", "awarded", "not_awarded", "cancelled", "draft"]


def seed(total, *, owner, department):
    Challenge.objects.bulk_create(
        (
            Challenge(
                reference=f"ORDER-2026-{n:05d}",
                title=f"Challenge {n}",
                department=department,
                owner=owner,
                status=STATES[n % len(STATES)],
                published_at=None if n % len(STATES) == 6 else NOW - timedelta(minutes=n),
            )
            for n in range(total)
        ),
        batch_size=1000,
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def plan(queryset, *, analyze=False):
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {'ANALYZE' if analyze else ''} {sql}", params)
        return "\n".join(line for (line,) in cursor.fetchall())


@pytest.mark.parametrize(
    "reader, filters",
    [
        ("anonymous", {}),
        ("alice", {}),
        ("anonymous", {"status": "closed"}),
        ("alice", {"department": "housing"}),
    ],
)
def test_a_page_of_3000_challenges_is_read_from_the_index_without_sorting(
    request, alice, department, reader, filters
):
    seed(3000, owner=alice, department=department)
    user = AnonymousUser() if reader == "anonymous" else request.getfixturevalue(reader)
    filters = {k: department.slug if k == "department" else v for k, v in filters.items()}
    board = challenge_board(user=user, **filters)

    pages = [board[:20]] if filters else [board[:20], board[200:220]]
    for page in pages:
        explained = plan(page)
        assert "Sort" not in explained, explained
        assert "list_order" in explained, explained
    # Deep in a list (or in a few hundred rows of one state) the planner may rather sort what it
    # reads than walk the index; that sort stays in memory.
    for page in (board[200:220], board[2000:2020]):
        explained = plan(page, analyze=True)
        assert "Disk" not in explained and "external" not in explained, explained
