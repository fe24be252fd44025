"""The sealing rule (DESIGN.md §3 "Two envelopes"): who may see a proposal, its price, or how many
proposals a challenge has, and from when. Pages, API, admin, exports, notifications, open data and
templates ask the permissions and selectors below; nothing else decides it.

| what                           | before closing        | after closing                          |
|--------------------------------|-----------------------|----------------------------------------|
| a proposal, its documents      | its vendor's members  | + municipal staff, if it was received  |
| the list of received proposals | nobody                | municipal staff                        |
| how many were received         | nobody                | everyone                               |
| a price                        | its vendor's members  | + whom evaluation opens it to (below)  |
| who was reminded or told about | nobody, admins too    | as the row's own rules say             |
|   a proposal (reminders, mail) |                       |                                        |

"Closed" has one meaning: the challenge reached `closed` (or a later stage), or was cancelled after
closing (`challenge_is_closed`, and `closed_challenges_q` for querysets, in the models). A
challenge cancelled before closing stays sealed for ever. Superusers are bound too:
`core.permissions.can` asks the rules registry, which does not wave them through.

Prices open only when evaluation says so (after consensus is locked, by an explicit step); vendors
cannot import evaluation, so evaluation registers a check here from its `AppConfig.ready()`.
"""

from collections.abc import Callable

import rules
from django.db.models import Q, QuerySet

from challenges.models import Challenge
from core.permissions import can
from core.predicates import is_staff_member

from .models import (
    PriceEnvelope,
    Proposal,
    ProposalDocument,
    ProposalReceipt,
    challenge_is_closed,
    closed_challenges_q,
)
from .rules import is_current_document, is_received_proposal, is_vendor_member

# Prices: a registry that evaluation fills ---------------------------------------------------------

PriceOpening = Callable[[object, object], bool]
_price_openings: list[PriceOpening] = []


def register_price_opening(check: PriceOpening) -> PriceOpening:
    """`check(user, proposal)` says whether `user` may now read that proposal's price."""
    if check not in _price_openings:
        _price_openings.append(check)
    return check


def unregister_price_opening(check: PriceOpening) -> None:
    if check in _price_openings:
        _price_openings.remove(check)


# The one notion of "unsealed" ---------------------------------------------------------------------


def _challenge(obj):
    if isinstance(obj, Challenge):
        return obj
    if isinstance(obj, Proposal):
        return obj.challenge
    if isinstance(obj, ProposalDocument | PriceEnvelope | ProposalReceipt):
        return obj.proposal.challenge
    return None


def proposals_unsealed(challenge) -> bool:
    """Whether the proposals of `challenge` may be seen by anyone but their vendors now."""
    return challenge is not None and challenge_is_closed(challenge)


def sealed_challenges() -> QuerySet[Challenge]:
    """Challenges whose proposals nobody but their vendors may know of yet."""
    return Challenge.objects.exclude(closed_challenges_q())


@rules.predicate
def is_unsealed(user, obj):
    return proposals_unsealed(_challenge(obj))


@rules.predicate
def price_opened(user, obj):
    proposal = obj if isinstance(obj, Proposal) else getattr(obj, "proposal", None)
    if proposal is None or proposal.challenge.status == Challenge.Status.CANCELLED:
        # A cancelled challenge's prices are never read by anyone but their vendors.
        return False
    return is_unsealed(user, proposal) and any(check(user, proposal) for check in _price_openings)


# Staff see what the municipality received once the challenge has closed: the current documents
# of received proposals, never drafts, withdrawn or lapsed ones.
unsealed_for_staff = is_staff_member & is_unsealed & is_received_proposal & is_current_document

rules.add_perm("vendors.view_proposal", is_vendor_member | unsealed_for_staff)
rules.add_perm("vendors.view_document", is_vendor_member | unsealed_for_staff)
rules.add_perm("vendors.view_price", is_vendor_member | price_opened)
# Takes a challenge: a count says something only once nobody can still bid.
rules.add_perm("vendors.view_proposal_count", is_unsealed)
# Takes a challenge: the list of what it received, for municipal staff once it has closed.
rules.add_perm("vendors.view_received_proposals", is_staff_member & is_unsealed)


# Selectors ----------------------------------------------------------------------------------------


def received_proposals(*, challenge: Challenge, user) -> QuerySet[Proposal]:
    """What the challenge received, for those who may list it; empty before closing, for
    everyone, so not even a count leaks."""
    if not can(user, "vendors.view_received_proposals", challenge):
        return Proposal.objects.none()
    return (
        Proposal.objects.filter(Proposal.received_q(), challenge=challenge)
        .select_related("vendor", "challenge")
        .order_by("submitted_at", "id")
    )


def received_proposal_count(*, challenge: Challenge, user=None) -> int | None:
    """How many proposals the challenge received, once it has closed; None before. Received
    proposals of a challenge cancelled since count too: they were received."""
    if not can(user, "vendors.view_proposal_count", challenge):
        return None
    return Proposal.objects.filter(Proposal.received_q(), challenge=challenge).count()


def unsealed_q(prefix: str = "") -> Q:
    """Rows (through `prefix`, e.g. "proposal__challenge__") whose challenge is unsealed."""
    return closed_challenges_q(prefix)


__all__ = [
    "is_unsealed",
    "price_opened",
    "proposals_unsealed",
    "received_proposal_count",
    "received_proposals",
    "register_price_opening",
    "sealed_challenges",
    "unregister_price_opening",
    "unsealed_q",
]
