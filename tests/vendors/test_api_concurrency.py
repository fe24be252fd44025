"""Two submits of the same proposal at once through the API: one wins, the other is told."""

import threading

import pytest
from django.db import connection
from rest_framework.test import APIClient

from core.models import AuditEntry
from vendors.models import Proposal, ProposalReceipt


def _post_at_once(user, url, count=2):
    barrier = threading.Barrier(count)
    results = []

    def run():
        client = APIClient()
        client.force_authenticate(user)
        try:
            barrier.wait(timeout=10)
            results.append(client.post(url, {}, format="json"))
        finally:
            # Each thread has its own connection; leave none open for the database teardown.
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
def test_two_simultaneous_submits_give_one_submission_and_one_conflict(draft, dave):
    responses = _post_at_once(dave, f"/api/proposals/{draft.public_id}/submit/")

    assert sorted(r.status_code for r in responses) == [200, 409]
    winner = next(r for r in responses if r.status_code == 200)
    refused = next(r for r in responses if r.status_code == 409)
    assert "submit" not in refused.json()["allowed_transitions"]
    assert refused.json()["detail"]
    draft.refresh_from_db()
    assert draft.status == Proposal.Status.SUBMITTED
    assert winner.json()["receipt_digest"] == draft.receipt_digest
    assert list(ProposalReceipt.objects.values_list("digest", flat=True)) == [draft.receipt_digest]
    assert AuditEntry.objects.filter(transition="submit").count() == 1
