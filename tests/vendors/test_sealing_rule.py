"""One notion of "closed" for sealing, in Python and in SQL alike (DESIGN.md §3 "Two envelopes")."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from core.permissions import can
from tests.factories import ChallengeFactory, set_status
from vendors import sealing

pytestmark = pytest.mark.django_db

# (status, closed at some point?) → unsealed?
CASES = [
    ("draft", False, False),
    ("published", False, False),
    ("cancelled", False, False),  # cancelled while open: sealed for good
    ("closed", True, True),
    ("evaluating", True, True),
    ("awarded", True, True),
    ("not_awarded", True, True),
    ("cancelled", True, True),  # cancelled after closing: what was received stays received
]


@pytest.mark.parametrize(("status", "was_closed", "unsealed"), CASES)
def test_a_challenge_is_unsealed_once_closed_and_the_query_agrees(
    alice, department, status, was_closed, unsealed
):
    challenge = ChallengeFactory(owner=alice, department=department)
    fields = {"closed_at": timezone.now() - timedelta(days=1)} if was_closed else {}
    challenge = set_status(challenge, status, **fields)

    assert sealing.proposals_unsealed(challenge) is unsealed
    assert sealing.sealed_challenges().filter(pk=challenge.pk).exists() is not unsealed


@pytest.mark.parametrize("who", ["anonymous", "rita", "alice", "root"])
def test_a_count_is_nobodys_before_closing_and_everyones_after(request, published_challenge, who):
    user = AnonymousUser() if who == "anonymous" else request.getfixturevalue(who)

    assert not can(user, "vendors.view_proposal_count", published_challenge)
    assert sealing.received_proposal_count(challenge=published_challenge, user=user) is None

    closed = set_status(published_challenge, "closed", closed_at=timezone.now())

    assert can(user, "vendors.view_proposal_count", closed)
    assert sealing.received_proposal_count(challenge=closed, user=user) == 0


@pytest.mark.parametrize("who", ["alice", "bob", "carol", "root", "frank", "rita"])
def test_the_list_of_received_proposals_waits_for_closing_and_is_for_staff(
    request, published_challenge, who
):
    user = request.getfixturevalue(who)
    assert not can(user, "vendors.view_received_proposals", published_challenge)

    closed = set_status(published_challenge, "closed", closed_at=timezone.now())

    assert can(user, "vendors.view_received_proposals", closed) is (
        who in {"alice", "bob", "carol"}
    )
