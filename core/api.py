"""API conventions shared by every app (DESIGN.md §6).

- Service errors map to status codes: InvalidInput 400 (field errors), TransitionRefused 409 (with
  the transitions the user may run instead), PermissionDenied 403.
- Objects a user may not see answer 404 (`RulesObjectPermission`, backed by core.permissions);
  objects they may see but not act on answer 403.
- A state change is `POST /api/<things>/<id>/<transition>/`, built by `transition_action`.
- Request bodies are capped at DATA_UPLOAD_MAX_MEMORY_SIZE (core.parsers).
- Every error answers JSON of one shape (`ProblemSerializer`): a `detail` sentence, the `errors`
  and, for bad input, the field errors by field name; a path under /api/ that matches nothing
  answers a JSON 404 too (`api_not_found`). `AutoSchema` documents 400, 403 and 404 on every
  operation that does not say otherwise, so the schema lists every answer the API gives.
"""

from django.core.exceptions import NON_FIELD_ERRORS, RequestDataTooBig
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.authentication import BasicScheme
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from .errors import InvalidInput, PermissionDenied, ServiceError, TransitionRefused
from .middleware import arrival_time
from .permissions import can
from .workflow import denied_message, permitted

REASON_MAX_LENGTH = 4000


def _field_errors(errors: dict) -> dict:
    """Model-wide errors (Django's `__all__`) under DRF's name for them."""
    return {
        (api_settings.NON_FIELD_ERRORS_KEY if key == NON_FIELD_ERRORS else key): value
        for key, value in errors.items()
    }


def exception_handler(exc, context):
    """Service errors become 400 (bad input) or 409 (refused transition, with the allowed ones)."""
    if isinstance(exc, TransitionRefused):
        body = {
            "detail": " ".join(exc.messages),
            "errors": exc.messages,
            "allowed_transitions": exc.allowed,
        }
        if exc.field_errors:
            body["field_errors"] = _field_errors(exc.field_errors)
        return Response(body, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, InvalidInput | ServiceError):
        body = {"detail": " ".join(exc.messages), "errors": exc.messages}
        body.update(_field_errors(exc.field_errors))
        return Response(body, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, RequestDataTooBig):
        # Django's own limit, met when something read the body before the API's parser.
        return Response(
            {"detail": _("The request body is too large; send less data.")},
            status=status.HTTP_400_BAD_REQUEST,
        )
    if isinstance(exc, Http404 | NotFound):
        # One sentence for every 404: "No Question matches the given query" for a missing row
        # and "Not found" for a hidden one would tell which ids exist.
        return Response({"detail": _("Not found.")}, status=status.HTTP_404_NOT_FOUND)
    if isinstance(exc, ValidationError):
        return Response(_invalid_body(exc.detail), status=status.HTTP_400_BAD_REQUEST)
    return drf_exception_handler(exc, context)


def _messages(detail) -> list[str]:
    if isinstance(detail, dict):
        return [m for value in detail.values() for m in _messages(value)]
    if isinstance(detail, list | tuple):
        return [m for value in detail for m in _messages(value)]
    return [str(detail)]


def _invalid_body(detail) -> dict:
    """A serializer's errors in the shape of every other error: the sentence, the messages, and
    the field errors by field name as DRF gives them."""
    fields = detail if isinstance(detail, dict) else {}
    named = sorted(str(name) for name in fields if name != api_settings.NON_FIELD_ERRORS_KEY)
    if named:
        sentence = _("Correct these fields and send the request again: %(fields)s.") % {
            "fields": ", ".join(named)
        }
    else:
        sentence = " ".join(_messages(detail)) or _("Correct the request and send it again.")
    return {**fields, "detail": sentence, "errors": _messages(detail)}


def api_not_found(request, exception=None):
    """The 404 of a path under /api/ that matches no endpoint: JSON like every API error."""
    return JsonResponse({"detail": _("Not found.")}, status=status.HTTP_404_NOT_FOUND)


class AutoSchema(SpectacularAutoSchema):
    """Every operation documents the errors every endpoint can answer (bad input, not
    permitted, not found or not visible), unless it documents them itself."""

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        defaults = error_responses(bad_input=self._takes_input())
        for code, response in defaults.items():
            if str(code) not in responses:
                responses[str(code)] = self._get_response_for_code(
                    response, str(code), None, direction
                )
        return responses

    def _takes_input(self) -> bool:
        if self.method in ("POST", "PUT", "PATCH"):
            return True
        return any(p.get("in") == "query" for p in self._get_parameters())


