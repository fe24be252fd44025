"""REST API for evaluation: the plan, the panel, screening, blind scoring, consensus, prices and
the ranking (DESIGN.md §3 Evaluation, §6).

Thin views: they read through selectors, write through services and let `core.api` turn service
errors into status codes. An evaluation is found by its challenge's reference and answers 404 to
whoever `selectors.evaluation_for_challenge` leaves out (a recused evaluator, vendors, the
public, admins). Inside it, lists hold only what the selectors let the reader see, which may be
nothing (an empty list, never another person's score or a sealed price); a write by someone who
may see the evaluation but not act answers 403 before its input is read.
"""

from django.contrib.auth import get_user_model
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import IsAuthenticated, IsAuthenticatedOrReadOnly
from rest_framework.response import Response

from challenges.api import CHALLENGE_REFERENCE, ID_PATTERN, REFERENCE_PATTERN
from challenges.models import Challenge
from core.api import ReasonInput, RequiredReasonInput, error_responses, transition_action
from core.errors import InvalidInput, PermissionDenied
from core.files import document_response
from core.permissions import can, require
from core.spreadsheet import csv_response
from vendors.api import DOWNLOAD_RESPONSES, UUID_PATTERN
from vendors.models import Proposal

from . import selectors, services
from .models import (
    ConsensusScore,
    Evaluation,
    EvaluationPlan,
    PanelAssignment,
    RankingEntry,
    Score,
)
from .models.evaluation import CHAIR_ONLY, EVALUATOR_ONLY, OWNER_ONLY
from .rules import assignment_for
from .serializers import (
    AcceptInput,
    AssignmentListOutput,
    AssignmentOutput,
    ConsensusCellOutput,
    ConsensusInput,
    ConsensusScoreOutput,
    DecideInput,
    EvaluationOutput,
    OpenedPriceOutput,
    PanelAssignInput,
    PanelMemberOutput,
    PanelProposalOutput,
    PlanInput,
    PlanOutput,
    PlanSettingsInput,
    RankingEntryOutput,
    ScoreOutput,
    ScoresInput,
    ScreeningInput,
    ScreeningResultOutput,
)

NOT_VISIBLE = error_responses(bad_input=False, forbidden=False)
TAGS = ["evaluation"]


def _public_ids(proposal_ids) -> dict:
    return dict(Proposal.objects.filter(pk__in=set(proposal_ids)).values_list("pk", "public_id"))


def _challenge_proposal(evaluation: Evaluation, public_id) -> Proposal | None:
    return Proposal.objects.filter(
        challenge_id=evaluation.challenge_id, public_id=public_id
    ).first()


# The plan: /api/challenges/<reference>/plan/


