"""Two people acting on the same challenge at the same moment, on two real database connections:
exactly one wins, the other is told the step is no longer possible, and the trail stays whole."""

import threading
import time

import pytest
from django.db import connections
from django_fsm.signals import pre_transition

from challenges import services
from challenges.models import Addendum, Challenge
from core.audit_chain import audit_verify
from core.errors import TransitionRefused
from core.models import AuditEntry
from tests.factories import (
    AddendumFactory,
    EngagementActivityFactory,
    UserFactory,
    complete_plan,
    set_status,
)

# As every transactional test here: rows the migrations made (roles) come back after the flush.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def slow_transitions():
    """Hold the winner inside its transaction long enough for the other to be waiting on it."""

    def pause(sender, **kwargs):
        time.sleep(0.3)

    pre_transition.connect(pause, dispatch_uid="test_slow_transitions")
    yield
    pre_transition.disconnect(dispatch_uid="test_slow_transitions")


def concurrently(*calls):
    """Run each call in its own thread (so on its own connection), all released at once."""
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def worker(index, call):
        try:
            barrier.wait(timeout=10)
            outcomes[index] = call()
        except Exception as exc:  # noqa: BLE001  (the outcome under test)
            outcomes[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads)
    return outcomes


def split(outcomes):
    refused = [o for o in outcomes if isinstance(o, TransitionRefused)]
    won = [o for o in outcomes if not isinstance(o, Exception)]
    assert len(refused) + len(won) == len(outcomes), outcomes
    return won, refused


def test_two_approvals_at_once_approve_once(challenge, carol, slow_transitions):
    paula = UserFactory(username="paula", roles=["staff", "approver"])
    EngagementActivityFactory(challenge=challenge)
    set_status(challenge, "in_review")

    outcomes = concurrently(
        lambda: services.challenge_transition(challenge=challenge, actor=carol, name="approve"),
        lambda: services.challenge_transition(challenge=challenge, actor=paula, name="approve"),
    )

    won, refused = split(outcomes)
    assert len(won) == 1 and len(refused) == 1
    assert refused[0].messages == ["This step is not possible while the challenge is Approved."]
    challenge.refresh_from_db()
    assert challenge.status == Challenge.Status.APPROVED
    assert challenge.approved_by == won[0].approved_by
    entry = AuditEntry.objects.get()
    assert (entry.transition, entry.actor) == ("approve", challenge.approved_by)


def test_two_publications_at_once_publish_once(challenge, alice, slow_transitions):
    EngagementActivityFactory(challenge=challenge)
    complete_plan(challenge)  # publication needs a complete evaluation plan
    set_status(challenge, "approved")

    def publish():
        return services.challenge_transition(challenge=challenge, actor=alice, name="publish")

    won, refused = split(concurrently(publish, publish))

    assert len(won) == 1 and len(refused) == 1
    assert "while the challenge is Open for proposals" in refused[0].messages[0]
    challenge.refresh_from_db()
    assert challenge.status == Challenge.Status.PUBLISHED
    assert challenge.published_at == won[0].published_at
    assert AuditEntry.objects.filter(transition="publish").count() == 1
    assert audit_verify() == (1, [])


def test_two_addenda_issued_at_once_get_numbers_one_and_two(
    published_challenge, alice, slow_transitions
):
    first = AddendumFactory(challenge=published_challenge, title="First")
    second = AddendumFactory(challenge=published_challenge, title="Second")

    outcomes = concurrently(
        lambda: services.addendum_issue(addendum=first, actor=alice),
        lambda: services.addendum_issue(addendum=second, actor=alice),
    )

    won, refused = split(outcomes)
    assert refused == []
    assert sorted(a.number for a in won) == [1, 2]
    stored = Addendum.objects.filter(challenge=published_challenge).order_by("number")
    assert list(stored.values_list("number", "status")) == [(1, "issued"), (2, "issued")]
    assert audit_verify() == (2, [])
