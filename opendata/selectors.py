from django.db.models import Q, QuerySet

from challenges.models import Challenge, DataAsset
from procurement.models import Measurement
from procurement.selectors import PUBLISHED_STATES

from .models import Release


def open_data_challenges() -> QuerySet[Challenge]:
    """Challenges whose open data is public: published once (cancelled ones included)."""
    return (
        Challenge.objects.filter(published_at__isnull=False)
        .filter(Q(status__in=PUBLISHED_STATES) | Q(status=Challenge.Status.CANCELLED))
        .select_related("department")
        .order_by("-published_at", "pk")
    )


def open_data_index() -> QuerySet[Challenge]:
    """The published challenges, with only what the index and the list API show of them."""
    return (
        open_data_challenges()
        .select_related(None)
        .only("reference", "title", "status", "published_at")
    )


def open_data_measurements() -> QuerySet[Measurement]:
    """Measurements of the pilots of published challenges, by challenge, indicator and date."""
    return (
        Measurement.objects.filter(
            indicator__pilot__challenge__in=open_data_challenges().order_by()
        )
        .select_related("indicator__pilot__challenge")
        .order_by("indicator__pilot__challenge__reference", "indicator__pk", "measured_on", "pk")
    )


def open_data_datasets() -> QuerySet[DataAsset]:
    """The public datasets of the data governance records of published challenges: one query,
    however many (a confidential row is never read)."""
    return (
        DataAsset.objects.filter(
            record__challenge__in=open_data_challenges().order_by(), confidential=False
        )
        .select_related("record__challenge")
        .order_by("record__challenge__reference", "order", "pk")
    )


def challenge_releases(*, challenge: Challenge) -> QuerySet[Release]:
    """The releases stored for a challenge, oldest first."""
    return Release.objects.filter(challenge=challenge).in_order()