class HardenedBasicScheme(BasicScheme):
    """Documents core.authentication.BasicAuthentication as plain HTTP Basic."""

    target_class = "core.authentication.BasicAuthentication"


# Permissions


class RulesObjectPermission(BasePermission):
    """Object checks through the rules registry (never `user.has_perm`, see core.permissions).

    The view names `view_permission`: an object the user may not see answers 404, so its
    existence does not leak. What the user may do with it is the service's check (403), or, for
    transitions, `transition_action`'s.
    """

    def has_object_permission(self, request, view, obj):
        view_permission = getattr(view, "view_permission", None)
        if view_permission and not can(request.user, view_permission, obj):
            raise Http404
        return True


# Transitions as actions


class ProblemSerializer(serializers.Serializer):
    """A refused or invalid request. Bad input adds each field's errors under its name."""

    detail = serializers.CharField()
    errors = serializers.ListField(child=serializers.CharField(), required=False)


class TransitionRefusedSerializer(ProblemSerializer):
    """A step refused in this state: why, and what the user may do instead."""

    allowed_transitions = serializers.ListField(child=serializers.CharField())


class ReasonInput(serializers.Serializer):
    """Optional reason recorded in the audit trail."""

    reason = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=REASON_MAX_LENGTH
    )


class RequiredReasonInput(serializers.Serializer):
    """The reason is kept with the step and shown to the people it affects."""

    reason = serializers.CharField(max_length=REASON_MAX_LENGTH)


def error_responses(*, bad_input=True, forbidden=True, conflict=False) -> dict:
    """The error answers an operation documents, for `extend_schema(responses=...)`."""
    responses = {}
    if bad_input:
        responses[400] = OpenApiResponse(
            ProblemSerializer, description=gettext_lazy("Bad input, with field errors.")
        )
    if forbidden:
        responses[403] = OpenApiResponse(
            ProblemSerializer, description=gettext_lazy("Not permitted.")
        )
    responses[404] = OpenApiResponse(
        ProblemSerializer, description=gettext_lazy("Not found or not visible.")
    )
    if conflict:
        responses[409] = OpenApiResponse(
            TransitionRefusedSerializer,
            description=gettext_lazy(
                "Refused in the current state; lists the allowed transitions."
            ),
        )
    return responses


def transition_action(
    name: str,
    *,
    run,
    output,
    input_serializer=ReasonInput,
    summary: str = "",
    description: str = "",
    tags=None,
    arrival: bool = False,
):
    """A `POST <detail>/<name>/` action running transition `name` through a service.

    `run(obj=..., actor=..., name=..., **validated_input)` is the app's service call and returns
    the updated object; `output` serializes it (200). With `arrival`, `run` also gets
    `arrived_at`, when the request reached the server (core.middleware), for a step judged
    against a deadline. The order of answers is: not visible 404,
    not permitted 403, bad input 400, refused in this state 409. Assign the result to a class
    attribute of the same name:

        approve = transition_action("approve", run=_run, output=ChallengeOutput)
    """

    def view(self, request, *args, **kwargs):
        obj = self.get_object()
        # Permission before input: whoever may not act learns nothing from validation errors.
        if not permitted(obj, name, request.user):
            raise PermissionDenied(denied_message(obj, name))
        data = {}
        if input_serializer is not None:
            serializer = input_serializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            data = serializer.validated_data
        if arrival:
            data["arrived_at"] = arrival_time(request)
        updated = run(obj=obj, actor=request.user, name=name, **data)
        context = self.get_serializer_context()
        return Response(output(updated, context=context).data, status=status.HTTP_200_OK)

    view.__name__ = name
    view.__qualname__ = name
    view = action(detail=True, methods=["post"], url_path=name, url_name=name.replace("_", "-"))(
        view
    )
    return extend_schema(
        summary=summary or name.replace("_", " ").capitalize(),
        description=description,
        request=input_serializer,
        responses={200: output, **error_responses(conflict=True)},
        tags=tags,
    )(view)
