"""Who may do what with vendors and proposals (DESIGN.md §1, §3 "Two envelopes").

Who may *see* a proposal, a price or a count is the sealing rule, in `vendors.sealing` (registered
when this module is imported, below). Admins are bound too: `core.permissions.can` asks the rules
registry, which does not wave superusers through.
"""

import rules
from django.utils.translation import gettext_lazy as _

from challenges.rules import is_open_for_proposals
from core.predicates import is_approver, is_authenticated, is_staff_member, is_vendor

from .models import (
    PriceEnvelope,
    Proposal,
    ProposalDocument,
    ProposalReceipt,
    VendorInvitation,
    VendorMembership,
    VendorOrganization,
)
from .models.proposal import MEMBERS_ONLY


def _vendor_id(obj):
    if obj is None:
        return None
    if isinstance(obj, VendorOrganization):
        return obj.pk
    if isinstance(obj, Proposal | VendorMembership | VendorInvitation):
        return obj.vendor_id
    if isinstance(obj, ProposalDocument | PriceEnvelope | ProposalReceipt):
        return obj.proposal.vendor_id
    return None


def _proposal(obj):
    if isinstance(obj, Proposal):
        return obj
    if isinstance(obj, ProposalDocument | PriceEnvelope | ProposalReceipt):
        return obj.proposal
    return None


def _membership_role(user, vendor_id):
    if vendor_id is None or not getattr(user, "is_authenticated", False):
        return None
    remembered = getattr(user, "_vendor_roles", None)
    if remembered is not None and vendor_id in remembered:
        return remembered[vendor_id]
    role = (
        VendorMembership.objects.filter(vendor_id=vendor_id, user_id=user.pk)
        .values_list("role", flat=True)
        .first()
    )
    if remembered is not None:
        remembered[vendor_id] = role
    return role


def remember_vendor_roles(user):
    """Read the person's role in each vendor once. A proposal's page asks it many times (every
    step's permission, every sealed read) while nothing changes it; only the person of one
    request may remember (`request.user`), never an object a service or a test keeps."""
    if getattr(user, "is_authenticated", False):
        user._vendor_roles = {}
    return user


@rules.predicate
def is_vendor_member(user, obj):
    return _membership_role(user, _vendor_id(obj)) is not None


@rules.predicate
def is_vendor_owner(user, obj):
    return _membership_role(user, _vendor_id(obj)) == VendorMembership.Role.OWNER


@rules.predicate
def is_own_membership(user, obj):
    return isinstance(obj, VendorMembership) and obj.user_id == getattr(user, "pk", None)


@rules.predicate
def is_received_proposal(user, obj):
    proposal = _proposal(obj)
    # A received proposal whose challenge was cancelled since is still one the city received.
    return proposal is not None and proposal.was_received


@rules.predicate
def is_current_document(user, obj):
    return not isinstance(obj, ProposalDocument) or obj.is_current


@rules.predicate
def is_proposal_draft(user, obj):
    proposal = _proposal(obj)
    return proposal is not None and proposal.status == Proposal.Status.DRAFT


@rules.predicate
def is_challenge_owner(user, obj):
    proposal = _proposal(obj)
    return proposal is not None and proposal.challenge.owner_id == getattr(user, "pk", None)


# Conflict of interest: the municipality runs the challenges vendors answer, so its staff and
# approvers never act for a vendor. They cannot register or join an organization, and someone who
# becomes staff while a member keeps the membership (and can still read, leave or hand the
# organization over) but can no longer start, change, submit, withdraw or re-confirm a proposal.
# Evaluators stay free to register: they may be outside experts, and the panel's conflict
# declaration keeps them off any challenge their organization answers.
is_municipal = is_staff_member | is_approver

MUNICIPAL_CANNOT_REGISTER = _(
    "Municipal staff cannot act for a vendor; an account with the staff or approver role cannot "
    "register an organization. Ask the administrator if your roles are wrong."
)
MUNICIPAL_CANNOT_JOIN = _(
    "Municipal staff cannot act for a vendor; an account with the staff or approver role cannot "
    "join an organization. Ask the administrator if your roles are wrong."
)
MUNICIPAL_CANNOT_ACT = _(
    "Municipal staff cannot act for a vendor; you keep your membership of %(vendor)s and can read "
    "its proposals, but another member has to start, change and submit them."
)


def _vendor(obj):
    if isinstance(obj, VendorOrganization):
        return obj
    if isinstance(obj, ProposalDocument | PriceEnvelope | ProposalReceipt):
        return obj.proposal.vendor
    return obj.vendor


def members_only(user, obj, otherwise=MEMBERS_ONLY) -> str:
    """Why a vendor step on `obj` is refused: the person is a municipal member, or `otherwise`."""
    if is_municipal(user) and is_vendor_member(user, obj):
        return str(MUNICIPAL_CANNOT_ACT) % {"vendor": _vendor(obj)}
    return str(otherwise)


rules.add_perm("vendors.add_vendororganization", is_authenticated & ~is_municipal)
rules.add_perm("vendors.accept_invitation", is_authenticated & ~is_municipal)
rules.add_perm("vendors.view_vendororganization", is_vendor_member | is_staff_member)
rules.add_perm("vendors.change_vendororganization", is_vendor_owner)
rules.add_perm("vendors.invite_member", is_vendor_owner)
rules.add_perm("vendors.view_members", is_vendor_member)
# An owner removes anyone; a member may leave.
rules.add_perm("vendors.remove_member", is_vendor_owner | is_own_membership)

# Members act for their vendor unless they are municipal; reading stays with every member.
acts_for_vendor = is_vendor_member & ~is_municipal

rules.add_perm("vendors.start_proposal", acts_for_vendor)
rules.add_perm("vendors.change_proposal", acts_for_vendor & is_proposal_draft)
# Also the permission of the vendor-side transitions (submit, withdraw, revise, re-confirm).
rules.add_perm("vendors.submit_proposal", acts_for_vendor)
rules.add_perm("vendors.view_receipt", is_vendor_member)
rules.add_perm("vendors.evaluate_proposal", is_staff_member & is_challenge_owner)
# Receiving, lapsing and asking for re-confirmation are the system's steps, run with actor None.
rules.add_perm("vendors.run_proposal_system_step", rules.always_deny)


# Who the challenge page invites to respond while it is open: a vendor goes to the portal; anyone
# else who is not municipal registers an organization first, after creating an account if needed.
rules.add_perm("vendors.respond_to_challenge", is_vendor & ~is_municipal & is_open_for_proposals)
rules.add_perm(
    "vendors.register_to_respond",
    is_authenticated & ~is_vendor & ~is_municipal & is_open_for_proposals,
)
rules.add_perm("vendors.sign_up_to_respond", ~is_authenticated & is_open_for_proposals)

# Seeing proposals, prices and counts: the sealing rule, one table (imported last: it builds on
# the predicates above).
from . import sealing  # noqa: E402, F401
