"""The app's URLs plus the benchmark's reference: the same 20 challenges the list API's first
page shows, read with `.values()` and returned as JSON, with nothing else around them. What an
endpoint costs beyond this is what it adds to the database's own work."""

from django.http import JsonResponse
from django.urls import path

from challenges.models import Challenge
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


urlpatterns = [path("bench/bare-values/", bare_values), *app_urlpatterns]
