"""Reads of community partners (docs/engagement.md), each in a fixed number of queries."""

from django.db.models import Prefetch, prefetch_related_objects

from .models import ChallengePartner, EngagementActivity


def challenge_partnerships(*, challenge, with_contacts=False) -> list[ChallengePartner]:
    """The challenge's partners, each with the groups it serves and the challenge's activities
    it co-hosted (`partner.cohosted`): three queries, however many partners."""
    rows = ChallengePartner.objects.filter(challenge=challenge).select_related("partner")
    if with_contacts:
        rows = rows.select_related("contact_user")
    partnerships = list(rows)
    if partnerships:
        prefetch_related_objects(
            [p.partner for p in partnerships],
            "groups_served",
            Prefetch(
                "activities",
                queryset=EngagementActivity.objects.filter(challenge=challenge),
                to_attr="cohosted",
            ),
        )
    return partnerships


def partnerships_of_contact(*, user) -> list[ChallengePartner]:
    """Where this person is a partner's contact, newest challenge first."""
    return list(
        ChallengePartner.objects.filter(contact_user=user)
        .select_related("partner", "challenge", "challenge__department")
        .order_by("-challenge__created_at", "partner__name")
    )


def partnerships_count_of_contact(*, user) -> int:
    """On how many challenges this person is a partner's contact."""
    return ChallengePartner.objects.filter(contact_user=user).count()
