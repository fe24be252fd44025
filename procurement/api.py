"""REST API for the award and its debriefs, and for open data (DESIGN.md §3 Award, §6).

Thin views: they write through procurement.services and let `core.api` turn service errors into
status codes. An award is found by its challenge's reference (the live one, else the latest
rejected) and answers 404 to whoever may not follow it: municipal staff, approvers and the
panel's chair follow it from the recommendation; vendors with a received proposal once the
result letters went out. Open data is public and answers 404 until the challenge is published.
"""

from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response

from challenges.api import REFERENCE_PATTERN
from challenges.models import Challenge
from core.api import ReasonInput, RequiredReasonInput, error_responses, transition_action
from core.errors import InvalidInput
from evaluation import selectors as evaluation_selectors
from vendors.models import Proposal

from . import ocds
from .models import Award
from .serializers import (
    AwardOutput,
    DebriefInput,
    DebriefRequestOutput,
    OpenDataChallengeOutput,
    RecommendInput,
    award_visible_to,
)
from .services import award as award_services

NOT_VISIBLE = error_responses(bad_input=False, forbidden=False)
AWARD_TAGS = ["award"]
OPEN_DATA_TAGS = ["open data"]


def _award_for(challenge: Challenge) -> Award | None:
    return award_services.live_award(challenge) or (
        Award.objects.filter(challenge=challenge).first()
    )


def _fresh(award: Award) -> Award:
    return Award.objects.select_related("challenge", "proposal__vendor", "evaluation").get(
        pk=award.pk
    )


def _approve(*, obj, actor, name, reason=""):
    return _fresh(award_services.award_approve(award=obj, actor=actor))


def _reject(*, obj, actor, name, reason):
    return _fresh(award_services.award_reject(award=obj, actor=actor, reason=reason))


def _notify(*, obj, actor, name, reason=""):
    return _fresh(award_services.award_notify(award=obj, actor=actor))


def _finalise(*, obj, actor, name, reason=""):
    return _fresh(award_services.award_finalise(award=obj, actor=actor, reason=reason))


def _step(name, summary, run, input_serializer=ReasonInput):
    return transition_action(
        name,
        run=run,
        output=AwardOutput,
        input_serializer=input_serializer,
        summary=summary,
        tags=AWARD_TAGS,
    )


