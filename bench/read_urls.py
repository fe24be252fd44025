"""The app's URLs plus the benchmark's reference: the same 20 challenges the list API's first
page shows, read with `.values()` and returned as JSON, with nothing else around them. What an
endpoint costs beyond this is what it adds to the database's own work."""

from django.http import JsonResponse
from django.urls import path

from challenges.models import (
    Addendum,
    Challenge,
    CommunityInput,
    EngagementActivity,
    Question,
    ResponseQuestion,
)
from challenges.selectors import LIST_ORDER
from config.urls import urlpatterns as app_urlpatterns

BARE_COLUMNS = (
    "reference",
    "title",
    "summary",
    "status",
    "questions_deadline",
    "submission_deadline",
    "published_at",
    "department__slug",
    "department__name",
)


def bare_values(request):
    rows = Challenge.objects.filter(status=Challenge.Status.PUBLISHED).order_by(*LIST_ORDER)
    return JsonResponse({"results": list(rows.values(*BARE_COLUMNS)[:20])})


def bare_detail(request, reference):
    """The reads a challenge's public page makes, bare: the challenge, its answered questions,
    engagement activities, response questions, published input and issued addenda."""
    challenge = (
        Challenge.objects.filter(reference=reference)
        .values("id", "reference", "title", "summary", "problem", "context", "department__name")
        .get()
    )
    of = {"challenge_id": challenge["id"]}
    return JsonResponse(
        {
            "challenge": challenge,
            "questions": list(
                Question.objects.filter(**of, status=Question.Status.ANSWERED).values(
                    "body", "answer", "answered_at"
                )
            ),
            "activities": list(EngagementActivity.objects.filter(**of).values()),
            "response_questions": list(ResponseQuestion.objects.filter(**of).values()),
            "input": list(
                CommunityInput.objects.filter(**of, status=CommunityInput.Status.PUBLISHED).values(
                    "kind", "body", "created_at"
                )
            ),
            "addenda": list(
                Addendum.objects.filter(**of, status=Addendum.Status.ISSUED).values(
                    "number", "title", "body", "issued_at"
                )
            ),
        }
    )


urlpatterns = [
    path("bench/bare-values/", bare_values),
    path("bench/bare-detail/<str:reference>/", bare_detail),
    *app_urlpatterns,
]
