"""Every write to a challenge's "you said, we did" (docs/engagement.md): themes the owner groups
community input into, each with what residents said and what the city did about it.

Each write locks the challenge's row first, so two tabs of the owner cannot interleave (moving
two themes at once would give them the same position), and is audited in its transaction,
filed under the challenge.
"""

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.audit import audit_change, audit_created, audit_deleted, audit_diff, audit_values
from core.errors import InvalidInput, TransitionRefused
from core.permissions import require
from core.validation import full_clean_or_invalid

from .models import Challenge, CommunityInput, InputTheme

# Each required text in English, French or both: a reader sees their language, else the other.
BILINGUAL_FIELDS = ("title", "you_said", "we_did")
THEME_FIELDS = (
    "title_en",
    "title_fr",
    "you_said_en",
    "you_said_fr",
    "outcome",
    "we_did_en",
    "we_did_fr",
)
MOVE_DIRECTIONS = ("up", "down")
# Set by the service (or read through the translated columns), never reported as input errors.
_NOT_INPUT = ("challenge", "created_by", "position", *BILINGUAL_FIELDS)

THEME_DENIED = gettext_lazy(
    "Only the challenge's owner groups its input into themes and records what the city did, "
    "from co-design until the challenge ends (a cancelled challenge's themes stay as they were)."
)
REQUIRED_TEXT = {
    "title": gettext_lazy("Name the theme in English, in French or in both."),
    "you_said": gettext_lazy("Say what residents said, in English, in French or in both."),
    "we_did": gettext_lazy(
        "Say what changed, or why nothing did, in English, in French or in both."
    ),
}


def _lock(challenge_id: int, actor) -> Challenge:
    challenge = Challenge.objects.select_for_update().get(pk=challenge_id)
    require(actor, "challenges.change_inputtheme", challenge, str(THEME_DENIED))
    return challenge


def _locked_theme(theme: InputTheme, actor) -> InputTheme:
    """The theme, re-read under its challenge's lock; refused if it was deleted meanwhile."""
    challenge = _lock(theme.challenge_id, actor)
    locked = InputTheme.objects.filter(pk=theme.pk, challenge=challenge).first()
    if locked is None:
        raise TransitionRefused(
            _("This theme was deleted in the meantime; reload the page to see the themes.")
        )
    locked.challenge = challenge
    return locked


def _assign(theme: InputTheme, data: dict) -> None:
    unknown = sorted(set(data) - set(THEME_FIELDS))
    if unknown:
        raise InvalidInput(
            _("These fields cannot be set here: %(fields)s.") % {"fields": ", ".join(unknown)}
        )
    for name, value in data.items():
        if isinstance(value, str):
            value = value.strip()
        if name != "outcome" and value == "":
            value = None  # an empty translation is "not written", and the reader falls back
        setattr(theme, name, value)


def _clean(theme: InputTheme) -> None:
    errors: dict[str, list[str]] = {}
    for field in BILINGUAL_FIELDS:
        if not getattr(theme, f"{field}_en") and not getattr(theme, f"{field}_fr"):
            errors[f"{field}_en"] = [str(REQUIRED_TEXT[field])]
    try:
        full_clean_or_invalid(theme, exclude=[*_NOT_INPUT, *errors])
    except InvalidInput as exc:
        for name, messages in exc.field_errors.items():
            errors.setdefault(name, []).extend(messages)
    if errors:
        raise InvalidInput(
            [m for messages in errors.values() for m in messages], field_errors=errors
        )


@transaction.atomic
def theme_create(*, challenge: Challenge, actor, **data) -> InputTheme:
    """Add a theme at the end of the challenge's list."""
    challenge = _lock(challenge.pk, actor)
    theme = InputTheme(challenge=challenge, created_by=actor)
    _assign(theme, data)
    _clean(theme)
    last = challenge.input_themes.aggregate(last=Max("position"))["last"]
    theme.position = 1 if last is None else last + 1
    theme.save()
    audit_created(obj=theme, actor=actor, fields=(*THEME_FIELDS, "position"))
    return theme


@transaction.atomic
def theme_update(*, theme: InputTheme, actor, **data) -> InputTheme:
    theme = _locked_theme(theme, actor)
    before = audit_values(theme, THEME_FIELDS)
    _assign(theme, data)
    _clean(theme)
    theme.save()
    audit_change(obj=theme, actor=actor, action="update", changes=audit_diff(before, theme))
    return theme


