from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from core.errors import InvalidInput
from core.tokens import new_token, token_digest

from ..models import Notification, PersonPreferences
from .notifications import preferences_for


@transaction.atomic
def preferences_update(*, actor, language: str, email_kinds) -> PersonPreferences:
    """Set the person's language and the kinds of notification they want by email."""
    languages = {code for code, _name in settings.LANGUAGES}
    if language not in languages:
        raise InvalidInput(
            _("Choose one of the offered languages."),
            field_errors={"language": [_("Choose one of the offered languages.")]},
        )
    kinds = set(Notification.Kind.values)
    unknown = set(email_kinds) - kinds
    if unknown:
        raise InvalidInput(_("Unknown notification kinds: %(kinds)s.") % {"kinds": sorted(unknown)})
    preferences = PersonPreferences.objects.select_for_update().get(pk=preferences_for(actor).pk)
    preferences.language = language
    preferences.email_muted_kinds = sorted(kinds - set(email_kinds))
    preferences.save(update_fields=["language", "email_muted_kinds"])
    return preferences


@transaction.atomic
def calendar_token_regenerate(*, actor) -> tuple[PersonPreferences, str]:
    """A new private calendar address, and its token to show once; the old address stops
    working at once. Only the token's digest is kept."""
    preferences = PersonPreferences.objects.select_for_update().get(pk=preferences_for(actor).pk)
    token = new_token()
    preferences.calendar_token_digest = token_digest(token)
    preferences.save(update_fields=["calendar_token_digest"])
    return preferences, token
