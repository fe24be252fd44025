"""REST API of reach (docs/engagement.md): /api/challenges/<ref>/reach/ (the ledger),
/api/challenges/<ref>/reach/gap-reason/ and /api/challenges/<ref>/reach-targets/. Reading follows
challenges.view_reach (404 otherwise); writing follows challenges.set_reach_targets (403),
checked before the input is read, then again by the service under lock."""

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.permissions import IsAuthenticatedOrReadOnly
from rest_framework.response import Response

from core.api import error_responses
from core.permissions import can, require

from . import reach_services as services
from .api import CHALLENGE_REFERENCE, ID_PATTERN
from .models import Challenge, PriorityGroup
from .reach_selectors import challenge_reach_targets, reach_ledger

TAGS = ["reach"]


class ReachRowOutput(serializers.Serializer):
    group = serializers.IntegerField(source="group.pk")
    group_slug = serializers.CharField(source="group.slug")
    group_name = serializers.CharField(source="group.name")
    target = serializers.IntegerField(allow_null=True, help_text=_("Null: no target."))
    reached = serializers.IntegerField(help_text=_("Participants summed over every activity."))
    gap = serializers.IntegerField(help_text=_("People still to reach; 0 when met."))
    met = serializers.BooleanField()
    not_recorded = serializers.IntegerField(
        help_text=_("Activities that did not record this group.")
    )


class ReachLedgerOutput(serializers.Serializer):
    rows = ReachRowOutput(many=True, help_text=_("Groups with a target."))
    untargeted = ReachRowOutput(many=True, help_text=_("Groups reached without a target."))
    activities = serializers.IntegerField()
    all_met = serializers.BooleanField()
    total_gap = serializers.IntegerField()
    reach_gap_reason = serializers.CharField()


class ReachTargetOutput(serializers.Serializer):
    group = serializers.IntegerField(source="group_id")
    group_slug = serializers.CharField(source="group.slug")
    group_name = serializers.CharField(source="group.name")
    target = serializers.IntegerField()
    updated_at = serializers.DateTimeField()


class ReachTargetInput(serializers.Serializer):
    group = serializers.IntegerField(
        min_value=1, max_value=2**31 - 1, help_text=_("A priority group's id.")
    )
    target = serializers.IntegerField(
        min_value=1, max_value=services.TARGET_MAX, help_text=_("People to reach.")
    )


class ReachGapReasonInput(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True, max_length=4000)


class _ReachBase(viewsets.GenericViewSet):
    permission_classes = [IsAuthenticatedOrReadOnly]
    filter_backends = []
    pagination_class = None
    queryset = Challenge.objects.none()

    def get_challenge(self) -> Challenge:
        challenge = Challenge.objects.filter(reference=self.kwargs["challenge_reference"]).first()
        if challenge is None or not can(self.request.user, "challenges.view_reach", challenge):
            raise Http404
        return challenge

    def get_object(self):
        # What OPTIONS describes for a write: the challenge is the only object here.
        return self.get_challenge()

    def owned_challenge(self) -> Challenge:
        challenge = self.get_challenge()
        require(
            self.request.user,
            "challenges.set_reach_targets",
            challenge,
            str(services.REACH_DENIED),
        )
        return challenge


def _ledger_data(challenge):
    ledger = reach_ledger(challenge=challenge)
    return ReachLedgerOutput(
        {
            "rows": ledger.rows,
            "untargeted": ledger.untargeted,
            "activities": ledger.activities,
            "all_met": not ledger.unmet,
            "total_gap": ledger.total_gap,
            "reach_gap_reason": challenge.reach_gap_reason,
        }
    ).data