class PlanViewSet(viewsets.GenericViewSet):
    """The challenge's evaluation plan: the owner's to change while the statement may change
    (draft, co-design), fixed from review on (409), public once frozen at publication with the
    digest approved and the digest published. PUT replaces the whole plan (settings and
    criteria); PATCH changes settings only."""

    permission_classes = [IsAuthenticatedOrReadOnly]
    filter_backends = []
    serializer_class = PlanOutput
    # Found by its challenge (get_object); DRF's OPTIONS asks for the object before a PUT.
    queryset = EvaluationPlan.objects.none()

    def get_challenge(self) -> Challenge:
        challenge = Challenge.objects.filter(reference=self.kwargs["challenge_reference"]).first()
        if challenge is None or not can(self.request.user, "challenges.view_challenge", challenge):
            raise Http404
        return challenge

    def get_object(self) -> EvaluationPlan:
        return self._plan(self.get_challenge())

    def _plan(self, challenge) -> EvaluationPlan:
        plan = selectors.plan_for_challenge(challenge=challenge, user=self.request.user)
        if plan is None:
            raise Http404
        return plan

    def _output(self, challenge):
        plan = self._plan(challenge)
        return Response(PlanOutput(plan, context=self.get_serializer_context()).data)

    def _editable_challenge(self) -> Challenge:
        challenge = self.get_challenge()
        # Before the input: whoever may not change the plan, or not now, learns nothing from its
        # validation. The services ask the same guard again under lock.
        services.plan_require_editable(challenge=challenge, actor=self.request.user)
        return challenge

    @extend_schema(
        summary=gettext_lazy("The evaluation plan: criteria, weights, formula and digest"),
        tags=TAGS,
        parameters=[CHALLENGE_REFERENCE],
        responses={200: PlanOutput, **NOT_VISIBLE},
    )
    def retrieve(self, request, *args, **kwargs):
        return self._output(self.get_challenge())

    @extend_schema(
        summary=gettext_lazy("Replace the whole plan (owner, in draft or co-design)"),
        tags=TAGS,
        parameters=[CHALLENGE_REFERENCE],
        request=PlanInput,
        responses={200: PlanOutput, **error_responses(conflict=True)},
    )
    def update(self, request, *args, **kwargs):
        challenge = self._editable_challenge()
        serializer = PlanInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        criteria = [dict(c) for c in data.pop("criteria")]
        services.plan_define(challenge=challenge, actor=request.user, criteria=criteria, **data)
        return self._output(challenge)

    @extend_schema(
        summary=gettext_lazy("Change the plan's settings (owner, in draft or co-design)"),
        tags=TAGS,
        parameters=[CHALLENGE_REFERENCE],
        request=PlanSettingsInput,
        responses={200: PlanOutput, **error_responses(conflict=True)},
    )
    def partial_update(self, request, *args, **kwargs):
        challenge = self._editable_challenge()
        serializer = PlanSettingsInput(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        services.plan_save(challenge=challenge, actor=request.user, **serializer.validated_data)
        return self._output(challenge)


# The evaluation: /api/evaluations/<reference>/ and its stage steps


class EvaluationScopedMixin:
    # Finds the evaluation by its challenge's reference; 404 for whoever may not see it.
    # (A comment, not a docstring: the schema would repeat a docstring on every operation.)

    permission_classes = [IsAuthenticated]
    filter_backends = []
    reference_kwarg = "challenge_reference"

    def get_evaluation(self) -> Evaluation:
        if not hasattr(self, "_evaluation"):
            reference = self.kwargs[self.reference_kwarg]
            challenge = Challenge.objects.filter(reference=reference).first()
            evaluation = (
                selectors.evaluation_for_challenge(challenge=challenge, user=self.request.user)
                if challenge is not None
                else None
            )
            if evaluation is None:
                raise Http404
            self._evaluation = evaluation
        return self._evaluation


def _fresh(evaluation: Evaluation) -> Evaluation:
    return Evaluation.objects.select_related("challenge", "plan").get(pk=evaluation.pk)


def _run_step(*, obj, actor, name, reason=""):
    return _fresh(
        services.evaluation_transition(evaluation=obj, actor=actor, name=name, reason=reason)
    )


def _decide(*, obj, actor, name, reason="", shortlist_size=1):
    return _fresh(
        services.evaluation_decide(
            evaluation=obj, actor=actor, reason=reason, shortlist_size=shortlist_size
        )
    )


def _step(name, summary, *, run=_run_step, input_serializer=ReasonInput):
    return transition_action(
        name,
        run=run,
        output=EvaluationOutput,
        input_serializer=input_serializer,
        summary=summary,
        tags=TAGS,
    )


@extend_schema_view(
    retrieve=extend_schema(
        summary=gettext_lazy("An evaluation: its stage, your next steps, the panel's progress"),
        tags=TAGS,
        responses={200: EvaluationOutput, **NOT_VISIBLE},
    ),
)
class EvaluationViewSet(EvaluationScopedMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """One evaluation, by its challenge's reference, and its stage steps."""

    queryset = Evaluation.objects.none()
    serializer_class = EvaluationOutput
    # Through the challenge: the schema documents the path parameter from Challenge.reference.
    lookup_field = "challenge__reference"
    lookup_url_kwarg = "reference"
    lookup_value_regex = REFERENCE_PATTERN
    reference_kwarg = "reference"

    def get_object(self):
        return self.get_evaluation()

    start_screening = _step("start_screening", gettext_lazy("Start screening (owner)"))
    start_scoring = _step("start_scoring", gettext_lazy("Start scoring (owner)"))
    open_consensus = _step("open_consensus", gettext_lazy("Open consensus (chair or owner)"))
    lock_consensus = _step("lock_consensus", gettext_lazy("Lock the consensus (chair)"))
    open_prices = _step(
        "open_prices", gettext_lazy("Open the price envelopes, after the lock (owner)")
    )
    rank = _step("rank", gettext_lazy("Compute and store the ranking (owner)"))
    decide = _step(
        "decide",
        gettext_lazy("Decide: shortlist the best-ranked proposals (owner)"),
        run=_decide,
        input_serializer=DecideInput,
    )


# The panel: /api/evaluations/<reference>/panel/


@extend_schema_view(
    list=extend_schema(
        summary=gettext_lazy("The panel and who has submitted (no scores)"),
        tags=TAGS,
        parameters=[CHALLENGE_REFERENCE],
        responses={200: PanelMemberOutput(many=True), **NOT_VISIBLE},
    ),
)
class PanelViewSet(EvaluationScopedMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """The panel: progress for those who may follow it; the owner invites and names the chair."""

    queryset = PanelAssignment.objects.none()
    serializer_class = PanelMemberOutput
    lookup_value_regex = ID_PATTERN

    def get_queryset(self):
        return selectors.panel_progress(evaluation=self.get_evaluation(), user=self.request.user)

    def _managed_evaluation(self) -> Evaluation:
        evaluation = self.get_evaluation()
        require(self.request.user, "evaluation.manage_panel", evaluation, str(OWNER_ONLY))
        return evaluation

    def get_object(self):
        evaluation = self._managed_evaluation()
        assignment = evaluation.assignments.filter(pk=int(self.kwargs["pk"])).first()
        if assignment is None:
            raise Http404
        return assignment

    def _member(self, assignment, status_code=status.HTTP_200_OK):
        fresh = PanelAssignment.objects.select_related("evaluator").get(pk=assignment.pk)
        return Response(PanelMemberOutput(fresh).data, status=status_code)

    @extend_schema(
        summary=gettext_lazy("Invite an evaluator with a due date (owner); one may chair"),
        tags=TAGS,
        parameters=[CHALLENGE_REFERENCE],
        request=PanelAssignInput,
        responses={201: PanelMemberOutput, **error_responses()},
    )
    def create(self, request, *args, **kwargs):
        evaluation = self._managed_evaluation()
        serializer = PanelAssignInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        evaluator = get_user_model().objects.filter(username=data["evaluator"]).first()
        assignment = services.panel_assign(
            evaluation=evaluation,
            actor=request.user,
            evaluator=evaluator,
            due_at=data["due_at"],
            is_chair=data["is_chair"],
        )
        return self._member(assignment, status.HTTP_201_CREATED)

    @extend_schema(
        summary=gettext_lazy("Take back an invitation not yet answered (owner)"),
        tags=TAGS,
        parameters=[CHALLENGE_REFERENCE],
        responses={204: None, **error_responses()},
    )
    def destroy(self, request, *args, **kwargs):
        services.panel_unassign(assignment=self.get_object(), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary=gettext_lazy("Make this member the panel's chair (owner)"),
        tags=TAGS,
        parameters=[CHALLENGE_REFERENCE],
        request=None,
        responses={200: PanelMemberOutput, **error_responses()},
    )
    @action(detail=True, methods=["post"])
    def chair(self, request, *args, **kwargs):
        assignment = services.panel_set_chair(assignment=self.get_object(), actor=request.user)
        return self._member(assignment)


# My places on panels: /api/assignments/


def _fresh_assignment(assignment):
    return PanelAssignment.objects.select_related("evaluation__challenge").get(pk=assignment.pk)


def _accept(*, obj, actor, name, signature, no_conflict):
    return _fresh_assignment(
        services.assignment_accept(
            assignment=obj, actor=actor, signature=signature, no_conflict=no_conflict
        )
    )


def _recuse(*, obj, actor, name, reason):
    return _fresh_assignment(services.assignment_recuse(assignment=obj, actor=actor, reason=reason))


def _submit(*, obj, actor, name):
    return _fresh_assignment(services.assignment_submit(assignment=obj, actor=actor))


@extend_schema_view(
    list=extend_schema(summary=gettext_lazy("Your places on evaluation panels"), tags=TAGS),
    retrieve=extend_schema(
        summary=gettext_lazy("One of your places on a panel, with the declaration to sign"),
        tags=TAGS,
        responses={200: AssignmentOutput, **NOT_VISIBLE},
    ),
)
class AssignmentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The evaluator's own places on panels; nobody else's (404)."""

    queryset = PanelAssignment.objects.none()
    permission_classes = [IsAuthenticated]
    filter_backends = []
    lookup_value_regex = ID_PATTERN

    def get_queryset(self):
        return selectors.assignments_for_user(self.request.user)

    def get_object(self):
        assignment = self.get_queryset().filter(pk=int(self.kwargs["pk"])).first()
        if assignment is None:
            raise Http404
        return assignment

    def get_serializer_class(self):
        return AssignmentListOutput if self.action == "list" else AssignmentOutput

    accept = transition_action(
        "accept",
        run=_accept,
        output=AssignmentOutput,
        input_serializer=AcceptInput,
        summary=gettext_lazy("Declare no conflict of interest with any vendor listed, and sign"),
        tags=TAGS,
    )
    recuse = transition_action(
        "recuse",
        run=_recuse,
        output=AssignmentOutput,
        input_serializer=RequiredReasonInput,
        summary=gettext_lazy("Step off the panel, with a reason"),
        tags=TAGS,
    )
    submit = transition_action(
        "submit",
        run=_submit,
        output=AssignmentOutput,
        input_serializer=None,
        summary=gettext_lazy("Submit all your scores at once"),
        tags=TAGS,
    )


# Proposals as the panel sees them: /api/evaluations/<reference>/proposals/


@extend_schema_view(
    list=extend_schema(
        summary=gettext_lazy(
            "Proposals for the panel: anonymised until you declare no conflict, then with "
            "vendor and documents"
        ),
        tags=TAGS,
        parameters=[CHALLENGE_REFERENCE],
        responses={200: PanelProposalOutput(many=True), **NOT_VISIBLE},
    ),
)
class PanelProposalViewSet(EvaluationScopedMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """What a panel member reads of the proposals; empty for anyone else."""

    queryset = Proposal.objects.none()
    serializer_class = PanelProposalOutput

    def get_queryset(self):
        return selectors.proposals_for_panel(
            evaluation=self.get_evaluation(), user=self.request.user
        )

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["challenge_reference"] = self.kwargs["challenge_reference"]
        return context


class PanelDocumentViewSet(EvaluationScopedMixin, viewsets.GenericViewSet):
    """Documents of proposals under evaluation, for declared panel members only."""

    queryset = Proposal.objects.none()
    lookup_value_regex = UUID_PATTERN
    lookup_url_kwarg = "id"

    @extend_schema(
        summary=gettext_lazy("Download a document of a proposal under evaluation (panel)"),
        tags=TAGS,
        parameters=[
            CHALLENGE_REFERENCE,
            OpenApiParameter("id", OpenApiTypes.UUID, OpenApiParameter.PATH),
        ],
        responses={**DOWNLOAD_RESPONSES, **NOT_VISIBLE},
    )
    @action(detail=True, methods=["get"])
    def download(self, request, *args, **kwargs):
        document = selectors.document_for_panel(
            evaluation=self.get_evaluation(), public_id=self.kwargs["id"], user=request.user
        )
        return document_response(document)


# Screening: /api/evaluations/<reference>/screening/


@extend_schema_view(
    list=extend_schema(
        summary=gettext_lazy("Screening results with notes (municipal staff)"),
        tags=TAGS,
        parameters=[CHALLENGE_REFERENCE],
        responses={200: ScreeningResultOutput(many=True), **NOT_VISIBLE},
    ),
)
class ScreeningViewSet(EvaluationScopedMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Pass or fail per mandatory criterion, recorded by the owner."""

    queryset = Proposal.objects.none()
    serializer_class = ScreeningResultOutput

    def get_queryset(self):
        return selectors.screening_results(evaluation=self.get_evaluation(), user=self.request.user)

    @extend_schema(
        summary=gettext_lazy(
            "Record a proposal's screening, every mandatory criterion at once (owner)"
        ),
        tags=TAGS,
        parameters=[CHALLENGE_REFERENCE],
        request=ScreeningInput,
        responses={201: ScreeningResultOutput(many=True), **error_responses()},
    )
    def create(self, request, *args, **kwargs):
        evaluation = self.get_evaluation()
        require(
            request.user,
            "evaluation.record_screening",
            evaluation,
            _("Only the challenge's owner, a member of municipal staff, records screening."),
        )
        serializer = ScreeningInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        proposal = _challenge_proposal(evaluation, data["proposal"])
        if proposal is None:
            message = _("This proposal was not received for this challenge.")
            raise InvalidInput(message, field_errors={"proposal": [message]})
        services.screening_record(
            evaluation=evaluation,
            proposal=proposal,
            actor=request.user,
            results={key: dict(value) for key, value in data["results"].items()},
        )
        results = self.get_queryset().filter(proposal=proposal)
        return Response(
            ScreeningResultOutput(results, many=True).data, status=status.HTTP_201_CREATED
        )


# Scores: /api/evaluations/<reference>/scores/


@extend_schema_view(
    list=extend_schema(
        summary=gettext_lazy(
            "Scores you may read: your own; others' once you have submitted yours"
        ),
        tags=TAGS,
        parameters=[CHALLENGE_REFERENCE],
        responses={200: ScoreOutput(many=True), **NOT_VISIBLE},
    ),
)
class ScoreViewSet(EvaluationScopedMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Blind scoring: who reads which scores is `rules.SCORE_VISIBILITY`, through the selector."""

    queryset = Score.objects.none()
    serializer_class = ScoreOutput

    def get_queryset(self):
        return (
            selectors.scores_visible(evaluation=self.get_evaluation(), user=self.request.user)
            .select_related("proposal", "assignment")
            .order_by("proposal__public_id", "criterion__order", "criterion_id", "assignment_id")
        )

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["labels"] = selectors.proposal_labels(self.get_evaluation())
        return context

    @extend_schema(
        summary=gettext_lazy(
            "Save your scores for one proposal: drafts before you submit, changes with a "
            "reason after"
        ),
        tags=TAGS,
        parameters=[CHALLENGE_REFERENCE],
        request=ScoresInput,
        responses={200: ScoreOutput(many=True), **error_responses()},
    )
    def create(self, request, *args, **kwargs):
        evaluation = self.get_evaluation()
        assignment = assignment_for(evaluation, request.user)
        if assignment is None or not can(
            request.user, "evaluation.respond_to_assignment", assignment
        ):
            raise PermissionDenied(str(EVALUATOR_ONLY))
        serializer = ScoresInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        proposal = _challenge_proposal(evaluation, data["proposal"])
        saved = services.scores_save(
            assignment=assignment,
            actor=request.user,
            # An unknown proposal is the service's to refuse, after its own checks.
            proposal=proposal.pk if proposal else None,
            scores={key: dict(value) for key, value in data["scores"].items()},
            reason=data["reason"],
        )
        scores = (
            Score.objects.filter(pk__in=[s.pk for s in saved])
            .select_related("proposal", "criterion", "assignment__evaluator")
            .order_by("criterion__order", "criterion_id")
        )
        return Response(ScoreOutput(scores, many=True, context=self.get_serializer_context()).data)


# Consensus: /api/evaluations/<reference>/consensus/


@extend_schema_view(
    list=extend_schema(
        summary=gettext_lazy(
            "The consensus sheet: submitted scores with spread, outliers and the consensus"
        ),
        tags=TAGS,
        parameters=[CHALLENGE_REFERENCE],
        responses={200: ConsensusCellOutput(many=True), **NOT_VISIBLE},
    ),
)
class ConsensusViewSet(EvaluationScopedMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """The chair's consensus sheet and the consensus scores."""

    queryset = ConsensusScore.objects.none()
    serializer_class = ConsensusCellOutput

    def get_queryset(self):
        return selectors.consensus_sheet(evaluation=self.get_evaluation(), user=self.request.user)

    def get_serializer(self, *args, **kwargs):
        if args:
            rows = args[0]
            kwargs.setdefault("context", self.get_serializer_context())
            kwargs["context"]["public_ids"] = _public_ids(cell.proposal_id for cell in rows)
        return super().get_serializer(*args, **kwargs)

    @extend_schema(
        summary=gettext_lazy("Record the consensus score of a proposal on a criterion (chair)"),
        tags=TAGS,
        parameters=[CHALLENGE_REFERENCE],
        request=ConsensusInput,
        responses={200: ConsensusScoreOutput, **error_responses()},
    )
    def create(self, request, *args, **kwargs):
        evaluation = self.get_evaluation()
        require(request.user, "evaluation.lead_consensus", evaluation, str(CHAIR_ONLY))
        serializer = ConsensusInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        proposal = _challenge_proposal(evaluation, data["proposal"])
        score = services.consensus_record(
            evaluation=evaluation,
            actor=request.user,
            proposal=proposal.pk if proposal else None,
            criterion=data["criterion"],
            points=data["points"],
            rationale=data["rationale"],
        )
        score = ConsensusScore.objects.select_related("proposal", "criterion").get(pk=score.pk)
        return Response(ConsensusScoreOutput(score).data)


# Prices and the ranking


@extend_schema_view(
    list=extend_schema(
        summary=gettext_lazy(
            "Opened prices (owner and chair, after the prices were opened; empty before)"
        ),
        tags=TAGS,
        parameters=[CHALLENGE_REFERENCE],
        responses={200: OpenedPriceOutput(many=True), **NOT_VISIBLE},
    ),
)
class PriceViewSet(EvaluationScopedMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Prices, only after the explicit `open_prices` step and only for the owner and chair."""

    queryset = Proposal.objects.none()
    serializer_class = OpenedPriceOutput

    def get_queryset(self):
        return selectors.opened_prices(evaluation=self.get_evaluation(), user=self.request.user)

    def get_serializer(self, *args, **kwargs):
        if args:
            kwargs.setdefault("context", self.get_serializer_context())
            kwargs["context"]["public_ids"] = _public_ids(row["proposal_id"] for row in args[0])
        return super().get_serializer(*args, **kwargs)


@extend_schema_view(
    list=extend_schema(
        summary=gettext_lazy("The stored ranking, best first (staff and the chair, once ranked)"),
        tags=TAGS,
        parameters=[CHALLENGE_REFERENCE],
        responses={200: RankingEntryOutput(many=True), **NOT_VISIBLE},
    ),
)
class RankingViewSet(EvaluationScopedMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """The stored ranking; its CSV form is `RankingCsvView`."""

    queryset = RankingEntry.objects.none()
    serializer_class = RankingEntryOutput

    def get_queryset(self):
        return selectors.ranking_for(evaluation=self.get_evaluation(), user=self.request.user)

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["labels"] = selectors.proposal_labels(self.get_evaluation())
        return context


class RankingCsvView(EvaluationScopedMixin, GenericAPIView):
    """The results as a CSV attachment; 404 for whoever may not read the ranking."""

    queryset = RankingEntry.objects.none()

    @extend_schema(
        summary=gettext_lazy("The results as CSV (staff and the chair, once ranked)"),
        tags=TAGS,
        parameters=[CHALLENGE_REFERENCE],
        responses={
            (200, "text/csv"): OpenApiResponse(
                OpenApiTypes.STR, description=gettext_lazy("One row per proposal, header first.")
            ),
            **NOT_VISIBLE,
        },
    )
    def get(self, request, *args, **kwargs):
        evaluation = self.get_evaluation()
        rows = selectors.ranking_rows(evaluation=evaluation, user=request.user)
        if not rows:
            raise Http404
        response, writer = csv_response(
            f"ranking-{evaluation.challenge.reference}.csv", private=True
        )
        writer.writerows(rows)
        return response
