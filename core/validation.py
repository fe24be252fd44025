from django.core.exceptions import ValidationError
from django_fsm import FSMFieldMixin

from .errors import InvalidInput


def full_clean_or_invalid(instance, *, exclude=None) -> None:
    """Run model validation and raise InvalidInput with field errors (400 in the API).

    State fields are left out: they change only through transitions, and cleaning one would
    write to a protected field.
    """
    exclude = set(exclude or ())
    exclude.update(f.name for f in instance._meta.fields if isinstance(f, FSMFieldMixin))
    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as exc:
        field_errors = exc.message_dict if hasattr(exc, "error_dict") else {}
        raise InvalidInput(exc.messages, field_errors=field_errors) from exc
