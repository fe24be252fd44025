"""Every write to vendors and proposals (DESIGN.md §2): one atomic function per user action.

Pages, API and tasks call these, never a transition directly.
"""

from .closing import proposals_close, proposals_require_reconfirmation
from .organizations import (
    invitation_accept,
    membership_change_role,
    membership_remove,
    vendor_invite,
    vendor_register,
    vendor_update,
)
from .proposals import (
    document_remove,
    document_upload,
    price_envelope_save,
    proposal_evaluate,
    proposal_reconfirm,
    proposal_revise,
    proposal_save_answers,
    proposal_start,
    proposal_submit,
    proposal_withdraw,
)
from .receipts import receipt_digest, receipt_matches, receipt_payload

__all__ = [
    "document_remove",
    "document_upload",
    "invitation_accept",
    "membership_change_role",
    "membership_remove",
    "price_envelope_save",
    "proposal_evaluate",
    "proposal_reconfirm",
    "proposal_revise",
    "proposal_save_answers",
    "proposal_start",
    "proposal_submit",
    "proposal_withdraw",
    "proposals_close",
    "proposals_require_reconfirmation",
    "receipt_digest",
    "receipt_matches",
    "receipt_payload",
    "vendor_invite",
    "vendor_register",
    "vendor_update",
]
