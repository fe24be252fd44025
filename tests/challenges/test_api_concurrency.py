"""Two people (or two clicks) running the same step at once: one wins, the other is told."""

import threading

import pytest
from django.db import connection
from rest_framework.test import APIClient

from core.models import AuditEntry
from tests.factories import EngagementActivityFactory, set_status


def _post_at_once(user, url, body, count=2):
    barrier = threading.Barrier(count)
    results = []

    def run():
        client = APIClient()
        client.force_authenticate(user)
        try:
            barrier.wait(timeout=10)
            results.append(client.post(url, body, format="json"))
        finally:
            # Each thread has its own connection; leave none open for the test database teardown.
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


# serialized_rollback: the flush after a transactional test would drop the role groups that the
# migrations created, which later tests rely on.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize(
    ("name", "state", "actor", "body", "after"),
    [
        ("approve", "in_review", "carol", {}, "approved"),
        ("cancel", "draft", "alice", {"reason": "Funding withdrawn."}, "cancelled"),
    ],
)
def test_it_lets_only_one_of_two_simultaneous_transitions_through(
    request, challenge, name, state, actor, body, after
):
    EngagementActivityFactory(challenge=challenge)
    set_status(challenge, state)
    user = request.getfixturevalue(actor)

    responses = _post_at_once(user, f"/api/challenges/{challenge.reference}/{name}/", body)

    assert sorted(r.status_code for r in responses) == [200, 409]
    refused = next(r for r in responses if r.status_code == 409)
    assert name not in refused.json()["allowed_transitions"]
    challenge.refresh_from_db()
    assert challenge.status == after
    entries = AuditEntry.objects.filter(object_id=str(challenge.pk))
    assert [(e.transition, e.source, e.target) for e in entries] == [(name, state, after)]
