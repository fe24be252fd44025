"""POST /api/challenges/<reference>/copy/: a new draft started from this challenge, owned by the
caller (staff), as on the page "Start a new challenge from this one" (challenges.copying)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action

from core.api import error_responses

from .copying import challenge_copy
from .serializers import ChallengeDetailOutput


class ChallengeCopyAction:
    """Mixed into ChallengeViewSet (its `get_object` answers 404 to those who may not see it)."""

    @extend_schema(
        summary=_("Start a new draft challenge from this one (staff)"),
        tags=["challenges"],
        request=None,
        responses={201: ChallengeDetailOutput, **error_responses(bad_input=False)},
    )
    @action(detail=True, methods=["post"])
    def copy(self, request, *args, **kwargs):
        copy = challenge_copy(origin=self.get_object(), actor=request.user)
        return self._detail(copy, status_code=status.HTTP_201_CREATED)
