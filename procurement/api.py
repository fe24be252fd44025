"""REST API for the award and its debriefs, and for the pilot (DESIGN.md §3 Award, §6).

Thin views: they write through procurement.services and let `core.api` turn service errors into
status codes. An award is found by its challenge's reference (the live one, else the latest
rejected) and answers 404 to whoever may not see it (`procurement.view_award`: municipal staff,
approvers and the panel's chair from the recommendation; vendors with a received proposal once
the result letters went out). A pilot is public, like its challenge (`procurement.view_pilot`).
"""

from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated, IsAuthenticatedOrReadOnly
from rest_framework.response import Response

from challenges import selectors as challenge_selectors
from challenges.api import REFERENCE_PATTERN
from challenges.models import Challenge
from challenges.serializers import ChallengeDetailOutput
from core.api import ReasonInput, RequiredReasonInput, error_responses, transition_action
from core.errors import InvalidInput
from core.permissions import can, require
from evaluation import selectors as evaluation_selectors
from vendors.models import Proposal

from .models import Award, Milestone, OutcomeIndicator, Pilot
from .serializers import (
    AwardOutput,
    DebriefInput,
    DebriefRequestOutput,
    IndicatorInput,
    MeasurementInput,
    MilestoneDoneInput,
    MilestoneDueInput,
    MilestoneInput,
    PilotCreateInput,
    PilotEndInput,
    PilotOutput,
    RecommendInput,
)
from .services import award as award_services
from .services import pilot as pilot_services
from .services.pilot import MANAGE_ONLY

NOT_VISIBLE = error_responses(bad_input=False, forbidden=False)
AWARD_TAGS = ["award"]
PILOT_TAGS = ["pilot"]


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
        if award is None or not can(self.request.user, "procurement.view_award", award):
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
        summary=gettext_lazy(
            "End the challenge without an award, with a reason (owner, while evaluating)"
        ),
        description=gettext_lazy(
            "Shortlisted proposals become unsuccessful, an award under way is withdrawn and the "
            "vendors who took part are told the reason. Answers with the challenge."
        ),
        tags=AWARD_TAGS,
        request=RequiredReasonInput,
        responses={200: ChallengeDetailOutput, **error_responses(conflict=True)},
    )
    @action(
        detail=True, methods=["post"], url_path="end_without_award", url_name="end-without-award"
    )
    def end_without_award(self, request, *args, **kwargs):
        # By the challenge, not its award: a challenge often ends with no award at all.
        visible = challenge_selectors.challenge_list(user=request.user)
        challenge = visible.filter(reference=self.kwargs["reference"]).first()
        if challenge is None:
            raise Http404
        require(
            request.user,
            "procurement.end_challenge_without_award",
            challenge,
            str(award_services.ENDING_OWNER_ONLY),
        )
        serializer = RequiredReasonInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        award_services.challenge_end_without_award(
            challenge=challenge, actor=request.user, reason=serializer.validated_data["reason"]
        )
        fresh = visible.get(pk=challenge.pk)
        return Response(ChallengeDetailOutput(fresh, context=self.get_serializer_context()).data)

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


# Pilot: /api/pilots/<reference>/, public like its challenge; only the owner writes


def _fresh_pilot(pilot: Pilot) -> Pilot:
    return (
        Pilot.objects.select_related("challenge")
        .prefetch_related("milestones__open_dataset", "indicators__measurements")
        .get(pk=pilot.pk)
    )


def _pilot_step(*, obj, actor, name, reason=""):
    return _fresh_pilot(
        pilot_services.pilot_transition(pilot=obj, actor=actor, name=name, reason=reason)
    )


def _pilot_end(*, obj, actor, name, lessons_learned, reason="", **data_terms):
    return _fresh_pilot(
        pilot_services.pilot_end(
            pilot=obj,
            actor=actor,
            name=name,
            lessons_learned=lessons_learned,
            reason=reason,
            **data_terms,
        )
    )


def _pilot_transition(name, summary, run=_pilot_step, input_serializer=ReasonInput):
    return transition_action(
        name,
        run=run,
        output=PilotOutput,
        input_serializer=input_serializer,
        summary=summary,
        tags=PILOT_TAGS,
    )


