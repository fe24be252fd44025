"""Reads for vendors and proposals, with sealing applied (DESIGN.md §3 "Two envelopes").

Before a challenge closes nobody but the vendor's own members learns anything about its
proposals: not their content, not whether they exist, not how many there are. Who may see what
is `vendors.sealing`; these reads ask it. Lookups that may not be seen raise Http404, the same
answer as for a proposal that does not exist.
"""

from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone

from challenges.models import Challenge, ResponseQuestion
from core.permissions import can

from . import sealing
from .models import (
    PriceEnvelope,
    Proposal,
    ProposalAnswer,
    ProposalDocument,
    ProposalReceipt,
    VendorInvitation,
    VendorMembership,
    VendorOrganization,
)
from .services.receipts import current_documents


def vendors_for_user(user) -> QuerySet[VendorOrganization]:
    """The organizations `user` acts for."""
    if not getattr(user, "is_authenticated", False):
        return VendorOrganization.objects.none()
    return VendorOrganization.objects.filter(memberships__user=user).order_by("legal_name")


def vendor_for_user(*, public_id, user) -> VendorOrganization:
    """One organization by its public id, for its members (and staff); Http404 otherwise."""
    vendor = VendorOrganization.objects.filter(public_id=public_id).first()
    if vendor is None or not can(user, "vendors.view_vendororganization", vendor):
        raise Http404
    return vendor


def vendor_members(*, vendor: VendorOrganization, user) -> QuerySet[VendorMembership]:
    """The members of `vendor`, visible to its own members only."""
    if not can(user, "vendors.view_members", vendor):
        return VendorMembership.objects.none()
    return vendor.memberships.select_related("user").order_by("-role", "user__username")


def vendor_pending_invitations(*, vendor: VendorOrganization, user) -> QuerySet[VendorInvitation]:
    """Invitations not yet accepted nor expired, for the organization's owners."""
    if not can(user, "vendors.invite_member", vendor):
        return VendorInvitation.objects.none()
    return vendor.invitations.filter(accepted_at__isnull=True, expires_at__gt=timezone.now())


def invitation_for_token(*, token: str) -> VendorInvitation | None:
    """The invitation a link points to (for the accept page), or None."""
    return VendorInvitation.for_token(token)


def proposals_for_vendor_user(
    user, *, vendor: VendorOrganization | None = None, challenge: Challenge | None = None
) -> QuerySet[Proposal]:
    """Proposals of the organizations `user` belongs to; a vendor only ever sees its own."""
    if not getattr(user, "is_authenticated", False):
        return Proposal.objects.none()
    qs = Proposal.objects.filter(vendor__memberships__user=user)
    if vendor is not None:
        qs = qs.filter(vendor=vendor)
    if challenge is not None:
        qs = qs.filter(challenge=challenge)
    return qs.select_related("challenge", "vendor").order_by("-updated_at", "-id")


def proposal_for_vendor_and_challenge(*, vendor, challenge, user) -> Proposal | None:
    """The vendor's proposal to a challenge (to offer "continue" instead of "start"), if any."""
    return proposals_for_vendor_user(user, vendor=vendor, challenge=challenge).first()


def proposals_received_for_challenge(*, challenge: Challenge, user) -> QuerySet[Proposal]:
    """What the municipality received, for its staff, once the challenge has closed.

    Before closing (and for anyone else) the queryset is empty, so no count leaks either.
    """
    return sealing.received_proposals(challenge=challenge, user=user)


def proposal_for_user(*, public_id, user) -> Proposal:
    """One proposal, or Http404 for anyone who may not see it (as if it did not exist)."""
    proposal = (
        Proposal.objects.select_related("challenge", "vendor").filter(public_id=public_id).first()
    )
    if proposal is None or not can(user, "vendors.view_proposal", proposal):
        raise Http404
    return proposal


def proposal_for_editor(*, public_id, user) -> Proposal:
    """`proposal_for_user`, read with what its page and its submission's guard ask: the
    answers, the challenge's questions and whether a price is entered (fixed for this read:
    a step reads the proposal afresh)."""
    proposal = (
        Proposal.objects.select_related("challenge", "vendor")
        .annotate(has_price_envelope=Exists(PriceEnvelope.objects.filter(proposal=OuterRef("pk"))))
        .prefetch_related(
            "answers",
            Prefetch(
                "challenge__response_questions",
                queryset=ResponseQuestion.objects.order_by("order", "id"),
            ),
        )
        .filter(public_id=public_id)
        .first()
    )
    if proposal is None or not can(user, "vendors.view_proposal", proposal):
        raise Http404
    return proposal


def proposal_answers(*, proposal: Proposal, user) -> QuerySet[ProposalAnswer]:
    """The answers of the technical envelope, for those who may see the proposal."""
    if not can(user, "vendors.view_proposal", proposal):
        return ProposalAnswer.objects.none()
    return proposal.answers.select_related("question").order_by("question__order", "question_id")


def proposal_documents(
    *, proposal: Proposal, user, include_history: bool = False
) -> QuerySet[ProposalDocument]:
    """The current documents of the technical envelope; members may ask for every version."""
    if not can(user, "vendors.view_proposal", proposal):
        return ProposalDocument.objects.none()
    if include_history and can(user, "vendors.view_receipt", proposal):
        return proposal.documents.order_by("title", "-uploaded_at", "-id")
    return current_documents(proposal)


def proposal_receipts(*, proposal: Proposal, user) -> QuerySet[ProposalReceipt]:
    """Receipts of each submission, newest first, for the vendor's members."""
    if not can(user, "vendors.view_receipt", proposal):
        return ProposalReceipt.objects.none()
    return proposal.receipts.prefetch_related("documents")


def price_envelope_for(*, proposal: Proposal, user) -> PriceEnvelope | None:
    """The price envelope, or None: only the vendor's members see it until evaluation opens it
    (`vendors.view_price`). Once the challenge is cancelled nobody else ever reads it."""
    if not can(user, "vendors.view_price", proposal):
        return None
    return PriceEnvelope.objects.filter(proposal=proposal).first()


def document_for_download(*, public_id, user) -> ProposalDocument:
    """A document to serve, or Http404: the vendor's members before closing, municipal staff
    for received proposals after closing. Serve it as an attachment with its `content_type`."""
    document = (
        ProposalDocument.objects.select_related("proposal__challenge", "proposal__vendor")
        .filter(public_id=public_id)
        .first()
    )
    if document is None or not can(user, "vendors.view_document", document):
        raise Http404
    return document
