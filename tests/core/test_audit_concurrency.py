"""Appends from many connections at once still form one unbroken chain."""

import threading

import pytest
from django.db import connections

from challenges import services
from core.audit import audit_append
from core.audit_chain import audit_verify
from core.models import AuditChainHead, AuditEntry
from tests.factories import ChallengeFactory

# As every transactional test here: rows the migrations made (roles) come back after the flush.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_concurrent_transitions_keep_one_valid_chain(alice, department):
    challenges = [ChallengeFactory(owner=alice, department=department) for _ in range(8)]
    barrier = threading.Barrier(len(challenges))
    errors = []

    def open_co_design(challenge):
        try:
            barrier.wait(timeout=10)
            services.challenge_transition(challenge=challenge, actor=alice, name="open_co_design")
        except Exception as exc:  # noqa: BLE001  (reported below)
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=open_co_design, args=(c,)) for c in challenges]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    assert audit_verify() == (8, [])
    entries = list(AuditEntry.objects.order_by("sequence"))
    assert [e.sequence for e in entries] == list(range(1, 9))
    assert {e.object_id for e in entries} == {str(c.pk) for c in challenges}
    assert all(b.previous_digest == a.digest for a, b in zip(entries, entries[1:], strict=False))
    assert AuditChainHead.objects.get().last_sequence == 8


def test_it_refuses_to_append_outside_the_transaction_it_records(alice, department):
    challenge = ChallengeFactory(owner=alice, department=department)

    with pytest.raises(RuntimeError, match="must run inside the transaction it records"):
        audit_append(obj=challenge, transition="open_co_design", source="draft", target="x")

    assert AuditEntry.objects.count() == 0
