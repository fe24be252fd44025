"""Every write of an award: recommend, approve or reject, notify, finalise; debrief requests;
ending a challenge without an award (DESIGN.md §3).

Finalising crosses stages (the award, every shortlisted proposal and the challenge), so it lives
here, in the pipeline app, and runs each app's own transitions in one transaction. The challenge's
`award` and `end_without_award` steps are this app's decisions: the guards below, registered on
the challenge's transitions, refuse them unless they follow from a final award or from
`challenge_end_without_award`.
"""

from contextlib import contextmanager
from contextvars import ContextVar

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from challenges.models import Challenge
from challenges.services import challenge_transition
from core import roles
from core.audit import audit_append, last_reason
from core.errors import InvalidInput, TransitionRefused
from core.numfmt import format_score
from core.permissions import require
from core.timefmt import format_local
from core.workflow import transition_run
from evaluation.models import Criterion, Evaluation, RankingEntry
from vendors.models import Proposal, VendorMembership
from vendors.services import proposal_evaluate

from ..message import Message
from ..models import Award, DebriefRequest, Notification
from .notifications import notifications_create

Kind = Notification.Kind

ENDING_OWNER_ONLY = gettext_lazy(
    "Only the challenge's owner, a member of municipal staff, can end it without an award."
)
NO_FINAL_AWARD = gettext_lazy(
    "A challenge is awarded only when its award becomes final: recommend it on the award page, "
    "have it approved and notify the vendors; it becomes final when the standstill period ends."
)
END_FROM_THE_AWARD_PAGE = gettext_lazy(
    "End the challenge without an award from its award page, so that its shortlisted proposals "
    "and any award under way end with it."
)


def challenge_award_problems(challenge) -> list[str]:
    """Guard of `Challenge.award`: the challenge is awarded because its award became final."""
    if Award.objects.filter(challenge_id=challenge.pk, status=Award.Status.FINAL).exists():
        return []
    return [NO_FINAL_AWARD]


# The challenges `challenge_end_without_award` is ending in this thread, right now. The challenge's
# own step carries no data that says it was decided here, so the service says so while it runs.
_ending_without_award: ContextVar[frozenset[int]] = ContextVar(
    "challenges_ending_without_award", default=frozenset()
)


@contextmanager
def _ending(challenge):
    token = _ending_without_award.set(_ending_without_award.get() | {challenge.pk})
    try:
        yield
    finally:
        _ending_without_award.reset(token)


def challenge_end_without_award_problems(challenge) -> list[str]:
    """Guard of `Challenge.end_without_award`: it runs only inside `challenge_end_without_award`,
    which ends the shortlisted proposals in the same transaction."""
    if challenge.pk in _ending_without_award.get():
        return []
    return [END_FROM_THE_AWARD_PAGE]


def live_award(challenge) -> Award | None:
    """The challenge's award unless it was rejected: one under way, final, or withdrawn with its
    challenge (a cancelled or ended challenge takes no new recommendation)."""
    return Award.objects.filter(challenge=challenge).exclude(status=Award.Status.REJECTED).first()


def _candidates(evaluation: Evaluation) -> list[RankingEntry]:
    """Ranked proposals that may win: shortlisted at the decision, best first."""
    return list(
        RankingEntry.objects.filter(
            evaluation=evaluation,
            meets_minimum=True,
            proposal__status=Proposal.Status.SHORTLISTED,
        )
        .select_related("proposal__vendor")
        .order_by("rank", "proposal_id")
    )


