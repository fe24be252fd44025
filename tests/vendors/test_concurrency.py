"""Races on real database connections: one consistent result, never two (DESIGN.md §3)."""

import threading
from datetime import timedelta

import pytest
import time_machine
from django.db import connection

from core.errors import TransitionRefused
from core.models import AuditEntry
from core.timefmt import format_local
from tests.vendors.conftest import close, fill_in
from vendors import services
from vendors.models import Proposal, ProposalReceipt
from vendors.services import proposals as proposal_services

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def in_thread(target, results, key):
    def run():
        try:
            results[key] = target()
        except Exception as exc:  # the outcome is what the test checks
            results[key] = exc
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def test_two_submits_of_the_same_proposal_at_once_give_one_receipt(draft, dave):
    barrier = threading.Barrier(2)
    results = {}

    def submit():
        barrier.wait(timeout=5)
        return services.proposal_submit(proposal=draft, actor=dave)

    threads = [in_thread(submit, results, n) for n in (1, 2)]
    for thread in threads:
        thread.join(timeout=20)

    outcomes = sorted(type(r).__name__ for r in results.values())
    assert outcomes == ["Proposal", "TransitionRefused"]
    draft.refresh_from_db()
    assert draft.status == "submitted"
    assert ProposalReceipt.objects.filter(proposal=draft).count() == 1
    assert ProposalReceipt.objects.get(proposal=draft).digest == draft.receipt_digest
    assert AuditEntry.objects.filter(transition="submit").count() == 1


def test_a_submit_that_holds_the_challenge_makes_the_close_wait_and_is_received(
    draft, dave, monkeypatch
):
    challenge = draft.challenge
    deadline = challenge.submission_deadline
    inside, release = threading.Event(), threading.Event()
    real_receipt_issue = proposal_services.receipt_issue

    def slow_receipt_issue(**kwargs):
        receipt = real_receipt_issue(**kwargs)
        inside.set()
        release.wait(timeout=10)
        return receipt

    monkeypatch.setattr(proposal_services, "receipt_issue", slow_receipt_issue)
    results = {}
    with time_machine.travel(deadline - timedelta(microseconds=1), tick=False) as clock:
        submitting = in_thread(
            lambda: services.proposal_submit(proposal=draft, actor=dave), results, "submit"
        )
        assert inside.wait(timeout=10)
        clock.move_to(deadline)
        closing = in_thread(lambda: close(challenge), results, "close")
        closing.join(timeout=1)
        assert closing.is_alive(), "the close must wait for the submission holding the challenge"
        release.set()
        submitting.join(timeout=20)
        closing.join(timeout=20)

    assert not isinstance(results["submit"], Exception), results["submit"]
    assert not isinstance(results["close"], Exception), results["close"]
    draft.refresh_from_db()
    challenge.refresh_from_db()
    assert (challenge.status, draft.status) == ("closed", Proposal.Status.RECEIVED)
    assert draft.submitted_at < deadline
    assert list(
        AuditEntry.objects.filter(transition__in=["submit", "close", "receive"])
        .order_by("sequence")
        .values_list("transition", flat=True)
    ) == ["submit", "close", "receive"]


def test_a_submit_racing_the_close_at_the_deadline_loses_and_the_draft_lapses(draft, dave):
    challenge = draft.challenge
    barrier = threading.Barrier(2)
    results = {}

    def submit():
        barrier.wait(timeout=5)
        return services.proposal_submit(proposal=draft, actor=dave)

    def closing():
        barrier.wait(timeout=5)
        return close(challenge)

    with time_machine.travel(challenge.submission_deadline, tick=False):
        threads = [in_thread(submit, results, "submit"), in_thread(closing, results, "close")]
        for thread in threads:
            thread.join(timeout=20)

    assert isinstance(results["submit"], TransitionRefused)
    # Whoever took the challenge first, the submission is refused with a reason.
    assert str(results["submit"]) in {
        "This step is not possible while the proposal is Lapsed (not submitted).",
        f"The submission deadline passed at {format_local(challenge.submission_deadline)}; "
        "proposals can no longer be submitted.",
    }
    assert not isinstance(results["close"], Exception), results["close"]
    draft.refresh_from_db()
    assert draft.status == Proposal.Status.LAPSED
    assert not ProposalReceipt.objects.exists()


def test_submits_of_two_vendors_to_one_challenge_do_not_wait_for_each_other(
    draft, dave, erin, globex, questions, monkeypatch
):
    """Each submission shares the challenge row: one held open (slow) does not hold the other."""
    other = fill_in(
        services.proposal_start(challenge=draft.challenge, vendor=globex, actor=erin),
        erin,
        questions,
    )
    inside, release = threading.Event(), threading.Event()
    real_receipt_issue = proposal_services.receipt_issue

    def slow_for_acme(**kwargs):
        receipt = real_receipt_issue(**kwargs)
        if kwargs["proposal"].pk == draft.pk:
            inside.set()
            release.wait(timeout=10)
        return receipt

    monkeypatch.setattr(proposal_services, "receipt_issue", slow_for_acme)
    results = {}
    holding = in_thread(lambda: services.proposal_submit(proposal=draft, actor=dave), results, 1)
    assert inside.wait(timeout=10)
    passing = in_thread(lambda: services.proposal_submit(proposal=other, actor=erin), results, 2)
    passing.join(timeout=10)
    finished_while_held = not passing.is_alive()
    release.set()
    holding.join(timeout=20)
    passing.join(timeout=20)

    assert finished_while_held, "the second vendor's submission waited for the first"
    assert [type(results[n]).__name__ for n in (1, 2)] == ["Proposal", "Proposal"], results
    assert set(Proposal.objects.values_list("status", flat=True)) == {Proposal.Status.SUBMITTED}
    assert AuditEntry.objects.filter(transition="submit").count() == 2


def test_a_submit_in_time_holding_the_challenge_makes_the_close_after_the_grace_wait(
    draft, dave, monkeypatch, settings
):
    """With production's grace: a submission that arrived before the deadline and is still
    running when the grace ends is received, the close waiting for it."""
    settings.SUBMISSION_CLOSE_GRACE_SECONDS = 120
    challenge = draft.challenge
    deadline = challenge.submission_deadline
    inside, release = threading.Event(), threading.Event()
    real_receipt_issue = proposal_services.receipt_issue

    def slow_receipt_issue(**kwargs):
        receipt = real_receipt_issue(**kwargs)
        inside.set()
        release.wait(timeout=10)
        return receipt

    monkeypatch.setattr(proposal_services, "receipt_issue", slow_receipt_issue)
    results = {}
    arrived = deadline - timedelta(milliseconds=5)
    with time_machine.travel(deadline + timedelta(seconds=119), tick=False) as clock:
        submitting = in_thread(
            lambda: services.proposal_submit(proposal=draft, actor=dave, arrived_at=arrived),
            results,
            "submit",
        )
        assert inside.wait(timeout=10)
        clock.move_to(challenge.closes_at)
        closing = in_thread(lambda: close(challenge), results, "close")
        closing.join(timeout=1)
        assert closing.is_alive(), "the close must wait for the submission sharing the challenge"
        release.set()
        submitting.join(timeout=20)
        closing.join(timeout=20)

    assert not isinstance(results["submit"], Exception), results["submit"]
    assert not isinstance(results["close"], Exception), results["close"]
    draft.refresh_from_db()
    assert (draft.status, draft.submitted_at) == (Proposal.Status.RECEIVED, arrived)
