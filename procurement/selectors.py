from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet

from challenges.models import Challenge

from .models import AuditEntry, Notification


def audit_history(*, obj, include_related_to_challenge: bool = False) -> QuerySet[AuditEntry]:
    """The entries about `obj`; for a challenge, optionally those of its questions and addenda.

    Proposals are not part of a challenge's history: their steps would reveal, before closing,
    that proposals exist and how many (sealing).
    """
    content_type = ContentType.objects.get_for_model(obj, for_concrete_model=True)
    condition = Q(content_type=content_type, object_id=str(obj.pk))
    if include_related_to_challenge:
        condition |= Q(metadata__challenge_id=obj.pk, content_type__app_label="challenges")
    return AuditEntry.objects.filter(condition).select_related("content_type").order_by("sequence")


def audit_entries_visible() -> QuerySet[AuditEntry]:
    """The whole trail as back-office screens may show it: vendors' entries stay sealed until
    their challenge closes, for admins too."""
    sealed_challenges = list(
        Challenge.objects.filter(closed_at__isnull=True).values_list("pk", flat=True)
    )
    return AuditEntry.objects.exclude(
        content_type__app_label="vendors", metadata__challenge_id__in=sealed_challenges
    )


def unread_count(*, user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def inbox(*, user) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-id")


def open_data_challenges() -> QuerySet[Challenge]:
    """Challenges whose open data is public: published once (cancelled ones included)."""
    from .ocds import PUBLISHED_STATES

    return (
        Challenge.objects.filter(published_at__isnull=False)
        .filter(Q(status__in=PUBLISHED_STATES) | Q(status=Challenge.Status.CANCELLED))
        .select_related("department")
        .order_by("-published_at", "pk")
    )
