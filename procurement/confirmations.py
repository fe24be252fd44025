"""The award's and the pilot's one-way steps, and what a person is told before taking them
(core/confirm.py)."""

from django.utils.translation import gettext_lazy as _

from core.confirm import OneWayStep, register


def _challenge(challenge) -> dict:
    return {"reference": challenge.reference}


def _award(award) -> dict:
    return {"reference": award.challenge.reference, "vendor": str(award.proposal.vendor)}


def _contract(contract) -> dict:
    return {
        "reference": contract.challenge.reference,
        "vendor": str(contract.award.proposal.vendor),
    }


def _pilot(pilot) -> dict:
    return {"reference": pilot.challenge.reference}


RECOMMEND = OneWayStep(
    key="procurement.award_recommend",
    title=_("Recommend this award for %(reference)s?"),
    happens=(
        _("The award is recommended in your name, with the reason you give."),
        _("Approvers are asked to approve it; an approver other than you must decide."),
    ),
    final=(
        _(
            "The recommendation stays in the challenge's history. To change it, an approver "
            "must reject it first."
        ),
    ),
    button=_("Yes, recommend the award"),
    facts=_challenge,
)

APPROVE = OneWayStep(
    key="procurement.award_approve",
    title=_("Approve the award to %(vendor)s?"),
    happens=(
        _("The award is approved in your name, and the approval is kept in its history."),
        _("The challenge's owner can then notify every vendor of the result."),
    ),
    final=(_("An approval cannot be withdrawn; only withdrawing the whole award stops it."),),
    button=_("Yes, approve the award"),
    facts=_award,
)

NOTIFY = OneWayStep(
    key="procurement.award_notify",
    title=_("Notify the vendors of the award to %(vendor)s?"),
    happens=(
        _(
            "Every vendor whose proposal was received gets its result letter, with its "
            "score against the winner's, by e-mail and in its inbox."
        ),
        _("The debrief window opens and the standstill period starts."),
    ),
    final=(_("Letters that were sent cannot be called back."),),
    button=_("Yes, notify the vendors"),
    facts=_award,
)

FINALISE = OneWayStep(
    key="procurement.award_finalise",
    title=_("Make the award to %(vendor)s final?"),
    happens=(
        _("The award becomes final and the challenge is awarded."),
        _("The pilot can then be planned."),
    ),
    final=(_("A final award cannot be withdrawn, and the challenge cannot be cancelled."),),
    button=_("Yes, make the award final"),
    facts=_award,
)

END_WITHOUT_AWARD = OneWayStep(
    key="procurement.end_without_award",
    title=_("End %(reference)s without an award?"),
    happens=(
        _("No proposal is awarded: the shortlisted proposals become unsuccessful."),
        _("An award under way is withdrawn."),
        _("The vendors who took part are told your reason."),
    ),
    final=(
        _(
            "The challenge ends for good: it cannot be evaluated or awarded again. To try "
            "again, create a new challenge."
        ),
    ),
    button=_("Yes, end without an award"),
    destructive=True,
    facts=_challenge,
)

CONTRACT_SIGN = OneWayStep(
    key="procurement.contract_sign",
    title=_("Record the contract with %(vendor)s as signed?"),
    happens=(
        _("The contract is recorded as signed, with its value, period and signed copy."),
        _(
            "Its value, period, signing date and terms are published on the outcomes page and "
            "in the open data; confidential terms stay with municipal staff."
        ),
    ),
    final=(_("A signed contract's value, dates and terms can no longer change."),),
    button=_("Yes, record it as signed"),
    facts=_contract,
)

_PILOT_END_FINAL = _(
    "An ended pilot cannot be restarted: its milestones and measurements can no longer change."
)

PILOT_ADOPT = OneWayStep(
    key="procurement.pilot_adopt",
    title=_("Adopt the solution piloted for %(reference)s?"),
    happens=(
        _("The pilot ends as adopted, with the lessons learned you write."),
        _("The outcomes page shows it publicly."),
    ),
    final=(_PILOT_END_FINAL,),
    button=_("Yes, adopt"),
    facts=_pilot,
)

PILOT_CONCLUDE = OneWayStep(
    key="procurement.pilot_conclude",
    title=_("Conclude the pilot of %(reference)s?"),
    happens=(
        _("The pilot ends as concluded, without adoption, with the lessons learned you write."),
        _("The outcomes page shows it publicly."),
    ),
    final=(_PILOT_END_FINAL,),
    button=_("Yes, conclude"),
    facts=_pilot,
)

PILOT_TERMINATE = OneWayStep(
    key="procurement.pilot_terminate",
    title=_("Terminate the pilot of %(reference)s?"),
    happens=(
        _("The pilot stops early, as terminated, with the lessons learned you write."),
        _("The outcomes page shows it publicly."),
    ),
    final=(_PILOT_END_FINAL,),
    button=_("Yes, terminate the pilot"),
    destructive=True,
    facts=_pilot,
)

register(
    RECOMMEND,
    APPROVE,
    NOTIFY,
    FINALISE,
    END_WITHOUT_AWARD,
    CONTRACT_SIGN,
    PILOT_ADOPT,
    PILOT_CONCLUDE,
    PILOT_TERMINATE,
)
