"""Residents' input given online, with or without an account, or gathered offline by staff or a
partner (docs/engagement.md).

Input is open while the challenge is in co-design, and feedback while its pilot runs
(`input_stages`); the server decides the stage. A moderator reads every contribution before it
is shown, and only what the resident agreed to publish is ever shown.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from core.audit import audit_created
from core.errors import InvalidInput
from core.permissions import can
from core.validation import full_clean_or_invalid

from .input_stages import input_closed_message, open_input_stage
from .models import Challenge, ChallengePartner, CommunityInput

# What a resident fills in; the rest (stage, source, author, language) is the server's.
INPUT_FIELDS = ("kind", "body", "neighbourhood", "author_name", "consent_to_publish")
AUDITED_FIELDS = (*INPUT_FIELDS, "stage", "source", "language", "groups")
OFFLINE_AUDITED_FIELDS = (*AUDITED_FIELDS, "recorded_by", "partner")
# What the owner or a partner's contact types in, in the form's order (form and API alike).
OFFLINE_INPUT_FIELDS = (
    "source",
    "partner",
    "kind",
    "body",
    "author_name",
    "neighbourhood",
    "groups",
    "consent_to_publish",
    "language",
)
OFFLINE_SOURCES = tuple(
    s for s in CommunityInput.Source.values if s != CommunityInput.Source.ONLINE
)


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


def offline_input_denied_message(challenge: Challenge) -> str:
    if open_input_stage(challenge) is None:
        return input_closed_message(challenge)
    return _(
        "Input gathered offline is recorded by the challenge's owner or by the contact person "
        "of one of its community partners."
    )


def _recording_partner(challenge: Challenge, actor, partner):
    """The partner who gathered the input: the actor's own organization when they record as a
    partner contact; for the owner, one of the challenge's partners they name, or none."""
    partnerships = ChallengePartner.objects.filter(challenge=challenge).select_related("partner")
    own = [p.partner for p in partnerships if p.contact_user_id == actor.pk]
    as_contact = bool(own) and challenge.owner_id != actor.pk
    if partner is None:
        return own[0] if as_contact else None
    partner_id = getattr(partner, "pk", partner)
    allowed = own if as_contact else [p.partner for p in partnerships]
    chosen = next((p for p in allowed if p.pk == partner_id), None)
    if chosen is None:
        message = _("Choose the partner who gathered it among this challenge's partners.")
        raise InvalidInput(message, field_errors={"partner": [message]})
    return chosen


@transaction.atomic
def community_input_record_offline(
    *,
    challenge: Challenge,
    actor,
    source: str,
    body: str,
    kind: str = CommunityInput.Kind.COMMENT,
    author_name: str = "",
    neighbourhood: str = "",
    groups=(),
    consent_to_publish: bool = False,
    language: str = "",
    partner=None,
) -> CommunityInput:
    """Input a resident gave on paper, by phone, at a pop-up, by e-mail or at a meeting, typed in
    by the owner or a partner's contact as the resident gave it. It waits for moderation like
    input given online, and is published only if the resident agreed."""
    challenge = Challenge.objects.select_for_update().get(pk=challenge.pk)
    if not can(actor, "challenges.record_offline_input", challenge):
        raise PermissionDenied(offline_input_denied_message(challenge))
    if source not in OFFLINE_SOURCES:
        message = _(
            "Say how the input was gathered: on paper, by phone, at a pop-up, by "
            "e-mail or letter, or at a meeting."
        )
        raise InvalidInput(message, field_errors={"source": [message]})
    community_input = CommunityInput(
        challenge=challenge,
        author=None,
        recorded_by=actor,
        partner=_recording_partner(challenge, actor, partner),
        stage=open_input_stage(challenge),
        source=source,
        language=language or _active_language(),
        kind=kind,
        body=(body or "").strip(),
        author_name=(author_name or "").strip(),
        neighbourhood=(neighbourhood or "").strip(),
        consent_to_publish=bool(consent_to_publish),
    )
    full_clean_or_invalid(community_input)
    community_input.save()
    community_input.groups.set([g for g in groups if g.active])
    audit_created(obj=community_input, actor=actor, fields=OFFLINE_AUDITED_FIELDS)
    return community_input
