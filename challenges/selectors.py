"""Reads for challenges: every list a page or endpoint shows comes from here."""

from django.db import connection
from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from core.predicates import is_admin, is_approver, is_staff_member

from .models import (
    ActivityReach,
    Addendum,
    Challenge,
    CommunityInput,
    EngagementActivity,
    PartnerOrganization,
    Question,
    ResponseQuestion,
)


def _user_secrets(relation: str) -> tuple[str, ...]:
    """A listing shows who wrote a row by name; it never loads their password hash."""
    return (f"{relation}__password", f"{relation}__last_login")


def _sees_internal(user) -> bool:
    return bool(is_staff_member(user) or is_approver(user) or is_admin(user))


# The order of every challenge list: open challenges first, then closed, then the rest (cancelled
# last), each group newest publication first (unpublished ones first within theirs). The index
# `challenge_list_order` serves it, so a page is read from the index, never sorted.
LIST_ORDER = ("list_group", "-published_at", "-created_at", "-id")
# The columns a list shows (board cards, the list API, the portal's open challenges).
LIST_COLUMNS = (
    "reference",
    "title",
    "summary",
    "status",
    "questions_deadline",
    "submission_deadline",
    "published_at",
    "created_at",
    "department__slug",
    "department__name",
)


def visible_challenges(*, user) -> QuerySet[Challenge]:
    """Challenges `user` may see: public ones for everyone, all of them for municipal staff."""
    qs = Challenge.objects.all()
    if not _sees_internal(user):
        qs = qs.filter(
            Q(status__in=Challenge.PUBLIC_STATES)
            | Q(status=Challenge.Status.CANCELLED, published_at__isnull=False)
        )
    return qs


def _filtered(qs, *, user, search, status, department, mine):
    if mine and getattr(user, "is_authenticated", False):
        qs = qs.filter(owner=user)
    if search:
        qs = qs.filter(
            Q(title__icontains=search)
            | Q(summary__icontains=search)
            | Q(problem__icontains=search)
            | Q(reference__iexact=search)
        )
    if status:
        qs = qs.filter(status=status)
    if department:
        qs = qs.filter(department__slug=department)
    return qs


def _answered_questions():
    return Question.objects.filter(status=Question.Status.ANSWERED)


def _issued_addenda():
    return Addendum.objects.filter(status=Addendum.Status.ISSUED)


def _count_of(rows):
    """A correlated count of `rows` of the outer challenge, 0 when there are none."""
    counted = (
        rows.filter(challenge=OuterRef("pk"))
        .order_by()
        .values("challenge")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted), 0)


def challenge_board(
    *, user, search: str = "", status: str = "", department: str = "", mine: bool = False
) -> QuerySet[Challenge]:
    """A list of the challenges `user` may see: only the columns a list shows, in index order.

    No joins but the department's, so counting it for a paginator reads only the challenges.
    The answered question and issued addendum counts are read for the page alone, with
    `challenge_list_counts`.
    """
    qs = _filtered(
        visible_challenges(user=user),
        user=user,
        search=search,
        status=status,
        department=department,
        mine=mine,
    )
    return qs.select_related("department").only(*LIST_COLUMNS).order_by(*LIST_ORDER)


# One small query for a page's counts, written out: building it with the ORM (two grouped
# querysets and their union) cost more than running it, on every list request.
_PAGE_COUNTS_SQL = """
    SELECT challenge_id, 'answered', COUNT(*) FROM {questions}
     WHERE challenge_id IN ({ids}) AND status = %s GROUP BY challenge_id
    UNION ALL
    SELECT challenge_id, 'issued', COUNT(*) FROM {addenda}
     WHERE challenge_id IN ({ids}) AND status = %s GROUP BY challenge_id
"""


