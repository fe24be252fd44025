"""The open-data index and its API list: a page at a time, at the same cost however many
challenges are published."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from opendata.views import INDEX_PAGE_SIZE
from tests.factories import ChallengeFactory, set_status

pytestmark = pytest.mark.django_db

SMALL, LARGE = 3, 30
INDEX = reverse("opendata:open_data")


def publish_up_to(total, *, owner, department):
    have = len(ChallengeFactory._meta.model.objects.filter(published_at__isnull=False))
    for challenge in ChallengeFactory.create_batch(
        total - have, owner=owner, department=department
    ):
        set_status(challenge, "published")


def read(client, url, params=None):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return response, len(queries)


def test_the_index_shows_a_page_at_a_time_at_the_same_cost(client, alice, department):
    publish_up_to(SMALL, owner=alice, department=department)
    _, small = read(client, INDEX)
    publish_up_to(LARGE, owner=alice, department=department)
    first, large = read(client, INDEX)
    second, second_cost = read(client, INDEX, {"page": 2})

    assert small == large == second_cost
    assert len(first.context["page"].object_list) == INDEX_PAGE_SIZE
    assert len(second.context["page"].object_list) == LARGE - INDEX_PAGE_SIZE
    assert 'href="?page=2"' in first.content.decode()
    shown = {c.reference for c in first.context["page"]} | {
        c.reference for c in second.context["page"]
    }
    assert len(shown) == LARGE


def test_a_page_number_out_of_range_shows_the_last_page(client, alice, department):
    publish_up_to(LARGE, owner=alice, department=department)

    response, _ = read(client, INDEX, {"page": 99})

    assert response.context["page"].number == 2


def test_the_api_list_costs_the_same_for_3_and_30_challenges(alice, department):
    api = APIClient()
    publish_up_to(SMALL, owner=alice, department=department)
    _, small = read(api, "/api/open-data/")
    publish_up_to(LARGE, owner=alice, department=department)
    response, large = read(api, "/api/open-data/")

    assert response.json()["count"] == LARGE
    assert len(response.json()["results"]) == 20
    assert small == large
