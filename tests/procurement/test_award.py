"""The award (DESIGN.md §3): recommend from the ranking, four-eyes approval, result letters,
standstill, final; a debrief request; a challenge that ends without an award."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied

from core.errors import InvalidInput, TransitionRefused
from core.models import AuditEntry
from procurement.chronograph import chronograph_run_due
from procurement.models import Award, DebriefRequest, Notification
from procurement.services import award as services
from tests.procurement.award_fixtures import *  # noqa: F403  (fixtures)


def audit_transitions(award):
    return list(
        AuditEntry.objects.filter(object_id=str(award.pk), content_type__model="award")
        .order_by("sequence")
        .values_list("transition", flat=True)
    )


@pytest.fixture
def recommended(decided, frank):
    return services.award_recommend(evaluation=decided.evaluation, actor=frank)


@pytest.fixture
def approved(recommended, carol):
    return services.award_approve(award=recommended, actor=carol)


@pytest.fixture
def standstill(approved, alice):
    return services.award_notify(award=approved, actor=alice)


# Recommending ------------------------------------------------------------------------------------


def test_the_chair_recommends_the_top_ranked_proposal_by_default(decided, frank, carol):
    award = services.award_recommend(evaluation=decided.evaluation, actor=frank)

    award.refresh_from_db()
    assert award.status == Award.Status.RECOMMENDED
    assert award.proposal_id == decided.acme.pk
    assert award.recommended_by == frank
    assert audit_transitions(award) == ["recommend"]
    request = Notification.objects.get(recipient=carol, kind="award_approval_requested")
    # The approver lands on the award, where the Approve and Reject steps are.
    assert request.link == f"/challenges/{award.challenge.reference}/award/"


def test_it_refuses_a_recommendation_from_an_evaluator_who_is_not_the_chair(decided, grace):
    with pytest.raises(PermissionDenied):
        services.award_recommend(evaluation=decided.evaluation, actor=grace)

    assert not Award.objects.exists()


def test_it_refuses_a_recommendation_before_the_evaluation_is_decided(ranked, frank):
    with pytest.raises(TransitionRefused):
        services.award_recommend(evaluation=ranked.evaluation, actor=frank)

    assert not Award.objects.exists()


def test_recommending_a_lower_ranked_proposal_needs_a_reason(decided, alice):
    with pytest.raises(InvalidInput) as refused:
        services.award_recommend(
            evaluation=decided.evaluation, actor=alice, proposal=decided.globex
        )
    assert "reason" in refused.value.field_errors

    award = services.award_recommend(
        evaluation=decided.evaluation,
        actor=alice,
        proposal=decided.globex,
        reason="Acme cannot start before winter.",
    )
    award.refresh_from_db()
    assert award.proposal_id == decided.globex.pk
    assert award.recommendation == "Acme cannot start before winter."


def test_it_refuses_a_second_recommendation_while_one_is_in_progress(recommended, alice):
    with pytest.raises(TransitionRefused):
        services.award_recommend(evaluation=recommended.evaluation, actor=alice)

    assert Award.objects.count() == 1


# Approving: four eyes ----------------------------------------------------------------------------


def test_an_approver_other_than_the_recommender_approves(recommended, carol):
    services.award_approve(award=recommended, actor=carol)

    recommended.refresh_from_db()
    assert recommended.status == Award.Status.APPROVED
    assert recommended.approved_by == carol
    assert recommended.approved_at is not None
    assert audit_transitions(recommended) == ["recommend", "approve"]


def test_it_refuses_approval_by_the_recommender_even_an_approver(decided, alice):
    alice.groups.add(Group.objects.get(name="approver"))
    award = services.award_recommend(evaluation=decided.evaluation, actor=alice)

    with pytest.raises(PermissionDenied) as refused:
        services.award_approve(award=award, actor=alice)

    assert "did not recommend" in str(refused.value)
    award.refresh_from_db()
    assert award.status == Award.Status.RECOMMENDED
    assert award.approved_by is None


def test_it_refuses_approval_by_someone_who_is_not_an_approver(recommended, bob):
    with pytest.raises(PermissionDenied):
        services.award_approve(award=recommended, actor=bob)

    recommended.refresh_from_db()
    assert recommended.status == Award.Status.RECOMMENDED


def test_an_approver_rejects_with_a_reason_and_a_new_recommendation_may_follow(
    recommended, carol, alice
):
    with pytest.raises(InvalidInput):
        services.award_reject(award=recommended, actor=carol, reason=" ")
    recommended.refresh_from_db()
    assert recommended.status == Award.Status.RECOMMENDED

    services.award_reject(award=recommended, actor=carol, reason="Check the references first.")

    recommended.refresh_from_db()
    assert recommended.status == Award.Status.REJECTED
    assert recommended.rejection_reason == "Check the references first."
    again = services.award_recommend(evaluation=recommended.evaluation, actor=alice)
    assert again.pk != recommended.pk


def test_it_refuses_to_reject_an_approved_award(approved, carol):
    with pytest.raises(TransitionRefused):
        services.award_reject(award=approved, actor=carol, reason="Too late.")

    approved.refresh_from_db()
    assert approved.status == Award.Status.APPROVED


# Notifying: result letters, standstill -----------------------------------------------------------


def test_notifying_sends_each_vendor_its_result_and_starts_the_standstill(
    approved, alice, dave, erin
):
    award = services.award_notify(award=approved, actor=alice)

    award.refresh_from_db()
    assert award.status == Award.Status.STANDSTILL
    assert award.standstill_ends_at == award.notified_at + timedelta(days=10)
    assert audit_transitions(award)[-2:] == ["notify", "start_standstill"]
    winner_letter = Notification.objects.get(recipient=dave, kind="results")
    assert "selected" in winner_letter.title
    # Each vendor's notification opens its printable result letter.
    assert winner_letter.link == f"/challenges/{award.challenge.reference}/award/result/"
    loser_letter = Notification.objects.get(recipient=erin, kind="results")
    entries = {e.proposal_id: e for e in award.evaluation.ranking_entries.all()}
    ours, theirs = (
        entries[award.evaluation.challenge.proposals.get(vendor__memberships__user=erin).pk],
        entries[award.proposal_id],
    )
    assert f"ranked {ours.rank} of 2" in loser_letter.body
    assert f"total {ours.total.normalize():f}" in loser_letter.body
    assert f"total {theirs.total.normalize():f}" in loser_letter.body
    assert "debrief" in loser_letter.body
    assert str(award.standstill_ends_at.year) in loser_letter.body


def test_the_standstill_period_follows_the_setting(approved, alice, settings):
    settings.AWARD_STANDSTILL_DAYS = 3

    award = services.award_notify(award=approved, actor=alice)

    award.refresh_from_db()
    assert award.standstill_ends_at - award.notified_at == timedelta(days=3)


def test_it_refuses_to_notify_before_approval(recommended, alice):
    with pytest.raises(TransitionRefused):
        services.award_notify(award=recommended, actor=alice)

    recommended.refresh_from_db()
    assert recommended.status == Award.Status.RECOMMENDED
    assert not Notification.objects.filter(kind="results").exists()


def test_it_refuses_to_notify_for_staff_who_do_not_own_the_challenge(approved, bob):
    with pytest.raises(PermissionDenied):
        services.award_notify(award=approved, actor=bob)

    approved.refresh_from_db()
    assert approved.status == Award.Status.APPROVED


# Final -------------------------------------------------------------------------------------------


def test_it_refuses_to_finalise_before_the_standstill_ends(standstill, alice):
    standstill.refresh_from_db()
    end = standstill.standstill_ends_at
    with (
        time_machine.travel(end - timedelta(microseconds=1), tick=False),
        pytest.raises(TransitionRefused) as refused,
    ):
        services.award_finalise(award=standstill, actor=alice)

    assert "standstill period runs until" in str(refused.value)
    standstill.refresh_from_db()
    assert standstill.status == Award.Status.STANDSTILL
    assert standstill.challenge.status == "evaluating"


def test_at_the_end_of_standstill_the_award_is_final_and_the_proposals_follow(standstill, alice):
    standstill.refresh_from_db()
    with time_machine.travel(standstill.standstill_ends_at, tick=False):
        services.award_finalise(award=standstill, actor=alice)

    standstill.refresh_from_db()
    assert standstill.status == Award.Status.FINAL
    assert standstill.finalised_at == standstill.standstill_ends_at
    statuses = dict(standstill.challenge.proposals.values_list("pk", "status"))
    assert statuses.pop(standstill.proposal_id) == "awarded"
    assert set(statuses.values()) == {"unsuccessful"}
    assert standstill.challenge.status == "awarded"


def test_it_refuses_to_finalise_for_someone_other_than_the_owner(standstill, carol):
    standstill.refresh_from_db()
    with (
        time_machine.travel(standstill.standstill_ends_at, tick=False),
        pytest.raises(PermissionDenied),
    ):
        services.award_finalise(award=standstill, actor=carol)

    standstill.refresh_from_db()
    assert standstill.status == Award.Status.STANDSTILL


def test_the_chronograph_makes_the_award_final_when_the_standstill_ends(standstill):
    standstill.refresh_from_db()
    end = standstill.standstill_ends_at
    assert standstill.next_due_at == end

    chronograph_run_due(now=end - timedelta(seconds=1))
    standstill.refresh_from_db()
    assert standstill.status == Award.Status.STANDSTILL

    with time_machine.travel(end, tick=False):
        chronograph_run_due(now=end)

    standstill.refresh_from_db()
    assert standstill.status == Award.Status.FINAL
    assert standstill.next_due_at is None
    assert standstill.challenge.status == "awarded"
    assert AuditEntry.objects.filter(transition="finalise", actor__isnull=True).exists()


# Debrief requests --------------------------------------------------------------------------------


def test_a_vendor_requests_a_debrief_during_the_standstill(standstill, erin, alice):
    request = services.debrief_request(award=standstill, actor=erin, message="Why not us?")

    request.refresh_from_db()
    assert request.requested_by == erin
    assert request.proposal.vendor.memberships.filter(user=erin).exists()
    told = Notification.objects.get(recipient=alice, kind="debrief_requested")
    assert "Debrief" in told.title
    assert told.link == f"/challenges/{standstill.challenge.reference}/award/"
    with pytest.raises(InvalidInput):
        services.debrief_request(award=standstill, actor=erin)
    assert DebriefRequest.objects.count() == 1


def test_it_refuses_a_debrief_request_from_someone_without_a_proposal(standstill, rita):
    with pytest.raises(PermissionDenied):
        services.debrief_request(award=standstill, actor=rita)

    assert not DebriefRequest.objects.exists()


def test_it_refuses_a_debrief_request_after_the_standstill(standstill, erin):
    standstill.refresh_from_db()
    with (
        time_machine.travel(standstill.standstill_ends_at, tick=False),
        pytest.raises(TransitionRefused),
    ):
        services.debrief_request(award=standstill, actor=erin)

    assert not DebriefRequest.objects.exists()


def test_it_refuses_a_debrief_request_before_vendors_are_told(approved, erin):
    with pytest.raises(TransitionRefused):
        services.debrief_request(award=approved, actor=erin)

    assert not DebriefRequest.objects.exists()


# Ending without an award -------------------------------------------------------------------------


def test_a_challenge_ends_without_an_award_and_vendors_are_told(decided, alice, dave, erin):
    challenge = decided.challenge

    services.challenge_end_without_award(
        challenge=challenge, actor=alice, reason="Both prices exceed the budget."
    )

    challenge.refresh_from_db()
    assert challenge.status == "not_awarded"
    assert set(challenge.proposals.values_list("status", flat=True)) == {"unsuccessful"}
    for person in (dave, erin):
        letter = Notification.objects.get(recipient=person, kind="results")
        assert "Both prices exceed the budget." in letter.body


def test_ending_without_an_award_needs_a_reason(decided, alice):
    with pytest.raises(InvalidInput):
        services.challenge_end_without_award(challenge=decided.challenge, actor=alice, reason="")

    decided.challenge.refresh_from_db()
    assert decided.challenge.status == "evaluating"


def test_ending_without_an_award_withdraws_a_pending_recommendation(recommended, alice):
    services.challenge_end_without_award(
        challenge=recommended.challenge, actor=alice, reason="The need changed."
    )

    recommended.refresh_from_db()
    assert recommended.status == Award.Status.WITHDRAWN
    assert recommended.withdrawal_reason == "The need changed."
    assert audit_transitions(recommended)[-1] == "withdraw"


def test_ending_without_an_award_is_refused_once_the_award_is_final(standstill, alice):
    standstill.refresh_from_db()
    with time_machine.travel(standstill.standstill_ends_at, tick=False):
        services.award_finalise(award=standstill, actor=alice)

    with pytest.raises(TransitionRefused):
        services.challenge_end_without_award(
            challenge=standstill.challenge, actor=alice, reason="Changed our mind."
        )

    standstill.refresh_from_db()
    standstill.challenge.refresh_from_db()
    assert standstill.status == Award.Status.FINAL
    assert standstill.challenge.status == "awarded"
