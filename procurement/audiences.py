"""Who is reminded of which deadline (DESIGN.md §4): a registry of reminder audiences.

An audience names, for one subject (a challenge, an evaluation panel...), the people who still
have something to do before one of its deadlines. Planning asks it when the subject or a trigger
row changes; delivery asks it again just before sending, so a person who finished in the meantime
is not reminded. Evaluation's audience (evaluators with unsubmitted scores) is registered here
too, from procurement's `ready()`, because imports run one way and evaluation cannot import us.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.apps import apps
from django.utils.translation import gettext as _

from core.timefmt import format_local

from .message import Message
from .models import Notification


@dataclass(frozen=True)
class Target:
    recipient_id: int
    deadline_name: str
    deadline_at: datetime


@dataclass
class Audience:
    """One kind of person to remind about one kind of subject.

    `targets(subject)` returns who is concerned now; `message(subject, target, offset)` words the
    reminder (called with the recipient's language active); `triggers` maps a model label to a
    function returning the subjects to plan again when a row of that model is saved.
    """

    name: str
    subject_model: str
    targets: Callable[[object], Iterable[Target]]
    message: Callable[[object, Target, timedelta], Message]
    triggers: dict[str, Callable[[object], Iterable[object]]] = field(default_factory=dict)
    kind: str = Notification.Kind.DEADLINE_REMINDER
    # Whether one target still holds, checked just before sending; by default, `targets` again
    # (fine for small audiences; a large one checks just the one person).
    concerns: Callable[[object, Target], bool] | None = None
    # Whether being in the audience tells something sealed (a vendor with a draft): its rows and
    # messages are then sealed with the subject challenge's proposals (vendors.sealing).
    sealed: bool = False

    # Which of several targets still hold, in one query: what a batch of deliveries asks.
    # By default `concerns` per target, or `targets` once.
    concerns_many: Callable[[object, list[Target]], Iterable[Target]] | None = None

    def still_concerns(self, subject, target: Target) -> bool:
        return target in self.concerned_among(subject, [target])

    def concerned_among(self, subject, targets: list[Target]) -> set[Target]:
        if self.concerns_many is not None:
            return set(self.concerns_many(subject, targets))
        if self.concerns is not None:
            return {target for target in targets if self.concerns(subject, target)}
        return set(self.targets(subject)) & set(targets)


_audiences: dict[str, Audience] = {}


def register_audience(audience: Audience) -> Audience:
    _audiences[audience.name] = audience
    return audience


def unregister_audience(name: str) -> None:
    _audiences.pop(name, None)


def audience_named(name: str) -> Audience | None:
    return _audiences.get(name)


def audiences_for(subject) -> list[Audience]:
    label = subject._meta.label
    return [a for a in _audiences.values() if a.subject_model == label]


def all_audiences() -> list[Audience]:
    return list(_audiences.values())


def sealed_audience_names() -> list[str]:
    return sorted(name for name, audience in _audiences.items() if audience.sealed)


def describe_offset(offset: timedelta) -> str:
    seconds = int(offset.total_seconds())
    if seconds % 86400 == 0:
        days = seconds // 86400
        return _("1 day") if days == 1 else _("%(count)d days") % {"count": days}
    if seconds % 3600 == 0:
        hours = seconds // 3600
        return _("1 hour") if hours == 1 else _("%(count)d hours") % {"count": hours}
    minutes = max(1, seconds // 60)
    return _("%(count)d minutes") % {"count": minutes}


# Vendors with a draft or a proposal that needs re-confirming, before the submission deadline.


def _open_challenge_deadline(challenge):
    Challenge = apps.get_model("challenges", "Challenge")
    if challenge.status != Challenge.Status.PUBLISHED or not challenge.submission_deadline:
        return None
    return challenge.submission_deadline


def _unsubmitted_members(challenge):
    Proposal = apps.get_model("vendors", "Proposal")
    VendorMembership = apps.get_model("vendors", "VendorMembership")
    return VendorMembership.objects.filter(
        vendor__proposals__challenge=challenge,
        vendor__proposals__status__in=[
            Proposal.Status.DRAFT,
            Proposal.Status.NEEDS_RECONFIRMATION,
        ],
    )


def vendor_unsubmitted_targets(challenge) -> list[Target]:
    deadline = _open_challenge_deadline(challenge)
    if deadline is None:
        return []
    user_ids = _unsubmitted_members(challenge).values_list("user_id", flat=True).distinct()
    return [Target(user_id, "submission_deadline", deadline) for user_id in sorted(user_ids)]


def vendor_unsubmitted_concerns(challenge, target: Target) -> bool:
    deadline = _open_challenge_deadline(challenge)
    return (
        deadline == target.deadline_at
        and target.deadline_name == "submission_deadline"
        and _unsubmitted_members(challenge).filter(user_id=target.recipient_id).exists()
    )


def vendor_unsubmitted_concerns_many(challenge, targets: list[Target]) -> list[Target]:
    """`vendor_unsubmitted_concerns` for many people at once: one query."""
    deadline = _open_challenge_deadline(challenge)
    candidates = [
        t for t in targets if t.deadline_at == deadline and t.deadline_name == "submission_deadline"
    ]
    if not candidates:
        return []
    still = set(
        _unsubmitted_members(challenge)
        .filter(user_id__in={t.recipient_id for t in candidates})
        .values_list("user_id", flat=True)
    )
    return [t for t in candidates if t.recipient_id in still]


def vendor_unsubmitted_message(challenge, target: Target, offset: timedelta) -> Message:
    return Message(
        title=_("%(left)s left to submit your proposal to %(reference)s")
        % {"left": describe_offset(offset), "reference": challenge.reference},
        body=_(
            "Your organization's proposal to %(challenge)s is not submitted (a draft, or a "
            "proposal that needs re-confirming after an addendum). The submission deadline is "
            "%(deadline)s; a proposal not submitted by then will not be evaluated."
        )
        % {"challenge": challenge, "deadline": format_local(target.deadline_at)},
        link=challenge.get_absolute_url(),
    )


def _challenges_of_vendor(vendor_id) -> Iterable[object]:
    Challenge = apps.get_model("challenges", "Challenge")
    return Challenge.objects.filter(
        proposals__vendor_id=vendor_id, status=Challenge.Status.PUBLISHED
    ).distinct()


# The owner of a challenge whose questions are still open: it cannot close until they are
# answered or dismissed, so that step is theirs before the submission deadline.


def owner_open_questions_targets(challenge) -> list[Target]:
    deadline = _open_challenge_deadline(challenge)
    if deadline is None or not challenge.questions.filter(status="submitted").exists():
        return []
    return [Target(challenge.owner_id, "submission_deadline", deadline)]


def owner_open_questions_message(challenge, target: Target, offset: timedelta) -> Message:
    count = challenge.questions.filter(status="submitted").count()
    return Message(
        title=_("%(reference)s closes in %(left)s with unanswered questions")
        % {"reference": challenge.reference, "left": describe_offset(offset)},
        body=_(
            "%(challenge)s has %(count)d question(s) waiting for an answer. It closes at its "
            "submission deadline, %(deadline)s, only once every question is answered or dismissed."
        )
        % {
            "challenge": challenge,
            "count": count,
            "deadline": format_local(target.deadline_at),
        },
        link=challenge.get_absolute_url(),
    )


def register_builtin_audiences() -> None:
    register_audience(
        Audience(
            name="vendor_unsubmitted",
            subject_model="challenges.Challenge",
            targets=vendor_unsubmitted_targets,
            message=vendor_unsubmitted_message,
            concerns=vendor_unsubmitted_concerns,
            concerns_many=vendor_unsubmitted_concerns_many,
            sealed=True,
            triggers={
                "challenges.Challenge": lambda challenge: [challenge],
                "vendors.Proposal": lambda proposal: [proposal.challenge],
                "vendors.VendorMembership": lambda m: _challenges_of_vendor(m.vendor_id),
            },
        )
    )
    register_audience(
        Audience(
            name="owner_open_questions",
            subject_model="challenges.Challenge",
            targets=owner_open_questions_targets,
            message=owner_open_questions_message,
            kind=Notification.Kind.OVERDUE_STEP,
            triggers={
                "challenges.Challenge": lambda challenge: [challenge],
                "challenges.Question": lambda question: [question.challenge],
            },
        )
    )