def challenge_list_counts(challenges) -> list[Challenge]:
    """Sets `answered_question_count` and `issued_addendum_count` on a page of challenges.

    One query for the page's rows alone, however deep the page.
    """
    challenges = list(challenges)
    counts = {}
    if challenges:
        ids = [c.pk for c in challenges]
        sql = _PAGE_COUNTS_SQL.format(
            questions=connection.ops.quote_name(Question._meta.db_table),
            addenda=connection.ops.quote_name(Addendum._meta.db_table),
            ids=", ".join(["%s"] * len(ids)),
        )
        params = [*ids, Question.Status.ANSWERED, *ids, Addendum.Status.ISSUED]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            counts = {(pk, kind): n for pk, kind, n in cursor.fetchall()}
    for challenge in challenges:
        challenge.answered_question_count = counts.get((challenge.pk, "answered"), 0)
        challenge.issued_addendum_count = counts.get((challenge.pk, "issued"), 0)
    return challenges


def challenge_list(
    *, user, search: str = "", status: str = "", department: str = "", mine: bool = False
) -> QuerySet[Challenge]:
    """Challenges `user` may see, whole, with their counts: for reading one (`.get()`)."""
    qs = _filtered(
        visible_challenges(user=user),
        user=user,
        search=search,
        status=status,
        department=department,
        mine=mine,
    )
    return (
        qs.select_related("department")
        .annotate(
            answered_question_count=_count_of(_answered_questions()),
            issued_addendum_count=_count_of(_issued_addenda()),
        )
        .order_by(*LIST_ORDER)
    )


def challenge_public_questions(*, challenge: Challenge) -> QuerySet[Question]:
    return challenge.questions.filter(status=Question.Status.ANSWERED).order_by("answered_at")


def challenge_questions_for(*, challenge: Challenge, user) -> QuerySet[Question]:
    """Staff see every question with its asker; a vendor sees its own; the public, answers."""
    if _sees_internal(user):
        return (
            challenge.questions.select_related("asked_by")
            .defer(*_user_secrets("asked_by"))
            .order_by("asked_at", "id")
        )
    if getattr(user, "is_authenticated", False):
        return challenge.questions.filter(
            Q(status=Question.Status.ANSWERED) | Q(asked_by=user)
        ).order_by("asked_at", "id")
    return challenge_public_questions(challenge=challenge)


def challenge_issued_addenda(*, challenge: Challenge) -> QuerySet[Addendum]:
    return challenge.addenda.filter(status=Addendum.Status.ISSUED).order_by("number")


def challenge_published_input(*, challenge: Challenge) -> QuerySet[CommunityInput]:
    return challenge.community_inputs.filter(status=CommunityInput.Status.PUBLISHED)


def challenge_engagement_activities(
    *, challenge: Challenge, with_reach: bool = False
) -> QuerySet[EngagementActivity]:
    """`with_reach`: with each activity's participants per group and its co-hosts."""
    activities = challenge.engagement_activities.order_by("held_on", "id")
    if with_reach:
        activities = activities.prefetch_related(
            Prefetch("reach", queryset=ActivityReach.objects.select_related("group")),
            Prefetch("partners", queryset=PartnerOrganization.objects.only("id", "name")),
        )
    return activities


def challenge_input_for(*, challenge: Challenge, user) -> QuerySet[CommunityInput]:
    """Staff see all input with its author (to moderate it); everyone else, published input."""
    if _sees_internal(user):
        return (
            challenge.community_inputs.select_related("author")
            .defer(*_user_secrets("author"))
            .order_by("created_at", "id")
        )
    return challenge_published_input(challenge=challenge).order_by("created_at", "id")


def challenge_addenda_for(*, challenge: Challenge, user) -> QuerySet[Addendum]:
    """Staff see drafts too; everyone else, issued addenda."""
    if _sees_internal(user):
        return challenge.addenda.order_by("number", "id")
    return challenge_issued_addenda(challenge=challenge)


def challenge_response_questions(*, challenge: Challenge) -> QuerySet[ResponseQuestion]:
    """The questions every vendor answers, in the order they are asked."""
    return challenge.response_questions.order_by("order", "id")
