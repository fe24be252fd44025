from .envelopes import PriceEnvelope, ProposalAnswer, ProposalDocument, ProposalReceipt
from .proposal import (
    CHALLENGE_CLOSED_STATES,
    Proposal,
    challenge_is_closed,
    closed_challenges_q,
)
from .vendor import (
    INVITATION_VALID_DAYS,
    Province,
    VendorInvitation,
    VendorMembership,
    VendorOrganization,
)

__all__ = [
    "CHALLENGE_CLOSED_STATES",
    "INVITATION_VALID_DAYS",
    "PriceEnvelope",
    "Proposal",
    "ProposalAnswer",
    "ProposalDocument",
    "ProposalReceipt",
    "Province",
    "VendorInvitation",
    "VendorMembership",
    "VendorOrganization",
    "challenge_is_closed",
    "closed_challenges_q",
]