@extend_schema_view(
    retrieve=extend_schema(
        summary=gettext_lazy("A challenge's award: its stage, the standstill, your next steps"),
        tags=AWARD_TAGS,
        responses={200: AwardOutput, **NOT_VISIBLE},
    ),
)
class AwardViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The award of a challenge, by the challenge's reference, and its steps."""

    queryset = Award.objects.none()
    serializer_class = AwardOutput
    permission_classes = [IsAuthenticated]
    filter_backends = []
    lookup_field = "challenge__reference"
    lookup_url_kwarg = "reference"
    lookup_value_regex = REFERENCE_PATTERN

    def get_object(self) -> Award:
        challenge = Challenge.objects.filter(reference=self.kwargs["reference"]).first()
        award = _award_for(challenge) if challenge is not None else None
        if award is None or not award_visible_to(self.request.user, award):
            raise Http404
        return _fresh(award)

    @extend_schema(
        summary=gettext_lazy(
            "Recommend an award from the decided ranking (the panel's chair or the owner)"
        ),
        tags=AWARD_TAGS,
        request=RecommendInput,
        responses={201: AwardOutput, **error_responses(conflict=True)},
    )
    def create(self, request, *args, **kwargs):
        serializer = RecommendInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        challenge = Challenge.objects.filter(reference=data["challenge"]).first()
        evaluation = (
            evaluation_selectors.evaluation_for_challenge(challenge=challenge, user=request.user)
            if challenge is not None
            else None
        )
        if evaluation is None:
            raise Http404
        proposal = None
        if data["proposal"] is not None:
            proposal = Proposal.objects.filter(
                challenge=challenge, public_id=data["proposal"]
            ).first()
            if proposal is None:
                raise InvalidInput(
                    _("Recommend one of the shortlisted proposals."),
                    field_errors={"proposal": [_("This proposal was not shortlisted.")]},
                )
        award = award_services.award_recommend(
            evaluation=evaluation, actor=request.user, proposal=proposal, reason=data["reason"]
        )
        output = AwardOutput(_fresh(award), context=self.get_serializer_context())
        return Response(output.data, status=status.HTTP_201_CREATED)

    approve = _step(
        "approve", gettext_lazy("Approve (an approver who did not recommend it)"), _approve
    )
    reject = _step(
        "reject",
        gettext_lazy("Reject the recommendation, with a reason (an approver)"),
        _reject,
        input_serializer=RequiredReasonInput,
    )
    notify = _step(
        "notify",
        gettext_lazy("Send the result letters; the standstill period starts (owner)"),
        _notify,
        input_serializer=None,
    )
    finalise = _step(
        "finalise", gettext_lazy("Make the award final after the standstill (owner)"), _finalise
    )

    @extend_schema(
        summary=gettext_lazy("Request a debrief during the standstill (a vendor's member)"),
        tags=AWARD_TAGS,
        request=DebriefInput,
        responses={201: DebriefRequestOutput, **error_responses(conflict=True)},
    )
    @action(detail=True, methods=["post"], url_path="debrief-request", url_name="debrief-request")
    def debrief_request(self, request, *args, **kwargs):
        award = self.get_object()
        serializer = DebriefInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        created = award_services.debrief_request(
            award=award, actor=request.user, message=serializer.validated_data["message"]
        )
        return Response(DebriefRequestOutput(created).data, status=status.HTTP_201_CREATED)


# Open data: public, no sign-in


def _published_challenges():
    return Challenge.objects.filter(
        published_at__isnull=False,
        status__in=[*ocds.PUBLISHED_STATES, Challenge.Status.CANCELLED],
    ).order_by("-published_at", "reference")


OCDS_PACKAGE = OpenApiResponse(
    OpenApiTypes.OBJECT, description=gettext_lazy("An OCDS 1.1 package (JSON).")
)


@extend_schema_view(
    list=extend_schema(
        summary=gettext_lazy("Published challenges, with links to their OCDS data"),
        tags=OPEN_DATA_TAGS,
        auth=[],
    ),
)
class OpenDataViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Open contracting data of every published challenge (OCDS 1.1)."""

    serializer_class = OpenDataChallengeOutput
    permission_classes = [AllowAny]
    filter_backends = []
    lookup_field = "reference"
    lookup_value_regex = REFERENCE_PATTERN

    def get_queryset(self):
        return _published_challenges()

    def _challenge(self) -> Challenge:
        challenge = self.get_queryset().filter(reference=self.kwargs["reference"]).first()
        if challenge is None or not ocds.is_published(challenge):
            raise Http404
        return challenge

    @extend_schema(
        summary=gettext_lazy("The challenge's OCDS release package"),
        tags=OPEN_DATA_TAGS,
        auth=[],
        responses={200: OCDS_PACKAGE, **NOT_VISIBLE},
    )
    @action(detail=True, methods=["get"], url_path="release-package", url_name="release-package")
    def release_package(self, request, *args, **kwargs):
        package = ocds.release_package(self._challenge())
        if package is None:
            raise Http404
        return Response(package)

    @extend_schema(
        summary=gettext_lazy("The challenge's OCDS record package"),
        tags=OPEN_DATA_TAGS,
        auth=[],
        responses={200: OCDS_PACKAGE, **NOT_VISIBLE},
    )
    @action(detail=True, methods=["get"], url_path="record", url_name="record")
    def record(self, request, *args, **kwargs):
        package = ocds.record_package(self._challenge())
        if package is None:
            raise Http404
        return Response(package)
