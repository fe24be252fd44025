"""Who may do what with an award, a debrief request and a pilot (DESIGN.md §1, §3).

Predicates take an award, a pilot or the challenge's evaluation (recommending: no award exists yet).
The award's pages and API, and the pilot's, ask these same rules who may see them.
"""

import rules

from challenges.models import Challenge
from challenges.rules import is_internal, is_public_challenge, was_published
from core.predicates import is_approver, is_evaluator, is_staff_member
from evaluation.models import Evaluation
from evaluation.rules import is_chair
from vendors.models import VendorMembership


def _challenge(obj):
    if obj is None:
        return None
    if hasattr(obj, "reference"):
        return obj
    return getattr(obj, "challenge", None)


def _evaluation(obj):
    if isinstance(obj, Evaluation):
        return obj
    return getattr(obj, "evaluation", None)


@rules.predicate
def is_challenge_owner(user, obj):
    challenge = _challenge(obj)
    return challenge is not None and challenge.owner_id == getattr(user, "pk", None)


@rules.predicate
def chairs_the_panel(user, obj):
    return is_chair(user, _evaluation(obj))


@rules.predicate
def is_recommender(user, award):
    return award is not None and award.recommended_by_id == getattr(user, "pk", None)


@rules.predicate
def acts_for_a_received_proposal(user, award):
    """A member of a vendor whose proposal on the award's challenge was received at closing."""
    if award is None or not getattr(user, "is_authenticated", False):
        return False
    from vendors.models import Proposal

    vendor_ids = VendorMembership.objects.filter(user_id=user.pk).values("vendor_id")
    # Received, whatever happened since: a cancelled challenge cancels its proposals, and their
    # vendors still read that the award they were told of is withdrawn.
    return Proposal.objects.filter(
        Proposal.received_q(),
        challenge_id=award.challenge_id,
        vendor_id__in=vendor_ids,
    ).exists()


@rules.predicate
def is_announced(user, award):
    """The result letters went out: the vendors know the outcome (withdrawn since, or not)."""
    return award is not None and award.was_announced


@rules.predicate
def is_signed_contract(user, contract):
    """A contract is public once signed (its confidential terms never are)."""
    return contract is not None and getattr(contract, "status", None) == "signed"


def _status_is(*states):
    @rules.predicate
    def predicate(user, obj):
        challenge = _challenge(obj)
        return challenge is not None and challenge.status in states

    return predicate


is_evaluating = _status_is(Challenge.Status.EVALUATING)
is_awarded = _status_is(Challenge.Status.AWARDED)
# From the evaluation on, the award page tells where the decision stands (also once it is made).
is_at_award_stage = _status_is(
    Challenge.Status.EVALUATING, Challenge.Status.AWARDED, Challenge.Status.NOT_AWARDED
)

owns_it = is_staff_member & is_challenge_owner
# Municipal staff, approvers and the panel's chair follow an award from its recommendation, as
# they follow the evaluation; the reason for the recommendation stays with them.
follows_the_decision = is_staff_member | is_approver | (is_evaluator & chairs_the_panel)

rules.add_perm("procurement.follow_award", follows_the_decision)
rules.add_perm(
    "procurement.view_award",
    follows_the_decision | (is_announced & acts_for_a_received_proposal),
)
# A pilot exists once the award is final: its record is public, like the challenge it belongs to.
rules.add_perm("procurement.view_pilot", is_public_challenge | is_internal)

rules.add_perm("procurement.recommend_award", owns_it | (is_evaluator & chairs_the_panel))
# Four eyes: the person who recommended an award never approves (or rejects) it.
rules.add_perm("procurement.approve_award", is_approver & ~is_recommender)
rules.add_perm("procurement.manage_award", owns_it)
rules.add_perm("procurement.request_debrief", acts_for_a_received_proposal)
rules.add_perm("procurement.manage_debrief", owns_it)
rules.add_perm("procurement.manage_pilot", owns_it)
rules.add_perm("procurement.end_challenge_without_award", owns_it)
# The contract that follows a final award: drafted and signed by the owner, followed by municipal
# staff and approvers throughout, public once signed.
rules.add_perm("procurement.manage_contract", owns_it)
rules.add_perm("procurement.view_contract", is_internal | is_signed_contract)
rules.add_perm("procurement.view_confidential_contract_terms", is_internal)
# Withdrawing an award follows the challenge's cancellation or end; nobody runs it by hand.
rules.add_perm("procurement.run_award_system_step", rules.always_deny)
# The ways in from the challenge page (procurement.challenge_page): municipal staff follow the
# award from the evaluation on and the pilot once awarded; the panel's chair and approvers join
# the decision while it is made; everyone reads the outcomes and open data once it was published.
rules.add_perm("procurement.follow_award_stage", is_staff_member & is_at_award_stage)
rules.add_perm(
    "procurement.join_award_decision", ~is_staff_member & is_evaluating & follows_the_decision
)
rules.add_perm("procurement.follow_pilot_stage", is_staff_member & is_awarded)
rules.add_perm("procurement.follow_contract_stage", is_staff_member & is_awarded)
rules.add_perm("procurement.view_outcomes", was_published)
# The staff dashboard: the whole pipeline, for municipal staff and approvers (not admins by role).
rules.add_perm("procurement.view_dashboard", is_staff_member | is_approver)
