"""Residents' input given online, with or without an account (docs/engagement.md).

Input is open while the challenge is in co-design, and feedback while its pilot runs
(`input_stages`); the server decides the stage. A moderator reads every contribution before it
is shown, and only what the resident agreed to publish is ever shown.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import get_language

from core.audit import audit_created
from core.permissions import can
from core.validation import full_clean_or_invalid

from .input_stages import input_closed_message, open_input_stage
from .models import Challenge, CommunityInput

# What a resident fills in; the rest (stage, source, author, language) is the server's.
INPUT_FIELDS = ("kind", "body", "neighbourhood", "author_name", "consent_to_publish")
AUDITED_FIELDS = (*INPUT_FIELDS, "stage", "source", "language", "groups")


def _active_language() -> str:
    code = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    return code if code in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


@transaction.atomic
def community_input_give(
    *, challenge: Challenge, actor, groups=(), language: str = "", **data
) -> CommunityInput:
    """A resident's input, from the form or the API. `actor` may be anonymous; a signed-in
    resident is recorded as its author (shown to staff only)."""
    challenge = Challenge.objects.select_for_update().get(pk=challenge.pk)
    if not can(actor, "challenges.add_communityinput", challenge):
        raise PermissionDenied(input_closed_message(challenge))
    unknown = sorted(set(data) - set(INPUT_FIELDS))
    if unknown:
        # A programming error, not a resident's: the form and the API offer only INPUT_FIELDS.
        raise TypeError(f"Unexpected input fields: {', '.join(unknown)}")
    community_input = CommunityInput(
        challenge=challenge,
        author=actor if getattr(actor, "is_authenticated", False) else None,
        stage=open_input_stage(challenge),
        source=CommunityInput.Source.ONLINE,
        language=language or _active_language(),
        **data,
    )
    for name in ("body", "author_name", "neighbourhood"):
        setattr(community_input, name, (getattr(community_input, name) or "").strip())
    full_clean_or_invalid(community_input)
    community_input.save()
    community_input.groups.set([g for g in groups if g.active])
    audit_created(obj=community_input, actor=actor, fields=AUDITED_FIELDS)
    return community_input
