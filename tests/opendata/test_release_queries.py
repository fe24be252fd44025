"""Building a challenge's releases from its state now (the backfill of challenges published
before releases were stored) reads its answers and addenda once, however many it has: every
release repeats the tender, and each used to read them again."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from challenges.models import Addendum, Question
from opendata import ocds
from tests.factories import AddendumFactory, ChallengeFactory, QuestionFactory, set_status

pytestmark = pytest.mark.django_db


def _published_with(count, alice):
    challenge = set_status(ChallengeFactory(owner=alice), "published")
    for i in range(count):
        question = QuestionFactory(challenge=challenge, body=f"Question {i}?")
        Question.objects.filter(pk=question.pk).update(
            status="answered", answer="Yes.", answered_by=alice, answered_at=timezone.now()
        )
        addendum = AddendumFactory(challenge=challenge, title=f"Addendum {i}")
        Addendum.objects.filter(pk=addendum.pk).update(
            status="issued", number=i + 1, issued_at=timezone.now()
        )
    challenge.refresh_from_db()
    return challenge


def _queries(challenge) -> tuple[int, list[dict]]:
    with CaptureQueriesContext(connection) as queries:
        releases = ocds.current_releases(challenge)
    return len(queries), releases


def test_the_releases_of_a_challenge_cost_the_same_queries_however_many_addenda(alice):
    small, small_releases = _queries(_published_with(2, alice))
    large, large_releases = _queries(_published_with(12, alice))

    assert small == large <= 10
    # The tender and one release per addendum, each with every answer as a clarification.
    assert len(small_releases) == 1 + 2
    assert len(large_releases) == 1 + 12
    last = large_releases[-1]["tender"]
    assert len(last["amendments"]) == 12
    assert len([d for d in last["documents"] if d["documentType"] == "clarifications"]) == 12
