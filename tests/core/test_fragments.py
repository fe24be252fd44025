"""Fragment keys name what a cached fragment shows: any change to it makes a new key."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from challenges.models import Challenge
from core.fragments import content_key
from tests.factories import ChallengeFactory

pytestmark = pytest.mark.django_db


def test_a_row_changes_its_key_with_any_of_its_fields(challenge):
    challenge.refresh_from_db()
    before = content_key(challenge)
    challenge.summary = challenge.summary + " More."
    assert content_key(challenge) != before
    challenge.refresh_from_db()
    assert content_key(challenge) == before


def test_the_order_and_count_of_rows_count(db):
    one, two = ChallengeFactory(), ChallengeFactory()
    assert content_key([one, two]) != content_key([two, one])
    assert content_key([one]) != content_key([one, one])
    assert content_key([one], "a") != content_key([one, "a"])


def test_a_row_read_with_some_fields_is_keyed_on_them_without_another_query(challenge):
    row = Challenge.objects.only("pk", "title").get(pk=challenge.pk)
    with CaptureQueriesContext(connection) as queries:
        content_key(row)
    assert len(queries) == 0


def test_it_refuses_values_it_cannot_key_faithfully():
    with pytest.raises(TypeError):
        content_key(object())
