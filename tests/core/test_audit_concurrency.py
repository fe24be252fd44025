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


def test_deferred_entries_are_chained_in_order_when_the_block_ends(alice, department):
    from django.db import transaction

    from core.audit import audit_deferred

    first, second = (ChallengeFactory(owner=alice, department=department) for _ in range(2))
    with transaction.atomic():
        audit_append(obj=first, transition="note", source="", target="")
        with audit_deferred():
            audit_append(obj=first, transition="a", source="", target="")
            audit_append(obj=second, transition="b", source="", target="")
            # Nothing written yet: the chain head is not taken inside the block.
            assert AuditEntry.objects.count() == 1
        assert AuditEntry.objects.count() == 3

    assert audit_verify() == (3, [])
    assert list(AuditEntry.objects.order_by("sequence").values_list("transition", flat=True)) == [
        "note",
        "a",
        "b",
    ]
    assert AuditChainHead.objects.get().last_sequence == 3


def test_deferred_entries_of_a_failed_action_are_not_written(alice, department):
    from django.db import transaction

    from core.audit import audit_deferred

    challenge = ChallengeFactory(owner=alice, department=department)
    with pytest.raises(ValueError), transaction.atomic(), audit_deferred():
        audit_append(obj=challenge, transition="a", source="", target="")
        raise ValueError("the action failed")

    assert AuditEntry.objects.count() == 0
    assert audit_verify() == (0, [])


def test_submits_of_many_vendors_at_once_keep_one_valid_chain(
    published_challenge, settings, tmp_path
):
    """The deadline rush: concurrent submissions, their entries written last, one chain."""
    from tests.factories import ResponseQuestionFactory, VendorMembershipFactory
    from tests.vendors.conftest import fill_in
    from vendors import services as vendor_services

    settings.MEDIA_ROOT = tmp_path / "media"
    questions = [
        ResponseQuestionFactory(challenge=published_challenge, order=n, required=True)
        for n in (1, 2)
    ]

    drafts = []
    for n in range(6):
        member = VendorMembershipFactory(vendor__legal_name=f"Vendor {n}", role="owner")
        proposal = vendor_services.proposal_start(
            challenge=published_challenge, vendor=member.vendor, actor=member.user
        )
        drafts.append((fill_in(proposal, member.user, questions), member.user))
    before = AuditEntry.objects.count()
    barrier = threading.Barrier(len(drafts))
    errors = []

    def submit(proposal, user):
        try:
            barrier.wait(timeout=10)
            vendor_services.proposal_submit(proposal=proposal, actor=user)
        except Exception as exc:  # noqa: BLE001  (reported below)
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit, args=pair) for pair in drafts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    assert AuditEntry.objects.filter(transition="submit").count() == len(drafts)
    assert audit_verify() == (before + len(drafts), [])
