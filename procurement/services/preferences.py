from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from core.errors import InvalidInput

from ..models import Notification, PersonPreferences
from ..models.notifications import new_calendar_token
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
def calendar_token_regenerate(*, actor) -> PersonPreferences:
    """A new private calendar address; the old one stops working at once."""
    preferences = PersonPreferences.objects.select_for_update().get(pk=preferences_for(actor).pk)
    preferences.calendar_token = new_calendar_token()
    preferences.save(update_fields=["calendar_token"])
    return preferences
