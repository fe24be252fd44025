"""Which events notify whom (DESIGN.md §4): transition → recipients and message.

Each handler runs as a transition effect (core.workflow), inside the transaction of the step it
reports, after the row is saved: the notification rows commit or roll back with the step, and
their emails are queued only after commit. A higher app's event (a panel assignment) is
registered here the same way with `register_event`.
"""

from collections.abc import Callable

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _

from core import roles
from core.audit import last_reason
from core.timefmt import format_local
from core.workflow import register_transition_effect

from .message import Message
from .models import Notification
from .services.notifications import notifications_create

Kind = Notification.Kind


def register_event(model_label: str, transition: str, handler: Callable) -> None:
    """Call `handler(instance=..., actor=...)` after `transition` of `model_label` succeeds."""
    register_transition_effect(model_label, transition, handler)


def vendor_members(challenge):
    """People acting for a vendor with a proposal on `challenge`, whatever its state. Messages to
    them are written `sealed_with` the challenge: before closing they tell who is bidding."""
    User = get_user_model()
    return User.objects.filter(
        vendor_memberships__vendor__proposals__challenge=challenge, is_active=True
    ).distinct()


def askers(challenge):
    User = get_user_model()
    return User.objects.filter(questions_asked__challenge=challenge, is_active=True).distinct()


def concerned_vendors(challenge) -> list:
    """Vendors who follow or took part: members of vendors with a proposal, and askers."""
    people = {u.pk: u for u in vendor_members(challenge)}
    people.update({u.pk: u for u in askers(challenge)})
    return [people[pk] for pk in sorted(people)]


def question_answered(*, instance, actor):
    challenge = instance.challenge
    notifications_create(
        recipients=concerned_vendors(challenge),
        kind=Kind.QUESTION_ANSWERED,
        message=lambda: Message(
            title=_("A question about %(reference)s was answered")
            % {"reference": challenge.reference},
            body=_("Question: %(question)s\n\nAnswer: %(answer)s")
            % {"question": instance.body, "answer": instance.answer},
            link=challenge.get_absolute_url() + "#questions",
        ),
        dedupe_prefix=f"question_answered:{instance.pk}",
        exclude=actor,
        sealed_with=challenge,
    )


def reconfirming_members(challenge):
    """People acting for a vendor whose proposal on `challenge` awaits re-confirmation."""
    from vendors.models import Proposal

    User = get_user_model()
    return User.objects.filter(
        vendor_memberships__vendor__proposals__challenge=challenge,
        vendor_memberships__vendor__proposals__status=Proposal.Status.NEEDS_RECONFIRMATION,
        is_active=True,
    ).distinct()


def addendum_issued(*, instance, actor):
    """One message per person: vendors whose proposal must be re-confirmed read what to do (the
    vendors' effect flagged their proposals earlier in the same transaction); everyone else
    concerned reads the addendum."""
    challenge = instance.challenge
    text = _("%(title)s\n\n%(body)s") % {"title": instance.title, "body": instance.body}
    reconfirming = list(reconfirming_members(challenge)) if instance.is_material else []
    notifications_create(
        recipients=reconfirming,
        kind=Kind.ADDENDUM_ISSUED,
        message=lambda: Message(
            title=_("Addendum %(number)s to %(reference)s: re-confirm your proposal")
            % {"number": instance.number, "reference": challenge.reference},
            body=text
            + "\n\n"
            + _(
                "This addendum changes the terms or dates, so your submitted proposal now needs "
                "re-confirmation. Read the addendum, then re-confirm your proposal (or withdraw "
                "and revise it) before the submission deadline, %(deadline)s. A proposal not "
                "re-confirmed by then will not be evaluated."
            )
            % {"deadline": format_local(challenge.submission_deadline)},
            link=challenge.get_absolute_url() + "#addenda",
        ),
        dedupe_prefix=f"addendum_issued:{instance.pk}",
        exclude=actor,
        sealed_with=challenge,
    )
    notifications_create(
        recipients=[u for u in concerned_vendors(challenge) if u not in reconfirming],
        kind=Kind.ADDENDUM_ISSUED,
        message=lambda: Message(
            title=_("Addendum %(number)s to %(reference)s")
            % {"number": instance.number, "reference": challenge.reference},
            body=text
            + (
                "\n\n"
                + _(
                    "This addendum changes the terms or dates: a submitted proposal must be "
                    "re-confirmed before the submission deadline."
                )
                if instance.is_material
                else ""
            ),
            link=challenge.get_absolute_url() + "#addenda",
        ),
        dedupe_prefix=f"addendum_issued:{instance.pk}",
        exclude=actor,
        sealed_with=challenge,
    )


