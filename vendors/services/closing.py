"""What happens to proposals when the challenge changes under them: closing, addenda and
cancellation.

These are the system's steps (actor None); each runs through `transition_run`, so it is audited.
"""

from django.db import transaction
from django.utils.translation import gettext as _

from challenges.models import Addendum, Challenge
from core.workflow import transition_run

from ..models import Proposal


def proposals_close(*, instance: Challenge, actor=None) -> None:
    """Effect of `Challenge.close`, inside its transaction: submitted proposals are received,
    drafts and proposals never re-confirmed lapse. The challenge row is already locked."""
    reason = _("The challenge closed at its submission deadline.")
    # One query locks them all; each then steps under that lock, received ones first.
    proposals = list(
        Proposal.objects.select_for_update()
        .filter(
            challenge_id=instance.pk,
            status__in=[
                Proposal.Status.SUBMITTED,
                Proposal.Status.DRAFT,
                Proposal.Status.NEEDS_RECONFIRMATION,
            ],
        )
        .order_by("pk")
    )
    for proposal in proposals:
        proposal.challenge = instance  # what their saves' receivers read, already loaded
    for proposal in proposals:
        if proposal.status == Proposal.Status.SUBMITTED:
            transition_run(
                instance=proposal, name="receive", actor=None, reason=reason, locked=True
            )
    for proposal in proposals:
        if proposal.status != Proposal.Status.RECEIVED:
            transition_run(instance=proposal, name="lapse", actor=None, reason=reason, locked=True)


def proposals_cancel(*, instance: Challenge, actor=None) -> list[Proposal]:
    """Effect of `Challenge.cancel`, inside its transaction: every proposal still in play (a
    draft, submitted, awaiting re-confirmation, received, qualified or shortlisted) is
    cancelled with it. Withdrawn, lapsed and decided proposals keep their state. The challenge
    row is already locked, so no submission or evaluation step runs in between."""
    reason = _("The challenge was cancelled. Reason: %(reason)s") % {
        "reason": instance.cancellation_reason
    }
    proposals = Proposal.objects.select_for_update().filter(
        challenge_id=instance.pk, status__in=Proposal.OPEN_STATES
    )
    return [
        transition_run(instance=proposal, name="cancel", actor=None, reason=reason)
        for proposal in proposals.order_by("pk")
    ]


def proposals_require_reconfirmation(*, addendum: Addendum) -> list[Proposal]:
    """After a material addendum, every proposal submitted before it needs re-confirming.
    The addendum's notice tells the vendors' members what to do (procurement.notifications)."""
    if not addendum.is_material:
        return []
    flagged = []
    with transaction.atomic():
        Challenge.objects.select_for_update().get(pk=addendum.challenge_id)
        submitted = Proposal.objects.select_for_update().filter(
            challenge_id=addendum.challenge_id, status=Proposal.Status.SUBMITTED
        )
        if addendum.issued_at:
            submitted = submitted.filter(submitted_at__lte=addendum.issued_at)
        reason = _("Addendum %(number)s changed the terms or dates.") % {"number": addendum.number}
        for proposal in submitted.order_by("pk"):
            flagged.append(
                transition_run(
                    instance=proposal,
                    name="require_reconfirmation",
                    actor=None,
                    reason=reason,
                    addendum_number=addendum.number,
                )
            )
    return flagged