def _unassign_audited(community_input: CommunityInput, actor, *, action: str) -> None:
    audit_change(
        obj=community_input,
        actor=actor,
        action=action,
        changes={"theme": (community_input.theme_id, None)},
    )


@transaction.atomic
def theme_delete(*, theme: InputTheme, actor) -> None:
    """Delete a theme; its input is not deleted but ungrouped, each one audited, so the owner
    can group it again."""
    theme = _locked_theme(theme, actor)
    grouped = list(CommunityInput.objects.filter(theme=theme).only("pk", "challenge_id", "theme"))
    for community_input in grouped:
        _unassign_audited(community_input, actor, action="unassign_theme")
    CommunityInput.objects.filter(pk__in=[i.pk for i in grouped]).update(theme=None)
    audit_deleted(obj=theme, actor=actor, fields=(*THEME_FIELDS, "position"))
    theme.delete()


@transaction.atomic
def theme_move(*, theme: InputTheme, actor, direction: str) -> InputTheme:
    """Swap the theme with the one before it ("up") or after it ("down"), numbering the list
    1, 2, 3... on the way so themes that share a position end up in a definite order."""
    theme = _locked_theme(theme, actor)
    if direction not in MOVE_DIRECTIONS:
        raise InvalidInput(
            _("Choose whether to move the theme up or down."),
            field_errors={"direction": [_("Choose “up” or “down”.")]},
        )
    themes = list(InputTheme.objects.filter(challenge=theme.challenge).order_by("position", "pk"))
    index = next(i for i, row in enumerate(themes) if row.pk == theme.pk)
    target = index - 1 if direction == "up" else index + 1
    if not 0 <= target < len(themes):
        message = (
            _("This is already the first theme; it cannot move up.")
            if direction == "up"
            else _("This is already the last theme; it cannot move down.")
        )
        raise InvalidInput(message, field_errors={"direction": [message]})
    themes[index], themes[target] = themes[target], themes[index]
    before = audit_values(theme, ("position",))
    changed = []
    for position, row in enumerate(themes, start=1):
        if row.position != position:
            row.position = position
            changed.append(row)
    InputTheme.objects.bulk_update(changed, ["position"])
    moved = next(row for row in themes if row.pk == theme.pk)
    moved.challenge = theme.challenge
    audit_change(obj=moved, actor=actor, action="move", changes=audit_diff(before, moved))
    return moved


def _locked_input(community_input: CommunityInput, challenge: Challenge) -> CommunityInput:
    locked = (
        CommunityInput.objects.select_for_update()
        .filter(pk=community_input.pk, challenge=challenge)
        .first()
    )
    if locked is None:
        raise InvalidInput(
            _("This input is not part of this challenge."),
            field_errors={"input": [_("Choose input given on this challenge.")]},
        )
    return locked


@transaction.atomic
def input_assign_theme(
    *, community_input: CommunityInput, theme: InputTheme, actor
) -> CommunityInput:
    """Group published or pending input under one of its challenge's themes (pending input
    counts publicly only once published). Input not published is never grouped: it is shown
    nowhere, so it cannot stand behind what residents said."""
    if theme.challenge_id != community_input.challenge_id:
        raise InvalidInput(
            _("Choose a theme of this input's challenge."),
            field_errors={"theme": [_("Choose a theme of this challenge.")]},
        )
    theme = _locked_theme(theme, actor)
    community_input = _locked_input(community_input, theme.challenge)
    if community_input.status == CommunityInput.Status.REJECTED:
        raise TransitionRefused(
            _(
                "This input was not published, so it is not grouped into a theme: only "
                "published input, or input awaiting moderation, stands behind what residents said."
            )
        )
    if community_input.theme_id == theme.pk:
        return community_input
    before = audit_values(community_input, ("theme",))
    community_input.theme = theme
    community_input.save(update_fields=["theme"])
    audit_change(
        obj=community_input,
        actor=actor,
        action="assign_theme",
        changes=audit_diff(before, community_input),
    )
    return community_input


@transaction.atomic
def input_unassign_theme(*, community_input: CommunityInput, actor) -> CommunityInput:
    """Take input out of its theme (nothing to do when it is in none)."""
    _lock(community_input.challenge_id, actor)
    community_input = _locked_input(community_input, Challenge(pk=community_input.challenge_id))
    if community_input.theme_id is None:
        return community_input
    _unassign_audited(community_input, actor, action="unassign_theme")
    community_input.theme = None
    community_input.save(update_fields=["theme"])
    return community_input
