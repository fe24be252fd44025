"""API for the criteria the data governance record proposes:
GET  /api/challenges/<reference>/plan/proposals/
POST /api/challenges/<reference>/plan/proposals/{accept,dismiss,restore}/

The owner's, under the plan's rules: 403 for anyone else, 409 once the plan is fixed.
"""

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticatedOrReadOnly
from rest_framework.response import Response
from rest_framework.views import APIView

from challenges.api import CHALLENGE_REFERENCE
from challenges.models import Challenge
from core.api import error_responses
from core.permissions import can, require

from . import governance, services
from .models.evaluation import OWNER_ONLY
from .serializers import CriterionInput, CriterionOutput

TAGS = ["evaluation"]


class CriterionProposalOutput(serializers.Serializer):
    key = serializers.CharField()
    kind = serializers.CharField()
    name = serializers.CharField()
    description = serializers.CharField()
    weight = serializers.IntegerField(help_text=_("Suggested; the owner adjusts it."))
    max_points = serializers.IntegerField(allow_null=True)
    reason = serializers.CharField(help_text=_("Why the data governance record proposes it."))


class DismissedCriterionOutput(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()


class CriterionProposalsOutput(serializers.Serializer):
    proposals = CriterionProposalOutput(many=True)
    dismissed = DismissedCriterionOutput(many=True)


class CriterionProposalKeyInput(serializers.Serializer):
    key = serializers.SlugField(max_length=60)


class CriterionProposalAcceptInput(CriterionInput):
    """The proposal's key; any criterion field sent replaces the proposed one."""

    key = serializers.SlugField(max_length=60)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("kind", "name"):
            self.fields[name].required = False


class _ProposalView(APIView):
    permission_classes = [IsAuthenticatedOrReadOnly]

    def challenge(self) -> Challenge:
        challenge = Challenge.objects.filter(reference=self.kwargs["challenge_reference"]).first()
        if challenge is None or not can(self.request.user, "challenges.view_challenge", challenge):
            raise Http404
        return challenge

    def body(self, challenge):
        record = governance.governance_record(challenge)
        return CriterionProposalsOutput(
            {
                "proposals": governance.plan_criterion_proposals(
                    challenge=challenge, record=record
                ),
                "dismissed": governance.dismissed_criterion_proposals(record),
            }
        ).data


class CriterionProposalsView(_ProposalView):
    @extend_schema(
        summary=_("Criteria the data governance record proposes (owner)"),
        tags=TAGS,
        parameters=[CHALLENGE_REFERENCE],
        responses={200: CriterionProposalsOutput, **error_responses(bad_input=False)},
    )
    def get(self, request, *args, **kwargs):
        challenge = self.challenge()
        require(request.user, "evaluation.change_plan", challenge, str(OWNER_ONLY))
        return Response(self.body(challenge))


class CriterionProposalAcceptView(_ProposalView):
    @extend_schema(
        summary=_("Add a proposed criterion, as is or edited (owner, in draft or co-design)"),
        tags=TAGS,
        parameters=[CHALLENGE_REFERENCE],
        request=CriterionProposalAcceptInput,
        responses={201: CriterionOutput, **error_responses(conflict=True)},
    )
    def post(self, request, *args, **kwargs):
        challenge = self.challenge()
        # Before the input, as for the plan: whoever may not change it learns nothing.
        services.plan_require_editable(challenge=challenge, actor=request.user)
        serializer = CriterionProposalAcceptInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        criterion = governance.criterion_accept_proposal(
            challenge=challenge, actor=request.user, **serializer.validated_data
        )
        return Response(CriterionOutput(criterion).data, status=status.HTTP_201_CREATED)


class _KeyView(_ProposalView):
    run = None

    def post(self, request, *args, **kwargs):
        challenge = self.challenge()
        services.plan_require_editable(challenge=challenge, actor=request.user)
        serializer = CriterionProposalKeyInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        type(self).run(challenge=challenge, actor=request.user, **serializer.validated_data)
        return Response(self.body(challenge))


def _key_schema(summary):
    return extend_schema(
        summary=summary,
        tags=TAGS,
        parameters=[CHALLENGE_REFERENCE],
        request=CriterionProposalKeyInput,
        responses={200: CriterionProposalsOutput, **error_responses(conflict=True)},
    )


class CriterionProposalDismissView(_KeyView):
    run = governance.criterion_dismiss_proposal

    @_key_schema(_("Dismiss a proposed criterion; the approver sees it (owner)"))
    def post(self, request, *args, **kwargs):
        return super().post(request, *args, **kwargs)


class CriterionProposalRestoreView(_KeyView):
    run = governance.criterion_restore_proposal

    @_key_schema(_("Offer a dismissed criterion proposal again (owner)"))
    def post(self, request, *args, **kwargs):
        return super().post(request, *args, **kwargs)