class ReachLedgerViewSet(_ReachBase):
    serializer_class = ReachLedgerOutput

    @extend_schema(
        summary=_("The reach ledger: targets against people reached, per priority group"),
        tags=TAGS,
        parameters=[CHALLENGE_REFERENCE],
        responses={200: ReachLedgerOutput, **error_responses(bad_input=False, forbidden=False)},
    )
    def retrieve(self, request, *args, **kwargs):
        return Response(_ledger_data(self.get_challenge()))

    @extend_schema(
        summary=_("Say why the reach targets were not met (owner, in draft or co-design)"),
        tags=TAGS,
        parameters=[CHALLENGE_REFERENCE],
        request=ReachGapReasonInput,
        responses={200: ReachLedgerOutput, **error_responses()},
    )
    def update(self, request, *args, **kwargs):
        challenge = self.owned_challenge()
        serializer = ReachGapReasonInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        challenge = services.reach_gap_reason_set(
            challenge=challenge, actor=request.user, reason=serializer.validated_data["reason"]
        )
        return Response(_ledger_data(challenge))


class ReachTargetViewSet(_ReachBase):
    serializer_class = ReachTargetOutput
    lookup_value_regex = ID_PATTERN

    @extend_schema(
        summary=_("The challenge's reach targets"),
        tags=TAGS,
        parameters=[CHALLENGE_REFERENCE],
        responses={200: ReachTargetOutput(many=True), **error_responses(bad_input=False)},
    )
    def list(self, request, *args, **kwargs):
        targets = challenge_reach_targets(challenge=self.get_challenge())
        return Response(ReachTargetOutput(targets, many=True).data)

    @extend_schema(
        summary=_("Set a group's reach target (owner, in draft or co-design)"),
        tags=TAGS,
        parameters=[CHALLENGE_REFERENCE],
        request=ReachTargetInput,
        responses={200: ReachTargetOutput, **error_responses()},
    )
    def create(self, request, *args, **kwargs):
        challenge = self.owned_challenge()
        serializer = ReachTargetInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        group = PriorityGroup.objects.filter(pk=serializer.validated_data["group"]).first()
        if group is None:
            raise serializers.ValidationError({"group": [_("Choose a priority group.")]})
        target = services.reach_target_set(
            challenge=challenge,
            actor=request.user,
            group=group,
            target=serializer.validated_data["target"],
        )
        return Response(ReachTargetOutput(target).data)

    @extend_schema(
        summary=_("Remove a group's reach target (owner, in draft or co-design)"),
        tags=TAGS,
        parameters=[
            CHALLENGE_REFERENCE,
            OpenApiParameter(
                "group_id",
                OpenApiTypes.INT,
                OpenApiParameter.PATH,
                description=_("The group's id."),
            ),
        ],
        request=None,
        responses={204: None, **error_responses(bad_input=False)},
    )
    def destroy(self, request, *args, **kwargs):
        challenge = self.owned_challenge()
        group = PriorityGroup.objects.filter(pk=self.kwargs["group_id"]).first()
        if group is None or not services.reach_target_remove(
            challenge=challenge, actor=request.user, group=group
        ):
            raise Http404
        return Response(status=status.HTTP_204_NO_CONTENT)


def reach_urlpatterns(child: str) -> list:
    """The reach routes under a challenge (`child`: the challenge's path pattern)."""
    from django.urls import re_path

    return [
        re_path(
            "^" + child + "/reach/$",
            ReachLedgerViewSet.as_view({"get": "retrieve"}),
            name="challenge-reach",
        ),
        re_path(
            "^" + child + "/reach/gap-reason/$",
            ReachLedgerViewSet.as_view({"put": "update"}),
            name="challenge-reach-gap-reason",
        ),
        re_path(
            "^" + child + "/reach-targets/$",
            ReachTargetViewSet.as_view({"get": "list", "post": "create"}),
            name="challenge-reach-targets",
        ),
        re_path(
            "^" + child + f"/reach-targets/(?P<group_id>{ID_PATTERN})/$",
            ReachTargetViewSet.as_view({"delete": "destroy"}),
            name="challenge-reach-target",
        ),
    ]
