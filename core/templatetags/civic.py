"""Template helpers: permission checks through `rules`; moments, days, numbers and money in the
reader's language (core.timefmt, core.numfmt); step and state labels (core.steps)."""

from django import template
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import translation
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.html import format_html
from django.utils.text import capfirst, format_lazy

from core.languages import IN_LANGUAGE, ONLY_IN, other_language_only
from core.numfmt import format_money, format_number, format_score
from core.permissions import can
from core.steps import state_label, step_label
from core.timefmt import format_day, format_local, format_local_exact

register = template.Library()


@register.simple_tag
def user_can(user, perm, obj=None):
    return can(user, perm, obj)


def _model_of(subject):
    """The model an audit entry is about, or the model of an instance, class or label."""
    content_type_id = getattr(subject, "content_type_id", None)
    if content_type_id is not None:
        return ContentType.objects.get_for_id(content_type_id).model_class()
    return subject


def _field(model, name: str):
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:  # a field since removed, or an envelope part such as "price"
        return None


def _field_label(model, name: str) -> str:
    field = _field(model, name)
    language = getattr(field, "language", None)
    if language in IN_LANGUAGE and hasattr(field, "translated_field"):
        # A text in one official language (django-modeltranslation): "title in English".
        return str(format_lazy(IN_LANGUAGE[language], name=field.translated_field.verbose_name))
    if field is not None and hasattr(field, "verbose_name"):
        return str(field.verbose_name)
    return name.replace("_", " ")


def _value_label(model, name: str, value):
    """A recorded value (JSON: codes, ISO dates, decimals as text) as the pages print it."""
    field = _field(model, name)
    if field is None or value is None or isinstance(value, bool):
        return value
    choices = dict(getattr(field, "flatchoices", None) or ())
    if choices and isinstance(value, str | int) and value in choices:
        return str(choices[value])
    if isinstance(field, models.DateTimeField) and isinstance(value, str):
        when = parse_datetime(value)
        return format_local(when) if when else value
    if isinstance(field, models.DateField) and isinstance(value, str):
        parsed = parse_date(value)
        return format_day(parsed) if parsed else value
    if isinstance(field, models.DecimalField | models.FloatField):
        return format_number(value, field.decimal_places if hasattr(field, "decimal_places") else 2)
    return value


@register.filter
def audit_change_rows(entry):
    """An audit entry's field changes (field, before, after, withheld), with the field's name
    and chosen values as people read them."""
    from core.audit import audit_changes

    model = _model_of(entry)
    return [
        {
            **row,
            "field": _field_label(model, row["field"]),
            "before": _value_label(model, row["field"], row["before"]),
            "after": _value_label(model, row["field"], row["after"]),
        }
        for row in audit_changes(entry)
    ]


@register.simple_tag
def audit_head():
    """The latest published checkpoint of the audit chain (core.audit_chain.audit_checkpoints)."""
    from core.audit_chain import audit_checkpoints

    return audit_checkpoints(count=1)[0]


@register.filter
def step(subject, of=None):
    """A step's label: `{{ entry|step }}` for an audit entry, `{{ "approve"|step:award }}`."""
    if of is None:
        return step_label(_model_of(subject), getattr(subject, "transition", ""))
    return step_label(_model_of(of), subject)


@register.filter
def state(value, of):
    """A state's label: `{{ entry.source|state:entry }}`, `{{ "closed"|state:challenge }}`."""
    return state_label(_model_of(of), value)


@register.filter
def subject(entry):
    """What an audit entry is about, in the reader's language. The entry's own label was written
    once, in English (`Question 5 on RVB-2027-001`), and stays as written (the chain hashes it);
    readers of another language get the kind of thing in theirs (« Question », « Addenda »)."""
    if translation.get_language() == "en":
        return entry.object_label
    model = _model_of(entry)
    if model is None:
        return entry.object_label
    return capfirst(str(model._meta.verbose_name))


@register.filter
def moment(value):
    """A date and time in the municipality's zone and the reader's language, zone named."""
    return format_local(value)


@register.filter
def moment_exact(value):
    """A moment to the millisecond in the municipality's zone (a submission's arrival)."""
    return format_local_exact(value)


# The names templates used before `moment`; both stay in use.
register.filter("local_datetime", moment)
register.filter("local_datetime_exact", moment_exact)


@register.filter
def day(value):
    """A date without a time, in the reader's language: 'Mar 3, 2027', « 3 mars 2027 »."""
    return format_day(value)


@register.filter
def number(value, places=2):
    """A quantity in the reader's language, at most `places` decimals: '1,234.5', « 1 234,5 »."""
    return format_number(value, int(places))


@register.filter
def score(value):
    """A score with the precision that matters: '66', '66.67', « 66,67 »."""
    return format_score(value)


@register.filter
def money(value):
    """An amount in the municipality's currency: '$118,500', « 118 500 $ »."""
    return format_money(value)


@register.simple_tag
def lang_attr(obj, field):
    """` lang="fr"` on the element showing `obj.<field>` when it is shown in the other language
    (screen readers then pronounce it right); nothing otherwise."""
    code = other_language_only(obj, field)
    return format_html(' lang="{}"', code) if code else ""


@register.simple_tag
def language_mark(obj, field):
    """A visible mark, "(French only)", after a text that exists only in the other language."""
    code = other_language_only(obj, field)
    if not code:
        return ""
    return format_html(' <span class="language-mark">({})</span>', ONLY_IN.get(code, code))
