"""API conventions shared by every app (DESIGN.md §6)."""

from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from .errors import InvalidInput, ServiceError, TransitionRefused


def exception_handler(exc, context):
    """Service errors become 400 (bad input) or 409 (refused transition, with the allowed ones)."""
    if isinstance(exc, TransitionRefused):
        body = {
            "detail": " ".join(exc.messages),
            "errors": exc.messages,
            "allowed_transitions": exc.allowed,
        }
        if exc.field_errors:
            body["field_errors"] = exc.field_errors
        return Response(body, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, InvalidInput | ServiceError):
        body = {"detail": " ".join(exc.messages), "errors": exc.messages}
        body.update(exc.field_errors)
        return Response(body, status=status.HTTP_400_BAD_REQUEST)
    return drf_exception_handler(exc, context)
