"""Errors a service raises; pages show them as messages, the API maps them to status codes."""

from django.core.exceptions import PermissionDenied  # noqa: F401  (re-exported: 403)
from django.utils.functional import Promise


class ServiceError(Exception):
    """A refused action. `messages` are sentences that tell the user what to do next."""

    def __init__(self, messages, *, field_errors=None):
        # A lazy translation is one sentence too, not a sequence of characters.
        if isinstance(messages, str | Promise):
            messages = [messages]
        self.messages = [str(m) for m in messages]
        self.field_errors = {k: [str(m) for m in v] for k, v in (field_errors or {}).items()}
        super().__init__(" ".join(self.messages))


class InvalidInput(ServiceError):
    """Bad input (400)."""


class TransitionRefused(ServiceError):
    """The object is not in a state, or does not meet the conditions, for this step (409)."""

    def __init__(self, messages, *, allowed=(), field_errors=None):
        super().__init__(messages, field_errors=field_errors)
        self.allowed = list(allowed)