@extend_schema_view(
    retrieve=extend_schema(
        summary=gettext_lazy("A challenge's pilot: milestones, indicators and measurements"),
        tags=PILOT_TAGS,
        responses={200: PilotOutput, **NOT_VISIBLE},
    ),
)
class PilotViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The pilot of an awarded challenge, by the challenge's reference."""

    queryset = Pilot.objects.none()
    serializer_class = PilotOutput
    permission_classes = [IsAuthenticatedOrReadOnly]
    filter_backends = []
    lookup_field = "challenge__reference"
    lookup_url_kwarg = "reference"
    lookup_value_regex = REFERENCE_PATTERN

    def get_object(self) -> Pilot:
        pilot = Pilot.objects.filter(challenge__reference=self.kwargs["reference"]).first()
        if pilot is None or not can(self.request.user, "procurement.view_pilot", pilot):
            raise Http404
        return _fresh_pilot(pilot)

    def _output(self, pilot, code=status.HTTP_200_OK):
        output = PilotOutput(_fresh_pilot(pilot), context=self.get_serializer_context())
        return Response(output.data, status=code)

    @extend_schema(
        summary=gettext_lazy("Plan the pilot of a final award (owner)"),
        tags=PILOT_TAGS,
        request=PilotCreateInput,
        responses={201: PilotOutput, **error_responses(conflict=True)},
    )
    def create(self, request, *args, **kwargs):
        serializer = PilotCreateInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        challenge = Challenge.objects.filter(reference=data.pop("challenge")).first()
        award = _award_for(challenge) if challenge is not None else None
        if award is None or not can(request.user, "procurement.view_award", award):
            raise Http404
        pilot = pilot_services.pilot_create(award=award, actor=request.user, **data)
        return self._output(pilot, status.HTTP_201_CREATED)

    @extend_schema(
        summary=gettext_lazy("Add a milestone (owner)"),
        tags=PILOT_TAGS,
        request=MilestoneInput,
        responses={201: PilotOutput, **error_responses(conflict=True)},
    )
    @action(detail=True, methods=["post"], url_path="milestones", url_name="milestones")
    def milestones(self, request, *args, **kwargs):
        pilot = self.get_object()
        require(request.user, "procurement.manage_pilot", pilot, str(MANAGE_ONLY))
        serializer = MilestoneInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        pilot_services.milestone_add(pilot=pilot, actor=request.user, **serializer.validated_data)
        return self._output(pilot, status.HTTP_201_CREATED)

    @extend_schema(
        summary=gettext_lazy("Mark a milestone done, on the day it was met (owner)"),
        tags=PILOT_TAGS,
        request=MilestoneDoneInput,
        responses={200: PilotOutput, **error_responses(conflict=True)},
    )
    @action(
        detail=True,
        methods=["post"],
        url_path=r"milestones/(?P<milestone_id>[0-9]{1,9})/done",
        url_name="milestone-done",
    )
    def milestone_done(self, request, *args, milestone_id, **kwargs):
        pilot = self.get_object()
        require(request.user, "procurement.manage_pilot", pilot, str(MANAGE_ONLY))
        milestone = Milestone.objects.filter(pk=milestone_id, pilot=pilot).first()
        if milestone is None:
            raise Http404
        serializer = MilestoneDoneInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        pilot_services.milestone_mark_done(
            milestone=milestone, actor=request.user, **serializer.validated_data
        )
        return self._output(pilot)

    @extend_schema(
        summary=gettext_lazy("Move a milestone's due date while it is not done (owner)"),
        tags=PILOT_TAGS,
        request=MilestoneDueInput,
        responses={200: PilotOutput, **error_responses(conflict=True)},
    )
    @action(
        detail=True,
        methods=["patch"],
        url_path=r"milestones/(?P<milestone_id>[0-9]{1,9})",
        url_name="milestone",
    )
    def milestone(self, request, *args, milestone_id, **kwargs):
        pilot = self.get_object()
        require(request.user, "procurement.manage_pilot", pilot, str(MANAGE_ONLY))
        milestone = Milestone.objects.filter(pk=milestone_id, pilot=pilot).first()
        if milestone is None:
            raise Http404
        serializer = MilestoneDueInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        pilot_services.milestone_reschedule(
            milestone=milestone, actor=request.user, **serializer.validated_data
        )
        return self._output(pilot)

    @extend_schema(
        summary=gettext_lazy("Add an outcome indicator (owner)"),
        tags=PILOT_TAGS,
        request=IndicatorInput,
        responses={201: PilotOutput, **error_responses(conflict=True)},
    )
    @action(detail=True, methods=["post"], url_path="indicators", url_name="indicators")
    def indicators(self, request, *args, **kwargs):
        pilot = self.get_object()
        require(request.user, "procurement.manage_pilot", pilot, str(MANAGE_ONLY))
        serializer = IndicatorInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        pilot_services.indicator_add(pilot=pilot, actor=request.user, **serializer.validated_data)
        return self._output(pilot, status.HTTP_201_CREATED)

    @extend_schema(
        summary=gettext_lazy("Record a measurement of an indicator (owner, once active)"),
        tags=PILOT_TAGS,
        request=MeasurementInput,
        responses={201: PilotOutput, **error_responses(conflict=True)},
    )
    @action(detail=True, methods=["post"], url_path="measurements", url_name="measurements")
    def measurements(self, request, *args, **kwargs):
        pilot = self.get_object()
        require(request.user, "procurement.manage_pilot", pilot, str(MANAGE_ONLY))
        serializer = MeasurementInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        indicator = OutcomeIndicator.objects.filter(pk=data.pop("indicator"), pilot=pilot).first()
        if indicator is None:
            raise InvalidInput(
                _("Choose one of this pilot's indicators."),
                field_errors={"indicator": [_("This indicator is not part of this pilot.")]},
            )
        pilot_services.measurement_record(indicator=indicator, actor=request.user, **data)
        return self._output(pilot, status.HTTP_201_CREATED)

    start = _pilot_transition("start", gettext_lazy("Start the pilot (owner)"))
    open_review = _pilot_transition("open_review", gettext_lazy("Open the review (owner)"))
    adopt = _pilot_transition(
        "adopt",
        gettext_lazy("End: adopt, with lessons learned (owner)"),
        run=_pilot_end,
        input_serializer=PilotEndInput,
    )
    conclude = _pilot_transition(
        "conclude",
        gettext_lazy("End: conclude, with lessons learned (owner)"),
        run=_pilot_end,
        input_serializer=PilotEndInput,
    )
    terminate = _pilot_transition(
        "terminate",
        gettext_lazy("End: terminate, with lessons learned (owner)"),
        run=_pilot_end,
        input_serializer=PilotEndInput,
    )
