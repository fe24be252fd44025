"""REST API of the data governance record: /api/challenges/<ref>/data-governance/ and its rows
(docs/data-governance.md). Reading follows challenges.view_datagovernance (404 otherwise); writing
follows challenges.change_datagovernance (403), checked before the input is read, then again by
the service under lock."""

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import status, viewsets
from rest_framework.permissions import IsAuthenticatedOrReadOnly
from rest_framework.response import Response

from core.api import error_responses
from core.permissions import can, require

from . import governance_services as services
from .api import CHALLENGE_REFERENCE, ID_PATTERN
from .governance import governance_problems, governance_risks
from .governance_selectors import governance_view
from .governance_serializers import (
    DataAssetInput,
    DataAssetMoveInput,
    DataAssetOutput,
    DataSharingInput,
    DataSharingOutput,
    GovernanceDecisionInput,
    GovernanceDecisionOutput,
    GovernanceRecordInput,
    GovernanceRecordOutput,
)
from .models import Challenge, DataAsset, DataSharing, GovernanceDecision

TAGS = ["data governance"]


class _GovernanceBase(viewsets.GenericViewSet):
    permission_classes = [IsAuthenticatedOrReadOnly]
    filter_backends = []

    def get_challenge(self) -> Challenge:
        challenge = Challenge.objects.filter(reference=self.kwargs["challenge_reference"]).first()
        if challenge is None or not can(
            self.request.user, "challenges.view_datagovernance", challenge
        ):
            raise Http404
        return challenge

    def owned_challenge(self) -> Challenge:
        challenge = self.get_challenge()
        require(
            self.request.user,
            "challenges.change_datagovernance",
            challenge,
            str(services.GOVERNANCE_DENIED),
        )
        return challenge


