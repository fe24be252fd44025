from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    Case,
    CharField,
    Count,
    DateField,
    DateTimeField,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce, RowNumber
from django.utils import timezone

from challenges.models import Challenge, Question
from challenges.selectors import challenge_published_input
from core.permissions import can
from evaluation.models import Evaluation, PanelAssignment
from vendors import sealing

from .models import (
    Award,
    Contract,
    ContractTerm,
    Measurement,
    Milestone,
    Notification,
    OutcomeIndicator,
    Pilot,
    ReminderDelivery,
)


def notifications_for_admin() -> QuerySet[Notification]:
    """Every notification but those sealed with a challenge still open: they tell who bids."""
    return Notification.objects.exclude(sealed_with__in=sealing.sealed_challenges())


def reminders_for_admin() -> QuerySet[ReminderDelivery]:
    """Every planned reminder but those of a sealed audience (vendors with a draft) about a
    challenge still open: whether a vendor is reminded tells that it has a draft."""
    from .audiences import sealed_audience_names

    return ReminderDelivery.objects.exclude(
        audience__in=sealed_audience_names(),
        content_type=ContentType.objects.get_for_model(Challenge),
        object_id__in=sealing.sealed_challenges().values("pk"),
    )


def unread_count(*, user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def inbox(*, user) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-id")


PUBLISHED_STATES = (
    Challenge.Status.PUBLISHED,
    Challenge.Status.CLOSED,
    Challenge.Status.EVALUATING,
    Challenge.Status.AWARDED,
    Challenge.Status.NOT_AWARDED,
)


def is_published(challenge: Challenge) -> bool:
    """Whether the challenge was published once: its public record (outcomes, open data) exists,
    cancelled since or not."""
    return challenge.published_at is not None and (
        challenge.status in PUBLISHED_STATES or challenge.status == Challenge.Status.CANCELLED
    )


def announced_q():
    """Awards vendors were told of, withdrawn since or not, as a filter."""
    return Q(status__in=Award.ANNOUNCED_STATES) | Q(
        status=Award.Status.WITHDRAWN, withdrawn_from__in=Award.ANNOUNCED_STATES
    )


# The public outcomes page -------------------------------------------------------------------------


def announced_award(*, challenge: Challenge) -> Award | None:
    """The award vendors were told of, as the open data publishes it:
    a recommendation or an approval stays internal until the letters go out; an announced award
    withdrawn since (the challenge was cancelled or ended without it) is still shown, as such."""
    return (
        Award.objects.filter(announced_q(), challenge=challenge)
        .select_related("proposal__vendor", "proposal__price_envelope")
        .first()
    )


def public_input_count(*, challenge: Challenge) -> int:
    """How many residents' contributions were published: a number, never who sent them."""
    return challenge_published_input(challenge=challenge).count()


def challenge_contract(*, challenge: Challenge) -> Contract | None:
    """The challenge's contract (one per award; a challenge has one final award), with its
    award and vendor."""
    return (
        Contract.objects.filter(challenge=challenge)
        .select_related("award__proposal__vendor", "challenge")
        .first()
    )


def contract_terms(*, contract: Contract, user) -> list[ContractTerm]:
    """The terms `user` may read, in the contract's order: confidential ones for municipal staff
    only (`procurement.view_confidential_contract_terms`)."""
    terms = ContractTerm.objects.filter(contract=contract).order_by("order", "pk")
    if not can(user, "procurement.view_confidential_contract_terms", contract):
        terms = terms.filter(confidential=False)
    return list(terms)


def terms_by_topic(terms: list[ContractTerm]) -> list[tuple[str, list[ContractTerm]]]:
    """Terms grouped under their topic's label, in the order of the topics."""
    groups: dict[str, list[ContractTerm]] = {}
    for term in terms:
        groups.setdefault(term.topic, []).append(term)
    return [
        (label, groups[value]) for value, label in ContractTerm.Topic.choices if value in groups
    ]


def outcome_pilot(*, challenge: Challenge) -> Pilot | None:
    """The challenge's pilot with its milestones, indicators and their measurements, in four
    queries however many there are."""
    return (
        Pilot.objects.filter(challenge=challenge)
        .prefetch_related(
            Prefetch("milestones", queryset=Milestone.objects.order_by("due_on", "pk")),
            Prefetch(
                "indicators",
                queryset=OutcomeIndicator.objects.order_by("pk").prefetch_related(
                    Prefetch(
                        "measurements",
                        queryset=Measurement.objects.order_by("measured_on", "pk"),
                    )
                ),
            ),
        )
        .first()
    )


# The staff dashboard -----------------------------------------------------------------------------

# Panel members who still owe something: the declaration, then their scores.
PANEL_UNFINISHED = (PanelAssignment.Status.INVITED, PanelAssignment.Status.ACCEPTED)
# Evaluation stages in which scores are still expected from the panel.
PANEL_SCORING_STAGES = (
    Evaluation.Status.SETUP,
    Evaluation.Status.SCREENING,
    Evaluation.Status.SCORING,
)


@dataclass(frozen=True)
class DeadlineItem:
    """One dated thing on the dashboard: an overdue step or an upcoming deadline.

    `at` is the instant it falls due (and the sort key); `on` is set instead of a time for a date
    without one (a pilot milestone is due on a day: `at` is then the end of that day).
    """

    kind: str
    at: datetime
    challenge: Challenge
    on: date | None = None
    subject: object = None
    count: int = 0


def dashboard_challenges(*, user, mine: bool = False, search: str = "") -> QuerySet[Challenge]:
    """Every challenge the dashboard covers: all of them, or the user's own, matching `search`."""
    challenges = Challenge.objects.all()
    if mine:
        challenges = challenges.filter(owner_id=user.pk)
    if search:
        challenges = challenges.filter(Q(title__icontains=search) | Q(reference__icontains=search))
    return challenges


def dashboard_stage_counts(*, challenges: QuerySet[Challenge]) -> dict[str, int]:
    """How many challenges are in each stage, in one query."""
    rows = challenges.order_by().values("status").annotate(count=Count("pk"))
    return {row["status"]: row["count"] for row in rows}


def _end_of_day(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


def dashboard_stage_challenges(
    *, challenges: QuerySet[Challenge], now: datetime, per_stage: int
) -> QuerySet[Challenge]:
    """The first `per_stage` challenges of each stage, soonest next date first, in one query.

    Each row carries the date of its current step: `next_kind` names it, `next_at` is a moment
    (a deadline, a panel's scores due, the end of standstill), `next_on` a day (the next pilot
    milestone). A challenge in a stage with no dated step has neither.
    """
    scores_due = (
        PanelAssignment.objects.filter(
            evaluation__challenge=OuterRef("pk"),
            status__in=PANEL_UNFINISHED,
            evaluation__status__in=PANEL_SCORING_STAGES,
        )
        .order_by("due_at")
        .values("due_at")[:1]
    )
    standstill_end = Award.objects.filter(
        challenge=OuterRef("pk"), status=Award.Status.STANDSTILL
    ).values("standstill_ends_at")[:1]
    milestone_due = (
        Milestone.objects.filter(pilot__challenge=OuterRef("pk"), done_on__isnull=True)
        .exclude(pilot__status__in=Pilot.ENDED_STATES)
        .order_by("due_on")
        .values("due_on")[:1]
    )
    published = Q(status=Challenge.Status.PUBLISHED)
    questions_ahead = published & Q(questions_deadline__gt=now)
    evaluating = Q(status=Challenge.Status.EVALUATING)
    awarded = Q(status=Challenge.Status.AWARDED)
    return (
        challenges.select_related("owner")
        .annotate(
            scores_due=Subquery(scores_due),
            standstill_end=Subquery(standstill_end),
            milestone_due=Subquery(milestone_due),
        )
        .annotate(
            next_kind=Case(
                When(questions_ahead, then=Value("questions_deadline")),
                When(published, then=Value("submission_deadline")),
                When(evaluating & Q(standstill_end__isnull=False), then=Value("standstill_end")),
                When(evaluating & Q(scores_due__isnull=False), then=Value("scores_due")),
                When(awarded & Q(milestone_due__isnull=False), then=Value("milestone_due")),
                default=Value(""),
                output_field=CharField(),
            ),
            next_at=Case(
                When(questions_ahead, then=F("questions_deadline")),
                When(published, then=F("submission_deadline")),
                When(evaluating, then=Coalesce("standstill_end", "scores_due")),
                default=None,
                output_field=DateTimeField(),
            ),
            next_on=Case(
                When(awarded, then=F("milestone_due")),
                default=None,
                output_field=DateField(),
            ),
        )
        .annotate(
            position=Window(
                RowNumber(),
                partition_by=[F("status")],
                order_by=[
                    F("next_at").asc(nulls_last=True),
                    F("next_on").asc(nulls_last=True),
                    F("created_at").desc(),
                    F("pk").desc(),
                ],
            )
        )
        .filter(position__lte=per_stage)
        .order_by("status", "position")
    )


def _standstill_items(challenges, kind: str, limit: int, **window) -> list[DeadlineItem]:
    """Awards in standstill whose end falls in `window`, soonest first."""
    awards = (
        Award.objects.filter(challenge__in=challenges, status=Award.Status.STANDSTILL, **window)
        .select_related("challenge__owner")
        .order_by("standstill_ends_at", "pk")[: limit + 1]
    )
    return [
        DeadlineItem(kind=kind, at=a.standstill_ends_at, challenge=a.challenge, subject=a)
        for a in awards
    ]


def _panel_items(challenges, kind: str, limit: int, **window) -> list[DeadlineItem]:
    """Panel members who still owe their declaration or scores, due in `window`."""
    assignments = (
        PanelAssignment.objects.filter(
            evaluation__challenge__in=challenges,
            status__in=PANEL_UNFINISHED,
            evaluation__status__in=PANEL_SCORING_STAGES,
            **window,
        )
        .exclude(evaluation__challenge__status=Challenge.Status.CANCELLED)
        .select_related("evaluator", "evaluation__challenge__owner")
        .order_by("due_at", "pk")[: limit + 1]
    )
    return [
        DeadlineItem(kind=kind, at=a.due_at, challenge=a.evaluation.challenge, subject=a)
        for a in assignments
    ]


def _milestone_items(challenges, kind: str, limit: int, **window) -> list[DeadlineItem]:
    """Milestones not done of pilots still running, due on a day in `window`."""
    milestones = (
        Milestone.objects.filter(pilot__challenge__in=challenges, done_on__isnull=True, **window)
        .exclude(pilot__status__in=Pilot.ENDED_STATES)
        .select_related("pilot__challenge__owner")
        .order_by("due_on", "pk")[: limit + 1]
    )
    return [
        DeadlineItem(
            kind=kind,
            at=_end_of_day(m.due_on),
            on=m.due_on,
            challenge=m.pilot.challenge,
            subject=m,
        )
        for m in milestones
    ]


def dashboard_overdue(
    *, challenges: QuerySet[Challenge], now: datetime, limit: int
) -> list[DeadlineItem]:
    """Steps past their time and not done, longest overdue first; at most `limit` + 1 of each
    kind, so a caller showing `limit` knows whether there were more.

    A challenge whose scheduled step (`next_due_at`) passed is one the chronograph could not
    move on (closing is refused while questions are open) or has not reached yet.
    """
    today = timezone.localdate(now)
    items = []
    stuck = (
        challenges.filter(next_due_at__lte=now)
        .select_related("owner")
        .annotate(
            open_questions=Count("questions", filter=Q(questions__status=Question.Status.SUBMITTED))
        )
        .order_by("next_due_at", "pk")[: limit + 1]
    )
    for challenge in stuck:
        closing = challenge.submission_deadline is not None and challenge.submission_deadline <= now
        items.append(
            DeadlineItem(
                kind="close_overdue" if closing else "scheduled_step",
                at=challenge.next_due_at,
                challenge=challenge,
                count=challenge.open_questions,
            )
        )
    unanswered = (
        challenges.filter(status=Challenge.Status.PUBLISHED, questions_deadline__lte=now)
        .select_related("owner")
        .annotate(
            open_questions=Count("questions", filter=Q(questions__status=Question.Status.SUBMITTED))
        )
        .filter(open_questions__gt=0)
        .order_by("questions_deadline", "pk")[: limit + 1]
    )
    for challenge in unanswered:
        items.append(
            DeadlineItem(
                kind="questions_unanswered",
                at=challenge.questions_deadline,
                challenge=challenge,
                count=challenge.open_questions,
            )
        )
    items += _standstill_items(challenges, "award_not_final", limit, standstill_ends_at__lte=now)
    items += _panel_items(challenges, "scores_late", limit, due_at__lte=now)
    items += _milestone_items(challenges, "milestone_late", limit, due_on__lt=today)
    return sorted(items, key=lambda item: (item.at, item.kind, item.challenge.pk))


def dashboard_upcoming(
    *, challenges: QuerySet[Challenge], now: datetime, days: int, limit: int
) -> list[DeadlineItem]:
    """Deadlines in the next `days` days, soonest first; at most `limit` + 1 of each kind."""
    horizon = now + timedelta(days=days)
    today, last_day = timezone.localdate(now), timezone.localdate(horizon)
    items = []
    open_challenges = (
        challenges.filter(status=Challenge.Status.PUBLISHED)
        .filter(
            Q(questions_deadline__gt=now, questions_deadline__lte=horizon)
            | Q(submission_deadline__gt=now, submission_deadline__lte=horizon)
        )
        .select_related("owner")
        .order_by("submission_deadline", "pk")[: limit + 1]
    )
    for challenge in open_challenges:
        for kind in ("questions_deadline", "submission_deadline"):
            moment = getattr(challenge, kind)
            if moment is not None and now < moment <= horizon:
                items.append(DeadlineItem(kind=kind, at=moment, challenge=challenge))
    items += _standstill_items(
        challenges,
        "standstill_end",
        limit,
        standstill_ends_at__gt=now,
        standstill_ends_at__lte=horizon,
    )
    items += _panel_items(challenges, "scores_due", limit, due_at__gt=now, due_at__lte=horizon)
    items += _milestone_items(
        challenges, "milestone_due", limit, due_on__gte=today, due_on__lte=last_day
    )
    return sorted(items, key=lambda item: (item.at, item.kind, item.challenge.pk))
