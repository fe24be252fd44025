"""REST API to follow a challenge: /api/challenges/<ref>/follow/ (POST follows with your account,
DELETE stops, GET says whether you follow) and /api/challenges/<ref>/follow/by-email/ (anyone:
sends a confirmation link, the same answer whether the address follows already or not)."""

from django.conf import settings
from django.http import Http404
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import Throttled
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import error_responses
from core.permissions import can
from core.throttling import attempt_allowed

from . import follow_services as services
from .api import CHALLENGE_REFERENCE
from .follow_selectors import follow_of
from .models import Challenge

TAGS = ["follow"]


class FollowOutput(serializers.Serializer):
    following = serializers.BooleanField()
    language = serializers.CharField(allow_blank=True)


class FollowInput(serializers.Serializer):
    language = serializers.ChoiceField(choices=settings.LANGUAGES, required=False)


class FollowByEmailInput(serializers.Serializer):
    email = serializers.EmailField()
    language = serializers.ChoiceField(choices=settings.LANGUAGES)


class FollowByEmailOutput(serializers.Serializer):
    detail = serializers.CharField()


def _challenge(request, reference) -> Challenge:
    challenge = Challenge.objects.filter(reference=reference).first()
    if challenge is None or not can(request.user, "challenges.view_challenge", challenge):
        raise Http404
    return challenge


def _state(follow) -> dict:
    return {"following": follow is not None, "language": follow.language if follow else ""}


class FollowView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary=_("Whether you follow the challenge"),
        tags=TAGS,
        parameters=[CHALLENGE_REFERENCE],
        responses={200: FollowOutput, **error_responses(bad_input=False)},
    )
    def get(self, request, challenge_reference):
        challenge = _challenge(request, challenge_reference)
        return Response(_state(follow_of(challenge=challenge, user=request.user)))

    @extend_schema(
        summary=_("Follow the challenge with your account"),
        tags=TAGS,
        parameters=[CHALLENGE_REFERENCE],
        request=FollowInput,
        responses={200: FollowOutput, **error_responses()},
    )
    def post(self, request, challenge_reference):
        challenge = _challenge(request, challenge_reference)
        serializer = FollowInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        follow = services.follow_challenge(
            challenge=challenge,
            actor=request.user,
            language=serializer.validated_data.get("language") or get_language(),
        )
        return Response(_state(follow))

    @extend_schema(
        summary=_("Stop following the challenge"),
        tags=TAGS,
        parameters=[CHALLENGE_REFERENCE],
        request=None,
        responses={200: FollowOutput, **error_responses(bad_input=False, forbidden=False)},
    )
    def delete(self, request, challenge_reference):
        challenge = _challenge(request, challenge_reference)
        services.unfollow_challenge(challenge=challenge, actor=request.user)
        return Response(_state(None))


SENT = _(
    "If this address does not follow the challenge yet, we sent it a link to confirm; until it "
    "is confirmed, it gets nothing else."
)


class FollowByEmailView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        summary=_("Follow the challenge by e-mail (a confirmation link is sent)"),
        tags=TAGS,
        parameters=[CHALLENGE_REFERENCE],
        request=FollowByEmailInput,
        responses={
            202: FollowByEmailOutput,
            429: OpenApiResponse(description=_("Too many requests from your network.")),
            **error_responses(forbidden=False),
        },
    )
    def post(self, request, challenge_reference):
        challenge = _challenge(request, challenge_reference)
        if not challenge.is_public:
            raise Http404
        if not attempt_allowed(request, "follow-email", settings.FOLLOW_EMAIL_LIMIT_PER_HOUR, 3600):
            raise Throttled(wait=3600)
        serializer = FollowByEmailInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.follow_by_email(challenge=challenge, **serializer.validated_data)
        return Response({"detail": str(SENT)}, status=status.HTTP_202_ACCEPTED)
