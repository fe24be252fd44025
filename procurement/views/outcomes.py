"""The public outcomes page of a challenge: what the city set out to solve, who it engaged, what
it bought and why, and whether it worked.

Everyone who may see the challenge reads the same page. Of the award it says only what the open
data says at the same stage (`opendata.ocds`): the vendor and whether the award is pending,
final or withdrawn (its challenge was cancelled or ended without it) once vendors were told, the
awarded value once final; never a recommendation, a score, a losing proposal, a price before the
award is final, or who evaluated.
"""

from collections import Counter

from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from challenges.models import Challenge
from challenges.reach_views import ledger_context
from challenges.selectors import challenge_engagement_activities
from challenges.theme_selectors import public_themes
from challenges.views import visible_challenge
from core.charts import indicator_chart
from evaluation.selectors import plan_public_summary
from vendors import sealing

from .. import selectors
from ..models import Award, Contract, ContractTerm, Pilot
from ..pilot_feedback import published_pilot_feedback


def _milestone_state(milestone, today) -> tuple[str, str]:
    if milestone.done_on is not None:
        if milestone.done_on > milestone.due_on:
            return "done", _("Done, after its due date")
        return "done", _("Done")
    if milestone.due_on < today:
        return "late", _("Late")
    return "upcoming", _("Upcoming")


def _indicator_progress(indicator) -> tuple[str, str]:
    """Whether the latest measurement reached the target; a target may lie below the baseline
    (a cost to bring down) or above it (a share to raise)."""
    if indicator.latest is None:
        return "none", _("No measurement yet")
    value = indicator.latest.value
    if indicator.target < indicator.baseline:
        reached = value <= indicator.target
    else:
        reached = value >= indicator.target
    return ("reached", _("Target reached")) if reached else ("not_yet", _("Not at the target yet"))


def _pilot_context(pilot: Pilot | None) -> dict:
    if pilot is None:
        return {"pilot": None, "milestones": [], "indicators": []}
    today = timezone.localdate()
    milestones = list(pilot.milestones.all())
    for milestone in milestones:
        milestone.state, milestone.state_label = _milestone_state(milestone, today)
    indicators = list(pilot.indicators.all())
    for indicator in indicators:
        indicator.chart = indicator_chart(indicator)
        measurements = indicator.chart["measurements"]
        indicator.latest = measurements[-1] if measurements else None
        indicator.progress, indicator.progress_label = _indicator_progress(indicator)
    return {
        "pilot": pilot,
        "pilot_ended": pilot.status in Pilot.ENDED_STATES,
        "milestones": milestones,
        "indicators": indicators,
    }


def _contract_context(challenge, award_final: bool) -> dict:
    """The signed contract as everyone reads it: value, period, signing date and the terms that
    are not confidential (the same for every role, like the rest of the page)."""
    contract = selectors.challenge_contract(challenge=challenge) if award_final else None
    if contract is None or contract.status != Contract.Status.SIGNED:
        return {"contract": None, "contract_terms": []}
    terms = ContractTerm.objects.filter(contract=contract, confidential=False).order_by(
        "order", "pk"
    )
    return {"contract": contract, "contract_terms": selectors.terms_by_topic(list(terms))}


def outcomes(request, reference):
    challenge = visible_challenge(request.user, reference)
    activities = list(challenge_engagement_activities(challenge=challenge))
    published = selectors.is_published(challenge)
    award = selectors.announced_award(challenge=challenge) if published else None
    award_final = award is not None and award.status == Award.Status.FINAL
    award_withdrawn = award is not None and award.status == Award.Status.WITHDRAWN
    context = {
        "challenge": challenge,
        "activities": activities,
        "participants_total": sum(a.participants for a in activities),
        "activity_kinds": Counter(a.get_kind_display() for a in activities).most_common(),
        "input_count": selectors.public_input_count(challenge=challenge),
        # Who was reached against whom the city meant to reach, as on the challenge page.
        **ledger_context(challenge),
        # "You said, we did": each theme with its published input counted, never the input.
        "themes": list(public_themes(challenge=challenge)),
        "published": published,
        "proposal_count": sealing.received_proposal_count(challenge=challenge, user=request.user)
        if published
        else None,
        "award": award,
        "award_final": award_final,
        "award_withdrawn": award_withdrawn,
        # The awarded value is public once the award is final, as in the open data.
        "awarded_value": award.proposal.price_envelope.amount if award_final else None,
        # A withdrawn award bought nothing: there is no "why" to give.
        "plan": plan_public_summary(challenge) if award and not award_withdrawn else None,
        "not_awarded": challenge.status == Challenge.Status.NOT_AWARDED,
        "cancelled": challenge.status == Challenge.Status.CANCELLED,
        **_contract_context(challenge, award_final),
        **_pilot_context(selectors.outcome_pilot(challenge=challenge) if award_final else None),
    }
    if context["pilot"] is not None:
        context.update(published_pilot_feedback(challenge))
    return render(request, "procurement/outcomes.html", context)
