"""Every proposal transition, allowed and refused (DESIGN.md §3 Proposal)."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.db import IntegrityError, transaction

from core.errors import InvalidInput, PermissionDenied, TransitionRefused
from core.models import AuditEntry
from core.workflow import allowed_transitions, transition_run
from tests.factories import ChallengeFactory, ProposalFactory, set_status
from tests.vendors.conftest import close, fill_in
from vendors import services
from vendors.models import Proposal, ProposalReceipt

pytestmark = pytest.mark.django_db


def entries_for(proposal):
    return list(
        # The proposal's steps (a draft's plain writes: tests/vendors/test_audit_of_drafts).
        AuditEntry.objects.filter(object_id=str(proposal.pk), content_type__model="proposal")
        .exclude(target="")
        .order_by("sequence")
        .values_list("transition", "source", "target", "actor_label")
    )


# Starting ------------------------------------------------------------------------------------


def test_a_member_starts_a_draft(published_challenge, acme, dave):
    proposal = services.proposal_start(challenge=published_challenge, vendor=acme, actor=dave)

    proposal.refresh_from_db()
    assert (proposal.status, proposal.vendor, proposal.created_by) == ("draft", acme, dave)
    assert proposal.public_id


def test_only_members_start_a_proposal_for_their_vendor(published_challenge, acme, erin):
    with pytest.raises(PermissionDenied):
        services.proposal_start(challenge=published_challenge, vendor=acme, actor=erin)
    assert not Proposal.objects.exists()


def test_it_refuses_to_start_on_a_challenge_not_open(challenge, acme, dave):
    with pytest.raises(InvalidInput, match="not open for proposals"):
        services.proposal_start(challenge=challenge, vendor=acme, actor=dave)
    assert not Proposal.objects.exists()


def test_it_refuses_to_start_after_the_deadline(published_challenge, acme, dave):
    with (
        time_machine.travel(published_challenge.submission_deadline, tick=False),
        pytest.raises(InvalidInput, match="submission deadline passed"),
    ):
        services.proposal_start(challenge=published_challenge, vendor=acme, actor=dave)
    assert not Proposal.objects.exists()


def test_it_refuses_a_second_proposal_with_a_clear_sentence(published_challenge, acme, dave):
    services.proposal_start(challenge=published_challenge, vendor=acme, actor=dave)

    with pytest.raises(InvalidInput) as refused:
        services.proposal_start(challenge=published_challenge, vendor=acme, actor=dave)

    assert refused.value.messages == [
        "Acme Heat Solutions Ltd. already has a proposal for this challenge; continue that one."
    ]
    assert Proposal.objects.count() == 1


def test_the_database_allows_one_proposal_per_vendor_per_challenge(draft):
    with pytest.raises(IntegrityError), transaction.atomic():
        ProposalFactory(challenge=draft.challenge, vendor=draft.vendor)


def test_two_vendors_each_have_their_own_proposal(published_challenge, acme, globex, dave, erin):
    services.proposal_start(challenge=published_challenge, vendor=acme, actor=dave)
    services.proposal_start(challenge=published_challenge, vendor=globex, actor=erin)
    assert Proposal.objects.filter(challenge=published_challenge).count() == 2


# Submitting ----------------------------------------------------------------------------------


def test_submitting_stores_a_receipt_audits_and_emails_it(
    draft, dave, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.proposal_submit(proposal=draft, actor=dave)

    draft.refresh_from_db()
    assert draft.status == Proposal.Status.SUBMITTED
    assert draft.submitted_by == dave and draft.submitted_at is not None
    assert len(draft.receipt_digest) == 64
    receipt = ProposalReceipt.objects.get(proposal=draft)
    assert (receipt.digest, receipt.submitted_at) == (draft.receipt_digest, draft.submitted_at)
    assert [d.title for d in receipt.documents.all()] == ["Work plan"]
    assert services.receipt_matches(draft)
    assert entries_for(draft) == [("submit", "draft", "submitted", "dave")]
    entry = AuditEntry.objects.get(transition="submit")
    assert entry.metadata["receipt_digest"] == draft.receipt_digest
    assert [m.to for m in mail.outbox] == [["dave@example.org"]]
    assert draft.receipt_digest in mail.outbox[0].body


def test_it_refuses_to_submit_without_the_required_answer_and_price(
    published_challenge, acme, dave, questions
):
    proposal = services.proposal_start(challenge=published_challenge, vendor=acme, actor=dave)

    with pytest.raises(TransitionRefused) as refused:
        services.proposal_submit(proposal=proposal, actor=dave)

    assert refused.value.messages == [
        "Answer the required question “Describe your approach”.",
        "Enter your price in the price envelope.",
    ]
    proposal.refresh_from_db()
    assert proposal.status == "draft" and proposal.receipt_digest == ""
    assert not ProposalReceipt.objects.exists()
    assert entries_for(proposal) == []


def test_it_refuses_to_submit_an_answer_over_its_word_limit(draft, dave, questions):
    services.proposal_save_answers(
        proposal=draft, actor=dave, answers={questions[0].pk: "word " * 21}
    )

    with pytest.raises(TransitionRefused, match="has 21 words; the limit is 20"):
        services.proposal_submit(proposal=draft, actor=dave)
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_another_vendor_cannot_submit(draft, erin):
    with pytest.raises(PermissionDenied):
        services.proposal_submit(proposal=draft, actor=erin)
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_staff_cannot_submit_for_a_vendor(draft, alice, root):
    for user in (alice, root):
        with pytest.raises(PermissionDenied):
            services.proposal_submit(proposal=draft, actor=user)
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_a_submitted_proposal_cannot_be_submitted_again(submitted, dave):
    with pytest.raises(TransitionRefused) as refused:
        services.proposal_submit(proposal=submitted, actor=dave)
    assert refused.value.allowed == ["withdraw"]
    assert ProposalReceipt.objects.count() == 1


def test_a_submitted_proposal_cannot_be_edited(submitted, dave, questions):
    with pytest.raises(TransitionRefused, match="only a draft can be changed"):
        services.proposal_save_answers(
            proposal=submitted, actor=dave, answers={questions[0].pk: "Changed"}
        )
    assert submitted.answers.get(question=questions[0]).text == "Heat pumps for all."


# Withdrawing and revising --------------------------------------------------------------------


def test_a_member_withdraws_a_submitted_proposal(submitted, dave):
    services.proposal_withdraw(proposal=submitted, actor=dave, reason="Team changed")

    submitted.refresh_from_db()
    assert submitted.status == Proposal.Status.WITHDRAWN
    assert entries_for(submitted)[-1] == ("withdraw", "submitted", "withdrawn", "dave")


def test_a_draft_cannot_be_withdrawn(draft, dave):
    with pytest.raises(TransitionRefused, match="not possible while the proposal is Draft"):
        services.proposal_withdraw(proposal=draft, actor=dave)
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_another_vendor_cannot_withdraw(submitted, erin):
    with pytest.raises(PermissionDenied):
        services.proposal_withdraw(proposal=submitted, actor=erin)
    submitted.refresh_from_db()
    assert submitted.status == "submitted"


def test_it_refuses_to_withdraw_after_the_deadline(submitted, dave):
    with (
        time_machine.travel(submitted.challenge.submission_deadline, tick=False),
        pytest.raises(TransitionRefused, match="submission deadline passed"),
    ):
        services.proposal_withdraw(proposal=submitted, actor=dave)
    submitted.refresh_from_db()
    assert submitted.status == "submitted"


def test_revising_a_withdrawn_proposal_makes_it_a_draft_again(submitted, dave, questions):
    services.proposal_withdraw(proposal=submitted, actor=dave)
    services.proposal_revise(proposal=submitted, actor=dave)

    submitted.refresh_from_db()
    assert submitted.status == "draft"
    assert submitted.receipt_digest == "" and submitted.submitted_at is None
    services.proposal_save_answers(
        proposal=submitted, actor=dave, answers={questions[0].pk: "Revised"}
    )
    resubmitted = services.proposal_submit(proposal=submitted, actor=dave)
    assert resubmitted.status == "submitted"
    assert ProposalReceipt.objects.filter(proposal=submitted).count() == 2


def test_a_submitted_proposal_cannot_be_revised(submitted, dave):
    with pytest.raises(TransitionRefused):
        services.proposal_revise(proposal=submitted, actor=dave)
    submitted.refresh_from_db()
    assert submitted.status == "submitted"


def test_it_refuses_to_revise_after_the_deadline(submitted, dave):
    services.proposal_withdraw(proposal=submitted, actor=dave)
    with (
        time_machine.travel(submitted.challenge.submission_deadline, tick=False),
        pytest.raises(TransitionRefused, match="submission deadline passed"),
    ):
        services.proposal_revise(proposal=submitted, actor=dave)
    submitted.refresh_from_db()
    assert submitted.status == "withdrawn"


# Re-confirmation -----------------------------------------------------------------------------


def test_only_the_system_asks_for_reconfirmation(submitted, alice, dave):
    for user in (alice, dave):
        with pytest.raises(PermissionDenied, match="automatically"):
            transition_run(instance=submitted, name="require_reconfirmation", actor=user)
    transition_run(instance=submitted, name="require_reconfirmation", actor=None)
    submitted.refresh_from_db()
    assert submitted.status == Proposal.Status.NEEDS_RECONFIRMATION
    assert entries_for(submitted)[-1] == (
        "require_reconfirmation",
        "submitted",
        "needs_reconfirmation",
        "system",
    )


def test_a_draft_is_never_asked_for_reconfirmation(draft):
    with pytest.raises(TransitionRefused):
        transition_run(instance=draft, name="require_reconfirmation", actor=None)


def test_reconfirming_resubmits_with_a_new_receipt(submitted, dave):
    first_digest = submitted.receipt_digest
    transition_run(instance=submitted, name="require_reconfirmation", actor=None)

    with time_machine.travel(submitted.submitted_at + timedelta(minutes=5), tick=False):
        services.proposal_reconfirm(proposal=submitted, actor=dave)

    submitted.refresh_from_db()
    assert submitted.status == "submitted"
    assert submitted.receipt_digest != first_digest
    assert services.receipt_matches(submitted)
    assert list(submitted.receipts.values_list("digest", flat=True)) == [
        submitted.receipt_digest,
        first_digest,
    ]


def test_a_proposal_not_awaiting_reconfirmation_cannot_be_reconfirmed(submitted, dave):
    with pytest.raises(TransitionRefused):
        services.proposal_reconfirm(proposal=submitted, actor=dave)
    assert submitted.receipts.count() == 1


def test_another_vendor_cannot_reconfirm(submitted, erin):
    transition_run(instance=submitted, name="require_reconfirmation", actor=None)
    with pytest.raises(PermissionDenied):
        services.proposal_reconfirm(proposal=submitted, actor=erin)
    submitted.refresh_from_db()
    assert submitted.status == "needs_reconfirmation"


def test_a_proposal_awaiting_reconfirmation_can_be_withdrawn(submitted, dave):
    transition_run(instance=submitted, name="require_reconfirmation", actor=None)
    services.proposal_withdraw(proposal=submitted, actor=dave)
    submitted.refresh_from_db()
    assert submitted.status == "withdrawn"


# Closing: receive and lapse ------------------------------------------------------------------


def test_receiving_and_lapsing_happen_only_at_closing(submitted, draft, alice):
    with pytest.raises(PermissionDenied):
        transition_run(instance=submitted, name="receive", actor=alice)
    with pytest.raises(TransitionRefused, match="only when the challenge closes"):
        transition_run(instance=submitted, name="receive", actor=None)
    other = ProposalFactory(challenge=submitted.challenge)
    with pytest.raises(TransitionRefused, match="only when the challenge closes"):
        transition_run(instance=other, name="lapse", actor=None)
    submitted.refresh_from_db()
    other.refresh_from_db()
    assert (submitted.status, other.status) == ("submitted", "draft")


# Evaluation steps ----------------------------------------------------------------------------


@pytest.fixture
def received(submitted):
    with time_machine.travel(submitted.challenge.submission_deadline, tick=False):
        close(submitted.challenge)
    submitted.refresh_from_db()
    assert submitted.status == "received"
    return submitted


@pytest.mark.parametrize(
    "steps, final",
    [
        (["disqualify"], "disqualified"),
        (["qualify"], "qualified"),
        (["qualify", "not_select"], "not_selected"),
        (["qualify", "shortlist"], "shortlisted"),
        (["qualify", "shortlist", "award"], "awarded"),
        (["qualify", "shortlist", "mark_unsuccessful"], "unsuccessful"),
    ],
)
def test_the_challenge_owner_runs_each_evaluation_step(received, alice, steps, final):
    for step in steps:
        services.proposal_evaluate(proposal=received, actor=alice, name=step, reason="Reason")

    received.refresh_from_db()
    assert received.status == final
    assert [e[0] for e in entries_for(received)][-len(steps) :] == steps


def test_disqualifying_needs_a_reason(received, alice):
    with pytest.raises(InvalidInput, match="Give a reason"):
        services.proposal_evaluate(proposal=received, actor=alice, name="disqualify")
    received.refresh_from_db()
    assert received.status == "received"


@pytest.mark.parametrize("who", ["bob", "carol", "root", "dave", "frank"])
def test_only_the_challenge_owner_runs_evaluation_steps(received, who, request):
    user = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        services.proposal_evaluate(proposal=received, actor=user, name="qualify")
    received.refresh_from_db()
    assert received.status == "received"


@pytest.mark.parametrize("step", ["shortlist", "not_select", "award", "mark_unsuccessful"])
def test_evaluation_steps_keep_their_order(received, alice, step):
    with pytest.raises(TransitionRefused):
        services.proposal_evaluate(proposal=received, actor=alice, name=step)
    received.refresh_from_db()
    assert received.status == "received"


def test_evaluation_steps_are_refused_before_closing(submitted, alice):
    with pytest.raises(TransitionRefused):
        services.proposal_evaluate(proposal=submitted, actor=alice, name="qualify")


def test_proposal_evaluate_runs_only_evaluation_steps(received, alice):
    with pytest.raises(InvalidInput):
        services.proposal_evaluate(proposal=received, actor=alice, name="withdraw")


def test_allowed_transitions_name_what_each_person_may_do(received, alice, dave, bob):
    assert allowed_transitions(received, alice) == ["disqualify", "qualify"]
    assert allowed_transitions(received, dave) == []
    assert allowed_transitions(received, bob) == []


def test_a_cancelled_challenge_refuses_new_proposals(published_challenge, acme, dave):
    set_status(published_challenge, "cancelled")
    with pytest.raises(InvalidInput):
        services.proposal_start(challenge=published_challenge, vendor=acme, actor=dave)


def test_fill_in_needs_questions_of_the_same_challenge(acme, dave, questions):
    other = set_status(ChallengeFactory(), "published")
    proposal = services.proposal_start(challenge=other, vendor=acme, actor=dave)
    with pytest.raises(InvalidInput) as refused:
        fill_in(proposal, dave, questions)
    assert f"answer_{questions[0].pk}" in refused.value.field_errors