def award_recommend(*, evaluation: Evaluation, actor, proposal=None, reason: str = "") -> Award:
    """The chair (or the challenge's owner) recommends a proposal: by default the best ranked."""
    with transaction.atomic():
        # Locking the challenge serialises two recommendations made at once.
        challenge = Challenge.objects.select_for_update().get(pk=evaluation.challenge_id)
        evaluation = Evaluation.objects.get(pk=evaluation.pk)
        require(
            actor,
            "procurement.recommend_award",
            evaluation,
            _("Only the panel's chair or the challenge's owner can recommend an award."),
        )
        if evaluation.status != Evaluation.Status.DECIDED or (
            challenge.status != Challenge.Status.EVALUATING
        ):
            raise TransitionRefused(
                _(
                    "An award is recommended once the evaluation is decided, "
                    "before the challenge ends."
                )
            )
        if live_award(challenge) is not None:
            raise TransitionRefused(
                _("This challenge already has an award in progress; reject it first to change it.")
            )
        candidates = _candidates(evaluation)
        if not candidates:
            raise TransitionRefused(
                _("No shortlisted proposal meets the minimum; end the challenge without an award.")
            )
        chosen = candidates[0]
        reason = (reason or "").strip()
        if proposal is not None:
            matches = [entry for entry in candidates if entry.proposal_id == proposal.pk]
            if not matches:
                raise InvalidInput(
                    _("Recommend one of the shortlisted proposals."),
                    field_errors={"proposal": [_("This proposal was not shortlisted.")]},
                )
            chosen = matches[0]
            if chosen.rank != candidates[0].rank and not reason:
                raise InvalidInput(
                    _("Explain why you recommend a proposal that is not ranked first."),
                    field_errors={"reason": [_("This field is required.")]},
                )
        award = Award.objects.create(
            challenge=challenge,
            evaluation=evaluation,
            proposal=chosen.proposal,
            recommended_by=actor,
            recommendation=reason,
        )
        audit_append(
            obj=award,
            transition="recommend",
            source="",
            target=award.status,
            actor=actor,
            reason=reason,
            metadata={
                "challenge_id": challenge.pk,
                "proposal_id": chosen.proposal_id,
                "rank": chosen.rank,
            },
        )
        _tell_approvers(award, actor)
    return award


def _award_url(challenge) -> str:
    return reverse("procurement:award", kwargs={"reference": challenge.reference})


def _tell_approvers(award: Award, actor) -> None:
    User = get_user_model()
    approvers = (
        User.objects.filter(groups__name=roles.APPROVER, is_active=True).distinct().order_by("pk")
    )
    challenge = award.challenge
    notifications_create(
        recipients=approvers,
        kind=Kind.AWARD_APPROVAL_REQUESTED,
        message=lambda: Message(
            title=_("An award for %(reference)s awaits your approval")
            % {"reference": challenge.reference},
            body=_("%(vendor)s is recommended for %(challenge)s. Approve or reject it.")
            % {"vendor": award.proposal.vendor, "challenge": challenge},
            link=_award_url(challenge),
        ),
        dedupe_prefix=f"award_recommended:{award.pk}",
        exclude=actor,
    )


def award_approve(*, award: Award, actor) -> Award:
    return transition_run(instance=award, name="approve", actor=actor)


def award_reject(*, award: Award, actor, reason: str) -> Award:
    return transition_run(instance=award, name="reject", actor=actor, reason=reason)


def _criterion_names(evaluation: Evaluation) -> dict[str, str]:
    return {
        str(pk): name
        for pk, name in Criterion.objects.filter(plan_id=evaluation.plan_id).values_list(
            "pk", "name"
        )
    }


def result_letter(award: Award, proposal: Proposal) -> Message:
    """The result a vendor reads: its scores against the winner's, and the standstill end."""
    parts = result_letter_parts(award, proposal)
    link = reverse("procurement:result_letter", kwargs={"reference": award.challenge.reference})
    # The message (inbox, e-mail) says how to ask for a debrief; the page says the rest.
    debrief = parts["next_steps"][:1] if proposal.pk != award.proposal_id else []
    body = "\n\n".join([*parts["decision"], *debrief])
    return Message(title=parts["title"], body=body, link=link)


