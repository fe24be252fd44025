"""{% follow_box challenge %} on the challenge page and {% followed_challenges %} on a person's
preferences: one query each, and no change to the pages' views."""

from django import template

from challenges.follow_selectors import follow_of, follows_of
from core.permissions import can

register = template.Library()


@register.inclusion_tag("challenges/follow/_box.html", takes_context=True)
def follow_box(context, challenge):
    request = context.get("request")
    user = getattr(request, "user", None)
    signed_in = bool(getattr(user, "is_authenticated", False))
    return {
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "challenge": challenge,
        "signed_in": signed_in,
        "public": challenge.is_public,
        "may_follow": signed_in and can(user, "challenges.follow_challenge", challenge),
        "follow": follow_of(challenge=challenge, user=user) if signed_in else None,
    }


@register.inclusion_tag("challenges/follow/_mine.html", takes_context=True)
def followed_challenges(context):
    request = context.get("request")
    return {
        "csrf_token": context.get("csrf_token"),
        "follows": list(follows_of(user=request.user)),
    }
