from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet

from .models import AuditEntry


def audit_history(*, obj, include_related_to_challenge: bool = False) -> QuerySet[AuditEntry]:
    """The entries about `obj`; for a challenge, optionally those of its questions and addenda."""
    content_type = ContentType.objects.get_for_model(obj, for_concrete_model=True)
    condition = Q(content_type=content_type, object_id=str(obj.pk))
    if include_related_to_challenge:
        condition |= Q(metadata__challenge_id=obj.pk)
    return AuditEntry.objects.filter(condition).select_related("content_type").order_by("sequence")
