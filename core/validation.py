from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _
from django_fsm import FSMFieldMixin

from .errors import InvalidInput


def _text_length_errors(instance, exclude) -> dict[str, list[str]]:
    """Django enforces `max_length` on CharField only; a TextField's limit is a form hint.

    Services take input from the API as well as from forms, so the limit is checked here.
    """
    errors = {}
    for field in instance._meta.fields:
        if not isinstance(field, models.TextField) or not field.max_length or field.name in exclude:
            continue
        value = getattr(instance, field.attname)
        if isinstance(value, str) and len(value) > field.max_length:
            errors[field.name] = [
                _("Ensure this value has at most %(limit)d characters (it has %(length)d).")
                % {"limit": field.max_length, "length": len(value)}
            ]
    return errors


def full_clean_or_invalid(instance, *, exclude=None) -> None:
    """Run model validation and raise InvalidInput with field errors (400 in the API).

    State fields are left out: they change only through transitions, and cleaning one would
    write to a protected field.
    """
    exclude = set(exclude or ())
    exclude.update(f.name for f in instance._meta.fields if isinstance(f, FSMFieldMixin))
    field_errors = _text_length_errors(instance, exclude)
    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            for name, messages in exc.message_dict.items():
                field_errors.setdefault(name, []).extend(messages)
        else:
            field_errors.setdefault("__all__", []).extend(exc.messages)
    if field_errors:
        messages = [m for field_messages in field_errors.values() for m in field_messages]
        raise InvalidInput(messages, field_errors=field_errors)


def required_reason(reason: str, what) -> str:
    """The stripped reason a step needs (e.g. cancelling), or InvalidInput naming the step."""
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(
            _("Give a reason %(what)s.") % {"what": what},
            field_errors={"reason": [_("This field is required.")]},
        )
    return reason
