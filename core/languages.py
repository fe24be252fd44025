"""Content in both official languages (django-modeltranslation): which language a reader is shown
a translated field in, so that a text written only in the other one is marked as such."""

from django.conf import settings
from django.utils import translation
from django.utils.text import capfirst, format_lazy
from django.utils.translation import gettext_lazy as _

# "(French only)" in the reader's language, per language the text was written in.
ONLY_IN = {"en": _("English only"), "fr": _("French only")}
# A translated field's label in one language: "Title in English", « Titre en anglais ».
IN_LANGUAGE = {"en": _("{name} in English"), "fr": _("{name} in French")}


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


def in_both_languages(*fields: str) -> tuple[str, ...]:
    """The columns holding `fields` in each official language: title_en, title_fr, ..."""
    return tuple(f"{field}_{code}" for field in fields for code in content_languages())


def unwritten(obj, fields) -> list[str]:
    """Those of `fields` that `obj` has in no language at all."""
    return [
        field
        for field in fields
        if not any((getattr(obj, name) or "").strip() for name in in_both_languages(field))
    ]


def strip_translations(obj, fields) -> None:
    """Trim the text of `fields` in each language; an empty one becomes "not written" (None),
    so readers fall back to the other language."""
    for name in in_both_languages(*fields):
        value = getattr(obj, name)
        if isinstance(value, str):
            setattr(obj, name, value.strip() or None)


def one_language_message(model, field: str):
    """ "Title: write it in English, in French or in both." for `model.<field>`."""
    return format_lazy(
        _("{name}: write it in English, in French or in both."),
        name=capfirst(model._meta.get_field(field).verbose_name),
    )


def unwritten_errors(obj, fields) -> dict[str, list[str]]:
    """Field errors, on each field's first language, for those of `fields` written in none."""
    first = content_languages()[0]
    return {
        f"{field}_{first}": [str(one_language_message(type(obj), field))]
        for field in unwritten(obj, fields)
    }
