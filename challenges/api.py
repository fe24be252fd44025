"""REST API for challenges, co-design, questions and addenda (DESIGN.md §6).

Thin views: they read through selectors, write through services and let `core.api` turn service
errors into status codes. What a reader may see is a rules permission (404 otherwise); what they
may do is checked by the service they call (403).
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import APIException
from rest_framework.permissions import SAFE_METHODS, AllowAny, IsAuthenticatedOrReadOnly
from rest_framework.response import Response

from core.api import (
    ProblemSerializer,
    ReasonInput,
    RequiredReasonInput,
    RulesObjectPermission,
    error_responses,
    transition_action,
)
from core.permissions import can, require

from . import selectors, services
from .copy_api import ChallengeCopyAction
from .filters import ChallengeFilter
from .input_limits import input_allowed, input_limit_message
from .input_services import community_input_give
from .input_stages import input_closed_message
from .models import Addendum, Challenge, CommunityInput, Question, ResponseQuestion
from .proposal_api import QuestionProposalActions
from .serializers import (
    AddendumInput,
    AddendumOutput,
    AnswerInput,
    ChallengeDetailOutput,
    ChallengeInput,
    ChallengeListOutput,
    CommunityInputInput,
    CommunityInputOutput,
    EngagementActivityInput,
    EngagementActivityOutput,
    QuestionInput,
    QuestionOutput,
    ResponseQuestionInput,
    ResponseQuestionMoveInput,
    ResponseQuestionOutput,
    ScheduleInput,
)

REFERENCE_PATTERN = r"[A-Za-z0-9-]{1,32}"
# Ids beyond the database's integer range would not be found anyway; the URL refuses them early.
ID_PATTERN = r"[0-9]{1,9}"


# Challenges


def _run_challenge_transition(*, obj, actor, name, reason=""):
    challenge = services.challenge_transition(challenge=obj, actor=actor, name=name, reason=reason)
    return selectors.challenge_list(user=actor).get(pk=challenge.pk)


def _challenge_transition(name, summary, *, reason_required=False, description=""):
    return transition_action(
        name,
        run=_run_challenge_transition,
        output=ChallengeDetailOutput,
        input_serializer=RequiredReasonInput if reason_required else ReasonInput,
        summary=summary,
        description=description,
        tags=["challenges"],
    )


# Kept so that clients of the old steps read why they are refused (403 or 409), not a bare 404.
DECIDED_BY_THE_AWARD = _(
    "Always refused here: the challenge is awarded when its award becomes final "
    "(`/api/awards/`), and ends without an award through "
    "`POST /api/awards/{reference}/end_without_award/`."
)


@extend_schema_view(
    list=extend_schema(summary=_("Challenges you may see"), tags=["challenges"]),
    retrieve=extend_schema(
        summary=_("One challenge"),
        tags=["challenges"],
        responses={200: ChallengeDetailOutput, **error_responses(bad_input=False, forbidden=False)},
    ),
)
class ChallengeViewSet(
    ChallengeCopyAction,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    lookup_field = "reference"
    lookup_value_regex = REFERENCE_PATTERN
    permission_classes = [IsAuthenticatedOrReadOnly, RulesObjectPermission]
    view_permission = "challenges.view_challenge"
    filter_backends = [DjangoFilterBackend]
    filterset_class = ChallengeFilter

    def get_queryset(self):
        if self.action == "list":
            return selectors.challenge_board(user=self.request.user)
        return selectors.challenge_list(user=self.request.user)

    def paginate_queryset(self, queryset):
        # The counts are read for the page only, not joined into the query that pages and counts.
        page = super().paginate_queryset(queryset)
        return None if page is None else selectors.challenge_list_counts(page)

    def filter_queryset(self, queryset):
        # The filters are list parameters; a challenge's own URL ignores them. Without any, the
        # list is `get_queryset()` as it is (the filter set would build the same one).
        if self.action != "list" or not (
            ChallengeFilter.base_filters.keys() & self.request.query_params.keys()
        ):
            return queryset
        return super().filter_queryset(queryset)

    def get_serializer_class(self):
        return ChallengeListOutput if self.action == "list" else ChallengeDetailOutput

    def _detail(self, challenge, *, status_code=status.HTTP_200_OK):
        fresh = self.get_queryset().get(pk=challenge.pk)
        return Response(
            ChallengeDetailOutput(fresh, context=self.get_serializer_context()).data,
            status=status_code,
        )

    @extend_schema(
        summary=_("Create a draft challenge"),
        tags=["challenges"],
        request=ChallengeInput,
        responses={201: ChallengeDetailOutput, **error_responses()},
    )
    def create(self, request, *args, **kwargs):
        serializer = ChallengeInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        challenge = services.challenge_create(actor=request.user, **serializer.validated_data)
        return self._detail(challenge, status_code=status.HTTP_201_CREATED)

    @extend_schema(
        summary=_("Edit the statement (before review)"),
        tags=["challenges"],
        request=ChallengeInput,
        responses={200: ChallengeDetailOutput, **error_responses()},
    )
    def partial_update(self, request, *args, **kwargs):
        challenge = self.get_object()
        serializer = ChallengeInput(challenge, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        challenge = services.challenge_update(
            challenge=challenge, actor=request.user, **serializer.validated_data
        )
        return self._detail(challenge)

    @extend_schema(
        summary=_("Set the timeline (until publication)"),
        tags=["challenges"],
        request=ScheduleInput,
        responses={200: ChallengeDetailOutput, **error_responses()},
    )
    @action(detail=True, methods=["post"])
    def schedule(self, request, *args, **kwargs):
        challenge = self.get_object()
        serializer = ScheduleInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        challenge = services.challenge_schedule(
            challenge=challenge, actor=request.user, **serializer.validated_data
        )
        return self._detail(challenge)

    open_co_design = _challenge_transition("open_co_design", _("Open co-design"))
    submit_for_review = _challenge_transition("submit_for_review", _("Submit for review"))
    request_changes = _challenge_transition(
        "request_changes", _("Send back to draft with the changes needed"), reason_required=True
    )
    approve = _challenge_transition("approve", _("Approve (four eyes)"))
    publish = _challenge_transition("publish", _("Publish: open for proposals"))
    close = _challenge_transition("close", _("Close to proposals"))
    start_evaluation = _challenge_transition("start_evaluation", _("Start the evaluation"))
    award = _challenge_transition(
        "award", _("Awarded: follows from a final award"), description=DECIDED_BY_THE_AWARD
    )
    end_without_award = _challenge_transition(
        "end_without_award",
        _("Not awarded: follows from ending it on the award"),
        description=DECIDED_BY_THE_AWARD,
    )
    cancel = _challenge_transition("cancel", _("Cancel"), reason_required=True)


# Rows that hang off one challenge: /api/challenges/<reference>/<things>/

CHALLENGE_REFERENCE = OpenApiParameter(
    "challenge_reference",
    OpenApiTypes.STR,
    OpenApiParameter.PATH,
    pattern=f"^{REFERENCE_PATTERN}$",
    description=_("The challenge's reference, e.g. RVB-2026-001."),
)


# What the rules that decide who may read a challenge's rows look at (challenges.rules).
READ_RULE_COLUMNS = ("reference", "status", "published_at", "owner_id")


class ChallengeChildViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """List and create rows of one challenge; `challenge_permission` says who may read them."""

    permission_classes = [IsAuthenticatedOrReadOnly]
    filter_backends = []
    challenge_permission = "challenges.view_challenge"
    input_serializer = None

    def get_challenge(self) -> Challenge:
        if not hasattr(self, "_challenge"):
            challenges = Challenge.objects.filter(reference=self.kwargs["challenge_reference"])
            if self.request.method in SAFE_METHODS:
                # A read needs what the rules ask of the challenge, not its statement.
                challenges = challenges.only(*READ_RULE_COLUMNS)
            else:
                challenges = challenges.select_related("department", "owner")
            challenge = challenges.first()
            if challenge is None or not can(
                self.request.user, self.challenge_permission, challenge
            ):
                raise Http404
            self._challenge = challenge
        return self._challenge

    def create(self, request, *args, **kwargs):
        challenge = self.get_challenge()
        serializer = self.input_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        obj = self.perform_service(
            challenge=challenge, actor=request.user, data=serializer.validated_data
        )
        return Response(self.get_serializer(obj).data, status=status.HTTP_201_CREATED)

    def perform_service(self, *, challenge, actor, data):
        raise NotImplementedError


def _child_schema(noun, output, input_serializer, *, list_summary, create_summary):
    return extend_schema_view(
        list=extend_schema(
            summary=list_summary, tags=[noun], parameters=[CHALLENGE_REFERENCE], responses=output
        ),
        create=extend_schema(
            summary=create_summary,
            tags=[noun],
            parameters=[CHALLENGE_REFERENCE],
            request=input_serializer,
            responses={201: output, **error_responses()},
        ),
    )


@_child_schema(
    "co-design",
    EngagementActivityOutput,
    EngagementActivityInput,
    list_summary=_("How residents and partners were engaged"),
    create_summary=_("Record an engagement activity (owner, in co-design)"),
)
class EngagementActivityViewSet(ChallengeChildViewSet):
    serializer_class = EngagementActivityOutput
    input_serializer = EngagementActivityInput

    def get_queryset(self):
        return selectors.challenge_engagement_activities(
            challenge=self.get_challenge(), with_reach=True, with_partners=True
        )

    def perform_service(self, *, challenge, actor, data):
        return services.engagement_activity_add(challenge=challenge, actor=actor, **data)


class ShowsIdentityMixin:
    """Puts `show_identity` in the serializer context when the reader may see who wrote a row."""

    identity_permission = ""

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["show_identity"] = can(self.request.user, self.identity_permission)
        return context


class InputLimited(APIException):
    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_code = "input_limited"

    def __init__(self):
        super().__init__(input_limit_message())
        self.wait = settings.INPUT_LIMIT_WINDOW_MINUTES * 60


@extend_schema_view(
    list=extend_schema(
        summary=_("Community input: published for everyone, all of it for staff"),
        tags=["co-design"],
        parameters=[CHALLENGE_REFERENCE],
        responses=CommunityInputOutput,
    ),
    create=extend_schema(
        summary=_("Give input in co-design, or feedback on a running pilot (no account needed)"),
        description=_(
            "Open to everyone while the challenge is in co-design, and while its pilot is "
            "running; the server files it under that stage. A moderator reads it before it is "
            "published, and it is published only with `consent_to_publish`. One client may send "
            "a limited number per challenge and overall in a window of time (429 past it)."
        ),
        tags=["co-design"],
        parameters=[CHALLENGE_REFERENCE],
        request=CommunityInputInput,
        responses={
            201: CommunityInputOutput,
            **error_responses(),
            429: OpenApiResponse(ProblemSerializer, description=_("Too many in a short time.")),
        },
    ),
)
class CommunityInputListViewSet(ShowsIdentityMixin, ChallengeChildViewSet):
    serializer_class = CommunityInputOutput
    input_serializer = CommunityInputInput
    challenge_permission = "challenges.view_communityinput"
    identity_permission = "challenges.view_pending_communityinput"
    # No account needed to give input; reading follows `challenge_permission`.
    permission_classes = [AllowAny]

    def get_queryset(self):
        listed = selectors.challenge_input_for(
            challenge=self.get_challenge(), user=self.request.user
        )
        if can(self.request.user, self.identity_permission):
            # Staff read the groups residents gave; nobody else does.
            listed = listed.prefetch_related("groups")
        return listed

    def create(self, request, *args, **kwargs):
        challenge = self.get_challenge()
        if not can(request.user, "challenges.add_communityinput", challenge):
            raise PermissionDenied(input_closed_message(challenge))
        if not input_allowed(request, challenge):
            raise InputLimited()
        return super().create(request, *args, **kwargs)

    def perform_service(self, *, challenge, actor, data):
        return community_input_give(challenge=challenge, actor=actor, **data)


@_child_schema(
    "questions",
    QuestionOutput,
    QuestionInput,
    list_summary=_("Questions: answered for everyone, your own, or all of them for staff"),
    create_summary=_("Ask a question (vendors, while open for proposals)"),
)
class QuestionListViewSet(ShowsIdentityMixin, ChallengeChildViewSet):
    serializer_class = QuestionOutput
    input_serializer = QuestionInput
    identity_permission = "challenges.view_question_asker"

    def get_queryset(self):
        return selectors.challenge_questions_for(
            challenge=self.get_challenge(), user=self.request.user
        )

    def perform_service(self, *, challenge, actor, data):
        return services.question_ask(challenge=challenge, actor=actor, **data)


@_child_schema(
    "addenda",
    AddendumOutput,
    AddendumInput,
    list_summary=_("Addenda: issued ones for everyone, drafts too for staff"),
    create_summary=_("Draft an addendum (owner, while open for proposals)"),
)
class AddendumListViewSet(ChallengeChildViewSet):
    serializer_class = AddendumOutput
    input_serializer = AddendumInput

    def get_queryset(self):
        return selectors.challenge_addenda_for(
            challenge=self.get_challenge(), user=self.request.user
        ).select_related("challenge")

    def perform_service(self, *, challenge, actor, data):
        return services.addendum_create(challenge=challenge, actor=actor, **data)


RESPONSE_QUESTION_TAGS = ["response questions"]


def _response_question_schema(summary, *, request=None, status_code=200, conflict=False):
    responses = {
        status_code: ResponseQuestionOutput if status_code != 204 else None,
        **error_responses(conflict=conflict),
    }
    return extend_schema(
        summary=summary,
        tags=RESPONSE_QUESTION_TAGS,
        parameters=[CHALLENGE_REFERENCE],
        request=request,
        responses=responses,
    )


@extend_schema_view(
    list=extend_schema(
        summary=_("The questions every vendor answers, in order"),
        tags=RESPONSE_QUESTION_TAGS,
        parameters=[CHALLENGE_REFERENCE],
        responses=ResponseQuestionOutput,
    ),
    retrieve=extend_schema(
        summary=_("One question vendors answer"),
        tags=RESPONSE_QUESTION_TAGS,
        parameters=[CHALLENGE_REFERENCE],
        responses={
            200: ResponseQuestionOutput,
            **error_responses(bad_input=False, forbidden=False),
        },
    ),
)
class ResponseQuestionViewSet(
    QuestionProposalActions, mixins.RetrieveModelMixin, ChallengeChildViewSet
):
    """The questions every vendor answers in its technical envelope, in order.

    Anyone who may see the challenge reads them; its owner changes them while the statement is
    editable (draft or co-design).
    """

    queryset = ResponseQuestion.objects.none()
    serializer_class = ResponseQuestionOutput
    lookup_value_regex = ID_PATTERN

    def get_queryset(self):
        return selectors.challenge_response_questions(challenge=self.get_challenge())

    # Writes check the permission before reading the input: whoever may not write learns
    # nothing from validation errors.
    def _owned_challenge(self) -> Challenge:
        challenge = self.get_challenge()
        require(
            self.request.user,
            "challenges.change_challenge",
            challenge,
            str(services.RESPONSE_QUESTIONS_DENIED),
        )
        return challenge

    def _owned_question(self) -> ResponseQuestion:
        question = self.get_object()
        question.challenge = self._owned_challenge()
        return question

    def _input(self, instance=None, *, partial=False) -> dict:
        serializer = ResponseQuestionInput(instance, data=self.request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    @_response_question_schema(
        _("Add a question at the end (owner, in draft or co-design)"),
        request=ResponseQuestionInput,
        status_code=201,
    )
    def create(self, request, *args, **kwargs):
        challenge = self._owned_challenge()
        question = services.response_question_add(
            challenge=challenge, actor=request.user, **self._input()
        )
        return Response(ResponseQuestionOutput(question).data, status=status.HTTP_201_CREATED)

    @_response_question_schema(
        _("Replace a question's wording and settings (owner, in draft or co-design)"),
        request=ResponseQuestionInput,
        conflict=True,
    )
    def update(self, request, *args, **kwargs):
        return self._change(partial=False)

    @_response_question_schema(
        _("Change some of a question's fields (owner, in draft or co-design)"),
        request=ResponseQuestionInput,
        conflict=True,
    )
    def partial_update(self, request, *args, **kwargs):
        return self._change(partial=True)

    def _change(self, *, partial):
        question = self._owned_question()
        question = services.response_question_change(
            question=question, actor=self.request.user, **self._input(question, partial=partial)
        )
        return Response(ResponseQuestionOutput(question).data)

    @_response_question_schema(
        _("Remove a question (owner, in draft or co-design; never once answered)"),
        status_code=204,
        conflict=True,
    )
    def destroy(self, request, *args, **kwargs):
        services.response_question_remove(question=self._owned_question(), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @_response_question_schema(
        _("Move a question one place up or down (owner, in draft or co-design)"),
        request=ResponseQuestionMoveInput,
        conflict=True,
    )
    @action(detail=True, methods=["post"])
    def move(self, request, *args, **kwargs):
        question = self._owned_question()
        serializer = ResponseQuestionMoveInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        question = services.response_question_move(
            question=question, actor=request.user, **serializer.validated_data
        )
        return Response(ResponseQuestionOutput(question).data)


# Transitions of rows that hang off a challenge: /api/<things>/<id>/<transition>/


class ChildTransitionViewSet(viewsets.GenericViewSet):
    lookup_value_regex = ID_PATTERN
    permission_classes = [IsAuthenticatedOrReadOnly, RulesObjectPermission]
    filter_backends = []


def _moderate(*, obj, actor, name, reason=""):
    return services.community_input_moderate(
        community_input=obj, actor=actor, publish=name == "publish", reason=reason
    )


class CommunityInputViewSet(ShowsIdentityMixin, ChildTransitionViewSet):
    queryset = CommunityInput.objects.select_related("challenge", "author")
    serializer_class = CommunityInputOutput
    # Moderation is a staff tool: pending input is not shown to anyone else.
    view_permission = "challenges.view_pending_communityinput"
    identity_permission = "challenges.view_pending_communityinput"

    publish = transition_action(
        "publish",
        run=_moderate,
        output=CommunityInputOutput,
        input_serializer=ReasonInput,
        summary=_("Publish community input (moderation)"),
        tags=["co-design"],
    )
    reject = transition_action(
        "reject",
        run=_moderate,
        output=CommunityInputOutput,
        input_serializer=RequiredReasonInput,
        summary=_("Do not publish community input (moderation, with a reason)"),
        tags=["co-design"],
    )


def _answer(*, obj, actor, name, **texts):
    return services.question_answer(question=obj, actor=actor, **texts)


def _dismiss(*, obj, actor, name, reason):
    return services.question_dismiss(question=obj, actor=actor, reason=reason)


class QuestionViewSet(ShowsIdentityMixin, ChildTransitionViewSet):
    queryset = Question.objects.select_related("challenge", "asked_by")
    serializer_class = QuestionOutput
    view_permission = "challenges.view_question"
    identity_permission = "challenges.view_question_asker"

    publish_answer = transition_action(
        "publish_answer",
        run=_answer,
        output=QuestionOutput,
        input_serializer=AnswerInput,
        summary=_("Answer a question and publish the answer to everyone"),
        tags=["questions"],
    )
    dismiss = transition_action(
        "dismiss",
        run=_dismiss,
        output=QuestionOutput,
        input_serializer=RequiredReasonInput,
        summary=_("Dismiss a question, with a reason"),
        tags=["questions"],
    )


def _issue(*, obj, actor, name):
    return services.addendum_issue(addendum=obj, actor=actor)


class AddendumViewSet(ChildTransitionViewSet):
    queryset = Addendum.objects.select_related("challenge")
    serializer_class = AddendumOutput
    view_permission = "challenges.view_addendum"

    issue = transition_action(
        "issue",
        run=_issue,
        output=AddendumOutput,
        input_serializer=None,
        summary=_("Issue an addendum: number it and apply its dates"),
        tags=["addenda"],
    )