class GovernanceRecordViewSet(_GovernanceBase):
    """The record with its rows, and (for staff and approvers) what it lacks and its risks."""

    serializer_class = GovernanceRecordOutput
    queryset = Challenge.objects.none()

    def _output(self, challenge):
        view = governance_view(challenge=challenge, user=self.request.user)
        context = self.get_serializer_context()
        if view.full:
            context["problems"] = governance_problems(challenge)
            context["risks"] = governance_risks(challenge)
        return Response(GovernanceRecordOutput(view, context=context).data)

    @extend_schema(
        summary=_("The data governance record, with its datasets, sharings and decisions"),
        tags=TAGS,
        parameters=[CHALLENGE_REFERENCE],
        responses={
            200: GovernanceRecordOutput,
            **error_responses(bad_input=False, forbidden=False),
        },
    )
    def retrieve(self, request, *args, **kwargs):
        return self._output(self.get_challenge())

    @extend_schema(
        summary=_("Change the record's fields (owner, in draft or co-design)"),
        tags=TAGS,
        parameters=[CHALLENGE_REFERENCE],
        request=GovernanceRecordInput,
        responses={200: GovernanceRecordOutput, **error_responses()},
    )
    def partial_update(self, request, *args, **kwargs):
        challenge = self.owned_challenge()
        serializer = GovernanceRecordInput(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        services.governance_record_update(
            challenge=challenge, actor=request.user, **serializer.validated_data
        )
        return self._output(Challenge.objects.get(pk=challenge.pk))


class _RowViewSet(_GovernanceBase):
    """Add, change and remove one kind of row of the record."""

    model = None
    input_serializer = None
    output_serializer = None
    add = change = remove = None
    row_argument = ""
    lookup_value_regex = ID_PATTERN

    def get_queryset(self):
        return self.model.objects.filter(record__challenge=self.get_challenge())

    def owned_row(self):
        self.owned_challenge()
        row = self.model.objects.filter(
            pk=self.kwargs["pk"], record__challenge__reference=self.kwargs["challenge_reference"]
        ).first()
        if row is None:
            raise Http404
        return row

    def _input(self, instance=None):
        serializer = self.input_serializer(instance, data=self.request.data, partial=bool(instance))
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def create(self, request, *args, **kwargs):
        challenge = self.owned_challenge()
        row = type(self).add(challenge=challenge, actor=request.user, **self._input())
        return Response(self.output_serializer(row).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        row = self.owned_row()
        row = type(self).change(**{self.row_argument: row}, actor=request.user, **self._input(row))
        return Response(self.output_serializer(row).data)

    def destroy(self, request, *args, **kwargs):
        type(self).remove(**{self.row_argument: self.owned_row()}, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


def _own(method):
    # extend_schema marks the function it decorates: each kind of row needs its own copy, or the
    # last kind documented would describe them all.
    def operation(self, request, *args, **kwargs):
        return method(self, request, *args, **kwargs)

    return operation


def _row_schema(cls, noun, output, input_serializer):
    """The same three operations, documented for each kind of row."""
    common = {"tags": TAGS, "parameters": [CHALLENGE_REFERENCE]}
    cls.create = extend_schema(
        summary=_("Add a %(noun)s (owner, in draft or co-design)") % {"noun": noun},
        request=input_serializer,
        responses={201: output, **error_responses()},
        **common,
    )(_own(_RowViewSet.create))
    cls.partial_update = extend_schema(
        summary=_("Change a %(noun)s (owner, in draft or co-design)") % {"noun": noun},
        request=input_serializer,
        responses={200: output, **error_responses(conflict=True)},
        **common,
    )(_own(_RowViewSet.partial_update))
    cls.destroy = extend_schema(
        summary=_("Remove a %(noun)s (owner, in draft or co-design)") % {"noun": noun},
        responses={204: None, **error_responses(bad_input=False, conflict=True)},
        **common,
    )(_own(_RowViewSet.destroy))
    return cls


class DataAssetViewSet(_RowViewSet):
    model = DataAsset
    queryset = DataAsset.objects.none()
    serializer_class = DataAssetOutput
    input_serializer = DataAssetInput
    output_serializer = DataAssetOutput
    add = staticmethod(services.data_asset_add)
    change = staticmethod(services.data_asset_change)
    remove = staticmethod(services.data_asset_remove)
    row_argument = "asset"

    @extend_schema(
        summary=_("Move a dataset one place up or down (owner, in draft or co-design)"),
        tags=TAGS,
        parameters=[CHALLENGE_REFERENCE],
        request=DataAssetMoveInput,
        responses={200: DataAssetOutput, **error_responses(conflict=True)},
    )
    def move(self, request, *args, **kwargs):
        asset = self.owned_row()
        serializer = DataAssetMoveInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        asset = services.data_asset_move(
            asset=asset, actor=request.user, **serializer.validated_data
        )
        return Response(DataAssetOutput(asset).data)


class DataSharingViewSet(_RowViewSet):
    model = DataSharing
    queryset = DataSharing.objects.none()
    serializer_class = DataSharingOutput
    input_serializer = DataSharingInput
    output_serializer = DataSharingOutput
    add = staticmethod(services.data_sharing_add)
    change = staticmethod(services.data_sharing_change)
    remove = staticmethod(services.data_sharing_remove)
    row_argument = "sharing"


class GovernanceDecisionViewSet(_RowViewSet):
    model = GovernanceDecision
    queryset = GovernanceDecision.objects.none()
    serializer_class = GovernanceDecisionOutput
    input_serializer = GovernanceDecisionInput
    output_serializer = GovernanceDecisionOutput
    add = staticmethod(services.governance_decision_add)
    change = staticmethod(services.governance_decision_change)
    remove = staticmethod(services.governance_decision_remove)
    row_argument = "governance_decision"


_row_schema(DataAssetViewSet, _("dataset"), DataAssetOutput, DataAssetInput)
_row_schema(DataSharingViewSet, _("data sharing"), DataSharingOutput, DataSharingInput)
_row_schema(
    GovernanceDecisionViewSet, _("decision"), GovernanceDecisionOutput, GovernanceDecisionInput
)


def governance_urlpatterns(child: str) -> list:
    """The record's routes under a challenge (`child`: the challenge's path pattern)."""
    from django.urls import re_path

    base = "^" + child + "/data-governance"
    rows = (
        ("assets", DataAssetViewSet, "challenge-data-asset"),
        ("sharings", DataSharingViewSet, "challenge-data-sharing"),
        ("decisions", GovernanceDecisionViewSet, "challenge-governance-decision"),
    )
    patterns = [
        re_path(
            base + "/$",
            GovernanceRecordViewSet.as_view({"get": "retrieve", "patch": "partial_update"}),
            name="challenge-data-governance",
        )
    ]
    for segment, viewset, name in rows:
        patterns.append(
            re_path(f"{base}/{segment}/$", viewset.as_view({"post": "create"}), name=f"{name}-list")
        )
        patterns.append(
            re_path(
                f"{base}/{segment}/(?P<pk>{ID_PATTERN})/$",
                viewset.as_view({"patch": "partial_update", "delete": "destroy"}),
                name=f"{name}-detail",
            )
        )
    patterns.append(
        re_path(
            f"{base}/assets/(?P<pk>{ID_PATTERN})/move/$",
            DataAssetViewSet.as_view({"post": "move"}),
            name="challenge-data-asset-move",
        )
    )
    return patterns