def result_letter_parts(award: Award, proposal: Proposal) -> dict:
    """The letter in its parts: its title, what was decided and why, and the next steps."""
    entries = {e.proposal_id: e for e in award.evaluation.ranking_entries.all()}
    winner = entries.get(award.proposal_id)
    own = entries.get(proposal.pk)
    challenge = award.challenge
    end = format_local(award.standstill_ends_at)
    lines = []
    if proposal.pk == award.proposal_id:
        title = _("Your proposal for %(reference)s is selected") % {
            "reference": challenge.reference
        }
        lines.append(
            _(
                "The municipality intends to award %(challenge)s to your organization. The award "
                "becomes final when the standstill period ends on %(end)s."
            )
            % {"challenge": challenge, "end": end}
        )
    else:
        title = _("The result of your proposal for %(reference)s") % {
            "reference": challenge.reference
        }
        lines.append(
            _("The municipality intends to award %(challenge)s to %(vendor)s.")
            % {"challenge": challenge, "vendor": award.proposal.vendor}
        )
    if own is None:
        lines.append(
            _("Your proposal did not pass screening and was not scored. %(reason)s")
            % {"reason": proposal.status_reason}
        )
    elif winner is not None:
        lines.append(
            _(
                "Your proposal ranked %(rank)d of %(count)d: technical score %(technical)s, "
                "price points %(price)s, total %(total)s. The selected proposal: technical score "
                "%(w_technical)s, price points %(w_price)s, total %(w_total)s."
            )
            % {
                "rank": own.rank,
                "count": len(entries),
                "technical": format_score(own.technical),
                "price": format_score(own.price_points),
                "total": format_score(own.total),
                "w_technical": format_score(winner.technical),
                "w_price": format_score(winner.price_points),
                "w_total": format_score(winner.total),
            }
        )
        names = _criterion_names(award.evaluation)
        ahead = [
            _("%(criterion)s (%(winner)s against your %(own)s)")
            % {
                "criterion": names.get(key, key),
                "winner": format_score(points),
                "own": format_score(own_points),
            }
            for key, points in sorted(winner.criterion_scores.items())
            if (own_points := own.criterion_scores.get(key)) is not None
            and float(points) > float(own_points)
        ]
        if ahead and proposal.pk != award.proposal_id:
            lines.append(
                _("The selected proposal scored higher on: %(criteria)s.")
                % {"criteria": "; ".join(ahead)}
            )
    next_steps = []
    if proposal.pk != award.proposal_id:
        next_steps.append(
            _("You may request a debrief until the standstill period ends on %(end)s.")
            % {"end": end}
        )
        next_steps.append(
            _(
                "During the standstill period no contract is signed, so that a vendor who "
                "questions the result can be heard first."
            )
        )
    else:
        next_steps.append(
            _(
                "No contract is signed during the standstill period. Once the award is final, "
                "the municipality will contact you to prepare the contract and the pilot."
            )
        )
    return {"title": title, "decision": lines, "next_steps": next_steps}


def received_proposals(challenge) -> list[Proposal]:
    return list(
        Proposal.objects.filter(challenge=challenge, status__in=Proposal.RECEIVED_STATES)
        .select_related("vendor")
        .order_by("pk")
    )


def _members(proposal: Proposal):
    User = get_user_model()
    return User.objects.filter(
        vendor_memberships__vendor_id=proposal.vendor_id, is_active=True
    ).order_by("pk")


def award_notify(*, award: Award, actor) -> Award:
    """Send every vendor with a received proposal its result; the standstill period starts.

    `notified` records that the letters went out; standstill starts in the same transaction so
    the period counts from the moment vendors were told.
    """
    with transaction.atomic():
        award = transition_run(instance=award, name="notify", actor=actor)
        for proposal in received_proposals(award.challenge):
            notifications_create(
                recipients=_members(proposal),
                kind=Kind.RESULTS,
                message=lambda proposal=proposal: result_letter(award, proposal),
                dedupe_prefix=f"award_result:{award.pk}:{proposal.pk}",
            )
        award = transition_run(instance=award, name="start_standstill", actor=actor)
    return award


def award_finalise(*, award: Award, actor, reason: str = "") -> Award:
    """After standstill: the winner is awarded, the other shortlisted proposals are
    unsuccessful and the challenge is awarded, all or nothing."""
    with transaction.atomic():
        # The challenge first, then the award, as cancelling takes them (the challenge, then its
        # proposals and award): in the opposite order the two could deadlock.
        Challenge.objects.select_for_update().filter(pk=award.challenge_id).first()
        award = transition_run(instance=award, name="finalise", actor=actor, reason=reason)
        for proposal in Proposal.objects.filter(
            challenge_id=award.challenge_id, status=Proposal.Status.SHORTLISTED
        ).order_by("pk"):
            name = "award" if proposal.pk == award.proposal_id else "mark_unsuccessful"
            why = "" if name == "award" else _("Another proposal was awarded.")
            proposal_evaluate(proposal=proposal, actor=actor, name=name, reason=why)
        challenge_transition(challenge=award.challenge, actor=actor, name="award")
    return award


