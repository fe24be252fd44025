"""Reads for challenges: every list a page or endpoint shows comes from here."""

from django.db.models import Count, Q, QuerySet

from core.predicates import is_admin, is_approver, is_staff_member

from .models import (
    Addendum,
    Challenge,
    CommunityInput,
    EngagementActivity,
    Question,
    ResponseQuestion,
)


def _sees_internal(user) -> bool:
    return bool(is_staff_member(user) or is_approver(user) or is_admin(user))


def challenge_list(
    *, user, search: str = "", status: str = "", department: str = "", mine: bool = False
) -> QuerySet[Challenge]:
    """Challenges `user` may see: public ones for everyone, all of them for municipal staff."""
    qs = Challenge.objects.select_related("department", "owner")
    if not _sees_internal(user):
        qs = qs.filter(
            Q(status__in=Challenge.PUBLIC_STATES)
            | Q(status=Challenge.Status.CANCELLED, published_at__isnull=False)
        )
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
    return qs.annotate(
        answered_question_count=Count(
            "questions", filter=Q(questions__status=Question.Status.ANSWERED), distinct=True
        ),
        issued_addendum_count=Count(
            "addenda", filter=Q(addenda__status=Addendum.Status.ISSUED), distinct=True
        ),
    ).order_by("-published_at", "-created_at", "-id")


def challenge_public_questions(*, challenge: Challenge) -> QuerySet[Question]:
    return challenge.questions.filter(status=Question.Status.ANSWERED).order_by("answered_at")


def challenge_questions_for(*, challenge: Challenge, user) -> QuerySet[Question]:
    """Staff see every question with its asker; a vendor sees its own; the public, answers."""
    if _sees_internal(user):
        return challenge.questions.select_related("asked_by").order_by("asked_at", "id")
    if getattr(user, "is_authenticated", False):
        return challenge.questions.filter(
            Q(status=Question.Status.ANSWERED) | Q(asked_by=user)
        ).order_by("asked_at", "id")
    return challenge_public_questions(challenge=challenge)


def challenge_issued_addenda(*, challenge: Challenge) -> QuerySet[Addendum]:
    return challenge.addenda.filter(status=Addendum.Status.ISSUED).order_by("number")


def challenge_published_input(*, challenge: Challenge) -> QuerySet[CommunityInput]:
    return challenge.community_inputs.filter(status=CommunityInput.Status.PUBLISHED)


def challenge_pending_input(*, challenge: Challenge) -> QuerySet[CommunityInput]:
    return challenge.community_inputs.filter(status=CommunityInput.Status.PENDING).select_related(
        "author"
    )


def challenge_engagement_activities(*, challenge: Challenge) -> QuerySet[EngagementActivity]:
    return challenge.engagement_activities.order_by("held_on", "id")


def challenge_input_for(*, challenge: Challenge, user) -> QuerySet[CommunityInput]:
    """Staff see all input with its author (to moderate it); everyone else, published input."""
    if _sees_internal(user):
        return challenge.community_inputs.select_related("author").order_by("created_at", "id")
    return challenge_published_input(challenge=challenge).order_by("created_at", "id")


def challenge_addenda_for(*, challenge: Challenge, user) -> QuerySet[Addendum]:
    """Staff see drafts too; everyone else, issued addenda."""
    if _sees_internal(user):
        return challenge.addenda.order_by("number", "id")
    return challenge_issued_addenda(challenge=challenge)


def challenge_response_questions(*, challenge: Challenge) -> QuerySet[ResponseQuestion]:
    """The questions every vendor answers, in the order they are asked."""
    return challenge.response_questions.order_by("order", "id")
