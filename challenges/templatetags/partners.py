"""{% recording_for %} on a person's preferences: where they record for a community partner,
in one query, so a partner's contact finds their challenges without a link on every page."""

from django import template

from challenges.models import ChallengePartner

register = template.Library()


@register.inclusion_tag("challenges/partners/_recording_for.html", takes_context=True)
def recording_for(context):
    user = context["request"].user
    return {"count": ChallengePartner.objects.filter(contact_user=user).count()}