def challenge_end_without_award(*, challenge: Challenge, actor, reason: str) -> Challenge:
    """End an evaluated challenge with no award; shortlisted proposals become unsuccessful and
    vendors are told (the challenge's own notification).

    An award under way is withdrawn with it, whatever its stage, as when the challenge is
    cancelled (`awards_withdraw`, an effect of the challenge's transition): vendors who were
    told of it read that it is withdrawn. A final award made the challenge awarded, which the
    challenge's own transition refuses to end.
    """
    with transaction.atomic():
        if actor is not None:
            require(
                actor,
                "procurement.end_challenge_without_award",
                challenge,
                str(ENDING_OWNER_ONLY),
            )
        with _ending(challenge):
            challenge = challenge_transition(
                challenge=challenge, actor=actor, name="end_without_award", reason=reason
            )
        for proposal in Proposal.objects.filter(
            challenge=challenge, status=Proposal.Status.SHORTLISTED
        ).order_by("pk"):
            proposal_evaluate(
                proposal=proposal,
                actor=actor,
                name="mark_unsuccessful",
                reason=_("The challenge ended without an award."),
            )
    return challenge


def awards_withdraw(*, instance: Challenge, actor=None) -> list[Award]:
    """Effect of `Challenge.cancel` and `Challenge.end_without_award`, inside their transaction:
    the award under way, if any, is withdrawn as a system step (audited, with the challenge's
    reason). Its standstill and debrief window end and the chronograph no longer finalises it;
    vendors who were told of it are told it is withdrawn (`notifications.award_withdrawn`)."""
    if instance.status == Challenge.Status.CANCELLED:
        reason, cause = instance.cancellation_reason, "cancel"
    else:
        reason, cause = last_reason(instance, "end_without_award"), "end_without_award"
    awards = Award.objects.select_for_update().filter(
        challenge_id=instance.pk, status__in=Award.LIVE_STATES
    )
    return [
        transition_run(instance=award, name="withdraw", actor=None, reason=reason, cause=cause)
        for award in awards.order_by("pk")
    ]


def debrief_request(*, award: Award, actor, message: str = "") -> DebriefRequest:
    """A vendor member asks for a debrief while the standstill period runs."""
    with transaction.atomic():
        award = Award.objects.select_for_update().get(pk=award.pk)
        require(
            actor,
            "procurement.request_debrief",
            award,
            _("Only a vendor whose proposal was received can request a debrief."),
        )
        if not award.debrief_window_open:
            raise TransitionRefused(
                _("Debriefs can be requested from the result letter until the standstill ends.")
            )
        vendor_ids = VendorMembership.objects.filter(user_id=actor.pk).values("vendor_id")
        proposal = Proposal.objects.filter(
            challenge_id=award.challenge_id,
            vendor_id__in=vendor_ids,
            status__in=Proposal.RECEIVED_STATES,
        ).first()
        try:
            with transaction.atomic():
                request = DebriefRequest.objects.create(
                    award=award,
                    proposal=proposal,
                    requested_by=actor,
                    message=(message or "").strip(),
                )
        except IntegrityError as exc:
            raise InvalidInput(_("A debrief was already requested for this proposal.")) from exc
        challenge = award.challenge
        notifications_create(
            recipients=[challenge.owner],
            kind=Kind.DEBRIEF_REQUESTED,
            message=lambda: Message(
                title=_("Debrief requested on %(reference)s") % {"reference": challenge.reference},
                body=_("%(vendor)s asks for a debrief before %(end)s.")
                % {"vendor": proposal.vendor, "end": format_local(award.standstill_ends_at)},
                link=_award_url(challenge),
            ),
            dedupe_prefix=f"debrief_requested:{request.pk}",
        )
    return request
