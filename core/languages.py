"""Content in both official languages (django-modeltranslation): which language a reader is shown
a translated field in, so that a text written only in the other one is marked as such."""

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _

# "(French only)" in the reader's language, per language the text was written in.
ONLY_IN = {"en": _("English only"), "fr": _("French only")}


def content_languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def shown_language(obj, field: str) -> str:
    """The language `obj.<field>` is read in now: the reader's if written in it, else the first
    other language it exists in; the reader's when it is empty in all."""
    reader = translation.get_language() or settings.LANGUAGE_CODE
    reader = reader.split("-")[0]
    if getattr(obj, f"{field}_{reader}", None):
        return reader
    for code in content_languages():
        if code != reader and getattr(obj, f"{field}_{code}", None):
            return code
    return reader


def other_language_only(obj, field: str) -> str:
    """The language `obj.<field>` exists in when it does not exist in the reader's, else ""."""
    reader = (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
    shown = shown_language(obj, field)
    return "" if shown == reader else shown
