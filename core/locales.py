"""The Babel locale that dates, times, numbers and money are printed in: the reader's language
(the active Django translation) with the municipality's regional conventions."""

from functools import cache

from babel import Locale, UnknownLocaleError
from django.conf import settings
from django.utils import translation


@cache
def _parse(language: str, region: str) -> Locale:
    try:
        return Locale.parse(f"{language}_{region}")
    except (UnknownLocaleError, ValueError):
        return Locale.parse(language)


def current_locale() -> Locale:
    """en_CA or fr_CA for the active language; the site's default language outside a request."""
    language = (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
    return _parse(language, settings.MUNICIPALITY_REGION)
