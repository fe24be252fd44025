"""Links from lower apps' pages into the award, which those apps do not know about."""

from django import template
from django.urls import reverse

from challenges.models import Challenge
from core.permissions import can

from ..models import Award

register = template.Library()


@register.simple_tag
def result_letter_url(user, challenge) -> str:
    """The address of the user's result letter on this challenge, or "" when they have none:
    only a vendor whose proposal was received has one, once the letters went out."""
    if not getattr(user, "is_authenticated", False) or challenge.status not in (
        Challenge.Status.EVALUATING,
        Challenge.Status.AWARDED,
    ):
        return ""
    award = (
        Award.objects.filter(challenge=challenge, status__in=Award.ANNOUNCED_STATES)
        .only("pk", "challenge_id", "status")
        .first()
    )
    if award is None or not can(user, "procurement.request_debrief", award):
        return ""
    return reverse("procurement:result_letter", kwargs={"reference": challenge.reference})
