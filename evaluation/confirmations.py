"""The evaluation's one-way steps and what a person is told before taking them (core/confirm.py)."""

from django.utils.translation import gettext_lazy as _

from core.confirm import OneWayStep, register


def _evaluation(evaluation) -> dict:
    return {"reference": evaluation.challenge.reference}


LOCK_CONSENSUS = OneWayStep(
    key="evaluation.lock_consensus",
    title=_("Lock the consensus of %(reference)s?"),
    happens=(
        _("Every score and consensus score is fixed as it stands now."),
        _("The challenge's owner can then open the price envelopes."),
    ),
    final=(_("Once locked, no score or consensus score can change, by you or by any evaluator."),),
    button=_("Yes, lock the consensus"),
    facts=_evaluation,
)

OPEN_PRICES = OneWayStep(
    key="evaluation.open_prices",
    title=_("Open the price envelopes of %(reference)s?"),
    happens=(
        _(
            "The prices of the proposals that passed screening and meet the technical minimum "
            "become readable to you and the panel's chair, beside their technical scores."
        ),
        _("The opening is recorded in the history with your name and the time."),
        _("You can then compute the ranking."),
    ),
    final=(
        _(
            "Opened envelopes cannot be sealed again, and the technical scores stay locked: "
            "nobody can score again knowing the prices."
        ),
    ),
    button=_("Yes, open the price envelopes"),
    facts=_evaluation,
)

register(LOCK_CONSENSUS, OPEN_PRICES)
