"""{% recording_for %} on a person's preferences: where they record for a community partner,
in one query, so a partner's contact finds their challenges without a link on every page."""

from django import template

from challenges.partner_selectors import partnerships_count_of_contact

register = template.Library()


@register.inclusion_tag("challenges/partners/_recording_for.html", takes_context=True)
def recording_for(context):
    user = context["request"].user
    return {"count": partnerships_count_of_contact(user=user)}
