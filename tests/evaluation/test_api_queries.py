"""The evaluation API's lists take as many queries for many rows as for few (DESIGN.md §9)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from evaluation import services
from tests.evaluation.api_helpers import client_for
from tests.evaluation.builders import ranking_field
from tests.factories import UserFactory, panel_member

pytestmark = pytest.mark.django_db


def queries(client, url) -> int:
    # Once unmeasured: the signed-in user's roles are read once and kept on the user.
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(captured)


def field_of(size, alice, *, status, evaluators=3):
    specs = [([n % 10, (n + 3) % 10], 1000 + n) for n in range(size)]
    evaluation, _proposals = ranking_field(
        specs, combination="average", evaluators=evaluators, status=status, owner=alice
    )
    return evaluation


def url(evaluation, suffix):
    return f"/api/evaluations/{evaluation.challenge.reference}/{suffix}"


@pytest.mark.parametrize(
    "suffix", ["", "panel/", "scores/", "consensus/", "screening/", "proposals/"]
)
def test_reading_the_evaluation_as_staff_costs_the_same_for_many_proposals(alice, suffix):
    client = client_for(alice)
    few = field_of(3, alice, status="consensus", evaluators=2)
    many = field_of(12, alice, status="consensus", evaluators=5)

    assert queries(client, url(few, suffix)) == queries(client, url(many, suffix))


@pytest.mark.parametrize("suffix", ["proposals/", "scores/", "consensus/"])
def test_reading_as_a_panel_member_costs_the_same_for_many_proposals(alice, suffix):
    counts = []
    for size in (3, 12):
        evaluation = field_of(size, alice, status="consensus")
        member = UserFactory(roles=["evaluator"])
        panel_member(evaluation, member, status="submitted")
        counts.append(queries(client_for(member), url(evaluation, suffix)))

    assert counts[0] == counts[1]


@pytest.mark.parametrize("suffix", ["ranking/", "prices/", "ranking.csv"])
def test_the_ranking_and_prices_cost_the_same_for_many_proposals(alice, suffix):
    client = client_for(alice)
    counts = []
    for size in (3, 12):
        evaluation = field_of(size, alice, status="prices_opened")
        if suffix != "prices/":
            services.evaluation_rank(evaluation=evaluation, actor=alice)
        counts.append(queries(client, url(evaluation, suffix)))

    assert counts[0] == counts[1]


def test_my_assignments_cost_the_same_for_many_panels(alice):
    evaluator = UserFactory(roles=["evaluator"])
    client = client_for(evaluator)
    first = field_of(1, alice, status="scoring")
    panel_member(first, evaluator)
    few = queries(client, "/api/assignments/")
    for _ in range(5):
        panel_member(field_of(1, alice, status="scoring"), evaluator)

    assert queries(client, "/api/assignments/") == few
