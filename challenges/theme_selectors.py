"""Reading a challenge's "you said, we did" (docs/engagement.md). Public counts count published
input only; input not published is never read here."""

from django.db.models import Count, Prefetch, Q, QuerySet

from .models import Challenge, CommunityInput, InputTheme

# Input a theme may group: published, or awaiting moderation (owner's page only).
GROUPABLE = (CommunityInput.Status.PUBLISHED, CommunityInput.Status.PENDING)


def public_themes(*, challenge: Challenge | None) -> QuerySet[InputTheme]:
    """The challenge's themes in order (every challenge's with None), each with how many
    published contributions it groups: one query, however many."""
    themes = InputTheme.objects.all() if challenge is None else challenge.input_themes.all()
    return themes.annotate(
        published_input_count=Count(
            "inputs", filter=Q(inputs__status=CommunityInput.Status.PUBLISHED)
        )
    ).order_by("position", "pk")


def owner_themes(*, challenge: Challenge) -> list[InputTheme]:
    """The owner's view: each theme with its published and pending input (two queries)."""
    inputs = CommunityInput.objects.filter(status__in=GROUPABLE).order_by("created_at", "pk")
    return list(
        public_themes(challenge=challenge).prefetch_related(
            Prefetch("inputs", queryset=inputs, to_attr="grouped_inputs")
        )
    )


def ungrouped_input(*, challenge: Challenge) -> QuerySet[CommunityInput]:
    """Published and pending input in no theme yet, oldest first."""
    return challenge.community_inputs.filter(status__in=GROUPABLE, theme__isnull=True).order_by(
        "created_at", "pk"
    )
