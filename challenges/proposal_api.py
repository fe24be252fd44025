"""API for the response questions the data governance record proposes:
GET  /api/challenges/<reference>/response-questions/proposals/
POST /api/challenges/<reference>/response-questions/proposals/{accept,dismiss,restore}/

Owner only, while the statement may change (draft, co-design), like the questions themselves.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api import error_responses

from . import governance_proposals as proposals
from .serializers import ResponseQuestionInput, ResponseQuestionOutput

TAGS = ["response questions"]


class QuestionProposalOutput(serializers.Serializer):
    key = serializers.CharField()
    prompt = serializers.CharField()
    guidance = serializers.CharField()
    reason = serializers.CharField(help_text=_("Why the data governance record proposes it."))


class DismissedQuestionOutput(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()


class QuestionProposalsOutput(serializers.Serializer):
    proposals = QuestionProposalOutput(many=True)
    dismissed = DismissedQuestionOutput(many=True)


class QuestionProposalKeyInput(serializers.Serializer):
    key = serializers.SlugField(max_length=60)


class ProposalAcceptInput(ResponseQuestionInput):
    """The proposal's key; any question field sent replaces the proposed wording."""

    key = serializers.SlugField(max_length=60, write_only=True)

    class Meta(ResponseQuestionInput.Meta):
        fields = ["key", *ResponseQuestionInput.Meta.fields]
        extra_kwargs = {
            **ResponseQuestionInput.Meta.extra_kwargs,
            "prompt": {"required": False},
        }


def _schema(summary, *, request=None, response=None, status_code=200):
    return extend_schema(
        summary=summary,
        tags=TAGS,
        request=request,
        responses={status_code: response, **error_responses(conflict=request is not None)},
    )


class QuestionProposalActions:
    """Mixed into ResponseQuestionViewSet, whose `_owned_challenge` checks the owner's right."""

    def _proposals_body(self, challenge):
        record = proposals.governance_record(challenge)
        return QuestionProposalsOutput(
            {
                "proposals": proposals.challenge_question_proposals(
                    challenge=challenge, record=record
                ),
                "dismissed": proposals.dismissed_question_proposals(record),
            }
        ).data

    @_schema(
        _("Questions the data governance record proposes (owner, in draft or co-design)"),
        response=QuestionProposalsOutput,
    )
    @action(detail=False, methods=["get"], url_path="proposals")
    def proposals(self, request, *args, **kwargs):
        return Response(self._proposals_body(self._owned_challenge()))

    @_schema(
        _("Add a proposed question, as is or edited (owner, in draft or co-design)"),
        request=ProposalAcceptInput,
        response=ResponseQuestionOutput,
        status_code=201,
    )
    @action(detail=False, methods=["post"], url_path="proposals/accept")
    def accept_proposal(self, request, *args, **kwargs):
        challenge = self._owned_challenge()
        serializer = ProposalAcceptInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        question = proposals.response_question_accept_proposal(
            challenge=challenge, actor=request.user, **data
        )
        return Response(ResponseQuestionOutput(question).data, status=status.HTTP_201_CREATED)

    @_schema(
        _("Dismiss a proposed question; the approver sees it (owner, in draft or co-design)"),
        request=QuestionProposalKeyInput,
        response=QuestionProposalsOutput,
    )
    @action(detail=False, methods=["post"], url_path="proposals/dismiss")
    def dismiss_proposal(self, request, *args, **kwargs):
        challenge = self._owned_challenge()
        serializer = QuestionProposalKeyInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        proposals.response_question_dismiss_proposal(
            challenge=challenge, actor=request.user, **serializer.validated_data
        )
        return Response(self._proposals_body(challenge))

    @_schema(
        _("Offer a dismissed proposal again (owner, in draft or co-design)"),
        request=QuestionProposalKeyInput,
        response=QuestionProposalsOutput,
    )
    @action(detail=False, methods=["post"], url_path="proposals/restore")
    def restore_proposal(self, request, *args, **kwargs):
        challenge = self._owned_challenge()
        serializer = QuestionProposalKeyInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        proposals.response_question_restore_proposal(
            challenge=challenge, actor=request.user, **serializer.validated_data
        )
        return Response(self._proposals_body(challenge))
