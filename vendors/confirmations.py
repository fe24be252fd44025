"""A vendor's one-way steps and what its members are told before taking them (core/confirm.py)."""

from django.utils.translation import gettext_lazy as _

from core.confirm import OneWayStep, register
from core.timefmt import format_local


def _proposal(proposal) -> dict:
    challenge = proposal.challenge
    return {
        "reference": challenge.reference,
        "deadline": format_local(challenge.submission_deadline),
    }


SUBMIT = OneWayStep(
    key="vendors.submit",
    title=_("Submit your proposal to %(reference)s?"),
    happens=(
        _(
            "Your answers, documents and price are sealed: nobody at the municipality can "
            "read them before the challenge closes."
        ),
        _(
            "You receive a receipt with the time the proposal was received and a SHA-256 "
            "digest of everything you submitted."
        ),
    ),
    final=(
        _(
            "The time of submission and its receipt are kept for good. Until the deadline "
            "(%(deadline)s) you can withdraw the proposal and submit it again; after it, the "
            "proposal can no longer be changed or withdrawn."
        ),
    ),
    button=_("Yes, submit the proposal"),
    facts=_proposal,
)

WITHDRAW = OneWayStep(
    key="vendors.withdraw",
    title=_("Withdraw your proposal to %(reference)s?"),
    happens=(
        _("Your proposal is no longer submitted and will not be evaluated as it stands."),
        _(
            "To take part, revise it and submit it again before the deadline (%(deadline)s); "
            "it then gets a new receipt."
        ),
    ),
    final=(
        _(
            "The receipt of this submission stops counting: its time of submission cannot "
            "be restored. After the deadline a withdrawn proposal cannot be submitted again."
        ),
    ),
    button=_("Yes, withdraw the proposal"),
    destructive=True,
    facts=_proposal,
)

register(SUBMIT, WITHDRAW)
