"""The scoring page and the ranking page cost the same number of queries however many proposals
an evaluation has."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from evaluation import services
from evaluation.models import PanelAssignment
from tests.evaluation.builders import ranking_field
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def _scoring_page_queries(client, count: int) -> int:
    # "average" gives each proposal a submitted evaluator's scores, so the page shows them too.
    evaluation, proposals = ranking_field(
        [((8, 7), 1000 + i) for i in range(count)], combination="average", status="scoring"
    )
    evaluator = PanelAssignment.objects.get(evaluation=evaluation).evaluator
    client.force_login(evaluator)
    url = reverse(
        "evaluation:score",
        kwargs={"reference": evaluation.challenge.reference, "public_id": proposals[0].public_id},
    )
    return _queries(client, url)


def _ranking_page_queries(client, count: int) -> int:
    owner = UserFactory(roles=["staff"])
    evaluation, _proposals = ranking_field(
        [((8 - i % 5, 7), 1000 + 10 * i) for i in range(count)], owner=owner
    )
    services.evaluation_rank(evaluation=evaluation, actor=owner)
    client.force_login(owner)
    url = reverse("evaluation:results", kwargs={"reference": evaluation.challenge.reference})
    return _queries(client, url)


def test_the_scoring_page_does_not_query_per_proposal(client):
    assert _scoring_page_queries(client, 2) == _scoring_page_queries(client, 9)


def test_the_ranking_page_does_not_query_per_proposal(client):
    assert _ranking_page_queries(client, 2) == _ranking_page_queries(client, 9)