def approval_requested(*, instance, actor):
    User = get_user_model()
    approvers = (
        User.objects.filter(groups__name=roles.APPROVER, is_active=True)
        .exclude(pk=instance.owner_id)
        .distinct()
        .order_by("pk")
    )
    notifications_create(
        recipients=approvers,
        kind=Kind.APPROVAL_REQUESTED,
        message=lambda: Message(
            title=_("%(reference)s awaits your approval") % {"reference": instance.reference},
            body=_("%(owner)s submitted %(challenge)s for review. Approve it or request changes.")
            % {
                "owner": instance.owner.get_full_name() or instance.owner.get_username(),
                "challenge": instance,
            },
            link=instance.get_absolute_url(),
        ),
        exclude=actor,
    )


def challenge_closed(*, instance, actor):
    recipients = [instance.owner, *vendor_members(instance)]
    notifications_create(
        recipients=recipients,
        kind=Kind.CHALLENGE_CLOSED,
        message=lambda: Message(
            title=_("%(reference)s is closed") % {"reference": instance.reference},
            body=_(
                "%(challenge)s closed at %(closed)s. Proposals submitted before the deadline "
                "were received; the others lapsed."
            )
            % {"challenge": instance, "closed": format_local(instance.closed_at)},
            link=instance.get_absolute_url(),
        ),
        dedupe_prefix=f"challenge_closed:{instance.pk}",
        sealed_with=instance,
    )


def challenge_cancelled(*, instance, actor):
    notifications_create(
        recipients=concerned_vendors(instance),
        kind=Kind.CHALLENGE_CANCELLED,
        message=lambda: Message(
            title=_("%(reference)s was cancelled") % {"reference": instance.reference},
            body=_("%(challenge)s was cancelled. Reason: %(reason)s")
            % {"challenge": instance, "reason": instance.cancellation_reason},
            link=instance.get_absolute_url(),
        ),
        dedupe_prefix=f"challenge_cancelled:{instance.pk}",
        exclude=actor,
        sealed_with=instance,
    )


def challenge_ended_without_award(*, instance, actor):
    reason = last_reason(instance, "end_without_award")
    notifications_create(
        recipients=concerned_vendors(instance),
        kind=Kind.RESULTS,
        message=lambda: Message(
            title=_("%(reference)s ended without an award") % {"reference": instance.reference},
            body=_("%(challenge)s ended without an award. Reason: %(reason)s")
            % {"challenge": instance, "reason": reason},
            link=instance.get_absolute_url(),
        ),
        dedupe_prefix=f"challenge_not_awarded:{instance.pk}",
        exclude=actor,
        sealed_with=instance,
    )


def award_withdrawn(*, instance, actor):
    """The award vendors were told of is off: the members of every vendor whose proposal was
    received read it, with the challenge's reason. An award never announced stays internal."""
    if not instance.was_announced:
        return
    from vendors.models import Proposal

    challenge = instance.challenge
    User = get_user_model()
    vendor_ids = Proposal.objects.filter(Proposal.received_q(), challenge=challenge).values(
        "vendor_id"
    )
    recipients = (
        User.objects.filter(vendor_memberships__vendor_id__in=vendor_ids, is_active=True)
        .distinct()
        .order_by("pk")
    )
    cancelled = challenge.status == challenge.Status.CANCELLED

    def message():
        if cancelled:
            why = _("The municipality cancelled %(challenge)s.") % {"challenge": challenge}
        else:
            why = _("%(challenge)s ended without an award.") % {"challenge": challenge}
        return Message(
            title=_("The award of %(reference)s is withdrawn") % {"reference": challenge.reference},
            body=_(
                "%(why)s The award to %(vendor)s announced on %(notified)s is withdrawn: no "
                "contract will be signed, and the standstill period and debrief requests end. "
                "Reason: %(reason)s"
            )
            % {
                "why": why,
                "vendor": instance.proposal.vendor,
                "notified": format_local(instance.notified_at),
                "reason": instance.withdrawal_reason,
            },
            link=challenge.get_absolute_url(),
        )

    notifications_create(
        recipients=recipients,
        kind=Kind.AWARD_WITHDRAWN,
        message=message,
        dedupe_prefix=f"award_withdrawn:{instance.pk}",
    )


def register_builtin_events() -> None:
    register_event("challenges.Question", "publish_answer", question_answered)
    register_event("challenges.Addendum", "issue", addendum_issued)
    register_event("challenges.Challenge", "submit_for_review", approval_requested)
    register_event("challenges.Challenge", "close", challenge_closed)
    register_event("challenges.Challenge", "cancel", challenge_cancelled)
    register_event("challenges.Challenge", "end_without_award", challenge_ended_without_award)
    register_event("procurement.Award", "withdraw", award_withdrawn)
