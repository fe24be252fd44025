"""Reads about followers: a person's own follows, a challenge's audience."""

from django.db.models import QuerySet

from .models import Follow


def follow_of(*, challenge, user) -> Follow | None:
    """`user`'s follow of `challenge`, still subscribed, or None."""
    if not getattr(user, "is_authenticated", False):
        return None
    return Follow.objects.filter(
        challenge=challenge, user=user, unsubscribed_at__isnull=True
    ).first()


def follows_of(*, user) -> QuerySet[Follow]:
    """The challenges `user` follows with their account, newest first."""
    return (
        Follow.objects.filter(user=user, unsubscribed_at__isnull=True)
        .select_related("challenge")
        .order_by("-created_at", "-id")
    )


def active_followers(*, challenge) -> QuerySet[Follow]:
    """Who hears of the challenge's news: confirmed and still subscribed."""
    return Follow.objects.filter(
        challenge=challenge, confirmed_at__isnull=False, unsubscribed_at__isnull=True
    )
