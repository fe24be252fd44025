"""Many entries at once (a batch of scheduled steps): the same chain as one entry after another."""

import pytest
from django.db import transaction

from challenges import services
from core.audit import audit_append, audit_append_many, audit_deferred
from core.audit_chain import audit_verify
from core.models import AuditChainHead, AuditEntry

pytestmark = pytest.mark.django_db


def test_many_entries_continue_the_chain_in_order(co_design_challenge, alice):
    with transaction.atomic():
        audit_append(obj=co_design_challenge, transition="edit", source="", target="", actor=alice)
        audit_append_many(
            [
                {"obj": co_design_challenge, "transition": f"step{i}", "source": "a", "target": "b"}
                for i in range(3)
            ]
        )

    entries = list(AuditEntry.objects.order_by("sequence"))
    assert [e.transition for e in entries] == ["edit", "step0", "step1", "step2"]
    assert [e.sequence for e in entries] == [1, 2, 3, 4]
    assert [e.previous_digest for e in entries[1:]] == [e.digest for e in entries[:-1]]
    assert [e.actor_label for e in entries] == [alice.get_username()] + ["system"] * 3
    head = AuditChainHead.objects.get(pk=1)
    assert (head.last_sequence, head.last_digest) == (4, entries[-1].digest)
    assert audit_verify() == (4, [])


def test_deferred_transitions_are_recorded_when_the_block_ends(co_design_challenge, alice):
    with transaction.atomic(), audit_deferred():
        services.challenge_transition(
            challenge=co_design_challenge, actor=alice, name="submit_for_review"
        )
        assert not AuditEntry.objects.exists()

    entry = AuditEntry.objects.get()
    assert (entry.transition, entry.source, entry.target) == (
        "submit_for_review",
        "co_design",
        "in_review",
    )
    assert audit_verify() == (1, [])


def test_a_deferred_block_that_fails_records_nothing(co_design_challenge, alice):
    with pytest.raises(ZeroDivisionError), transaction.atomic(), audit_deferred():
        services.challenge_transition(
            challenge=co_design_challenge, actor=alice, name="submit_for_review"
        )
        1 / 0  # noqa: B018

    assert not AuditEntry.objects.exists()
