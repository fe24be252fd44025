"""API input and output shapes for evaluation plans, panels, scores, consensus and ranking.

Inputs check shape and types only; the services decide (and say) what is allowed, so ranges
(points, weights) are left to them. Outputs are built from the selectors' answers, which already
leave out what the reader may not see; no output here carries a price except `OpenedPriceOutput`,
whose rows come from `selectors.opened_prices`.
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api import REASON_MAX_LENGTH
from core.workflow import allowed_transitions

from . import selectors
from .models import (
    ConsensusScore,
    Criterion,
    Evaluation,
    EvaluationPlan,
    PanelAssignment,
    RankingEntry,
    Score,
)
from .services.plan import plan_publication_problems

TEXT_LIMIT = 5000
# Criterion.order and the like are small integers in the database.
SMALL_INT_MAX = 32767
PRICE_FORMULA = "lowest price / bid price × points"


def _request_user(context):
    request = context.get("request")
    return getattr(request, "user", None)


# The plan


class CriterionOutput(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Criterion
        fields = [
            "id",
            "kind",
            "kind_display",
            "order",
            "name",
            "description",
            "weight",
            "max_points",
        ]


class PlanOutput(serializers.ModelSerializer):
    challenge = serializers.CharField(source="challenge.reference", read_only=True)
    criteria = CriterionOutput(many=True, read_only=True)
    total_weight = serializers.SerializerMethodField()
    price_formula = serializers.SerializerMethodField()
    is_frozen = serializers.BooleanField(read_only=True)
    publication_problems = serializers.SerializerMethodField(
        help_text=_("What the plan still lacks before the challenge can be published.")
    )

    class Meta:
        model = EvaluationPlan
        fields = [
            "challenge",
            "criteria",
            "total_weight",
            "price_formula",
            "minimum_technical_score",
            "combination",
            "tie_break_order",
            "is_frozen",
            "frozen_at",
            "approved_digest",
            "digest",
            "publication_problems",
            "updated_at",
        ]

    def get_total_weight(self, plan) -> int:
        return sum(c.weight for c in plan.criteria.all())

    def get_price_formula(self, plan) -> str:
        return PRICE_FORMULA

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_publication_problems(self, plan) -> list[str]:
        if plan.is_frozen:
            return []
        return [str(p) for p in plan_publication_problems(plan.challenge)]


class CriterionInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Criterion.Kind.choices)
    name = serializers.CharField(max_length=200)
    description = serializers.CharField(max_length=TEXT_LIMIT, required=False, allow_blank=True)
    weight = serializers.IntegerField(
        required=False,
        min_value=0,
        max_value=SMALL_INT_MAX,
        help_text=_("Percent, rated and price criteria only; all weights add up to 100."),
    )
    max_points = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=0,
        max_value=SMALL_INT_MAX,
        help_text=_("Rated criteria only."),
    )
    order = serializers.IntegerField(required=False, min_value=0, max_value=SMALL_INT_MAX)


class PlanSettingsInput(serializers.Serializer):
    """Settings of the plan; with PATCH only those sent change."""

    minimum_technical_score = serializers.DecimalField(
        max_digits=8,
        decimal_places=2,
        help_text=_("On the technical scale: 0 to the sum of the rated weights."),
    )
    combination = serializers.ChoiceField(choices=EvaluationPlan.Combination.choices)
    tie_break_order = serializers.ListField(
        child=serializers.ChoiceField(choices=EvaluationPlan.TieBreak.choices), max_length=3
    )


class PlanInput(PlanSettingsInput):
    """The whole plan: its settings and every criterion (replacing the current ones)."""

    criteria = CriterionInput(many=True, max_length=100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["minimum_technical_score"].required = False
        self.fields["combination"].required = False
        self.fields["tie_break_order"].required = False


# The evaluation and its panel


class PanelMemberOutput(serializers.ModelSerializer):
    evaluator = serializers.CharField(source="evaluator.get_username", read_only=True)
    name = serializers.CharField(source="evaluator.get_full_name", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = PanelAssignment
        fields = [
            "id",
            "evaluator",
            "name",
            "is_chair",
            "status",
            "status_display",
            "due_at",
            "submitted_at",
        ]


class EvaluationOutput(serializers.ModelSerializer):
    challenge = serializers.CharField(source="challenge.reference", read_only=True)
    title = serializers.CharField(source="challenge.title", read_only=True)
    stage = serializers.CharField(source="status", read_only=True)
    stage_display = serializers.CharField(source="get_status_display", read_only=True)
    plan_digest = serializers.CharField(source="plan.digest", read_only=True)
    allowed_transitions = serializers.SerializerMethodField(
        help_text=_("The steps the requesting user may take now.")
    )
    progress = serializers.SerializerMethodField(
        help_text=_(
            "Who is on the panel and who has submitted: for staff and the chair, and for an "
            "evaluator after their own submission; empty otherwise."
        )
    )

    class Meta:
        model = Evaluation
        fields = [
            "challenge",
            "title",
            "stage",
            "stage_display",
            "plan_digest",
            "consensus_locked_at",
            "prices_opened_at",
            "ranked_at",
            "ranking_inputs_digest",
            "decided_at",
            "decision_note",
            "allowed_transitions",
            "progress",
        ]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_allowed_transitions(self, evaluation) -> list[str]:
        return allowed_transitions(evaluation, _request_user(self.context))

    @extend_schema_field(PanelMemberOutput(many=True))
    def get_progress(self, evaluation) -> list[dict]:
        rows = selectors.panel_progress(evaluation=evaluation, user=_request_user(self.context))
        return PanelMemberOutput(rows, many=True).data


class DecideInput(serializers.Serializer):
    reason = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=REASON_MAX_LENGTH
    )
    shortlist_size = serializers.IntegerField(
        required=False,
        default=1,
        min_value=1,
        max_value=SMALL_INT_MAX,
        help_text=_("How many of the best-ranked proposals meeting the minimum are shortlisted."),
    )


class PanelAssignInput(serializers.Serializer):
    evaluator = serializers.CharField(
        max_length=150, help_text=_("The username of a person in the evaluator role.")
    )
    due_at = serializers.DateTimeField()
    is_chair = serializers.BooleanField(required=False, default=False)


class AssignmentListOutput(serializers.ModelSerializer):
    challenge = serializers.CharField(source="evaluation.challenge.reference", read_only=True)
    challenge_title = serializers.CharField(source="evaluation.challenge.title", read_only=True)
    stage = serializers.CharField(source="evaluation.status", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = PanelAssignment
        fields = [
            "id",
            "challenge",
            "challenge_title",
            "stage",
            "is_chair",
            "status",
            "status_display",
            "due_at",
            "declared_at",
            "submitted_at",
        ]


class AssignmentOutput(AssignmentListOutput):
    declaration_vendors = serializers.SerializerMethodField(
        help_text=_("The vendors the declaration of no conflict covers.")
    )
    allowed_transitions = serializers.SerializerMethodField(
        help_text=_("The steps the requesting user may take now.")
    )

    class Meta(AssignmentListOutput.Meta):
        fields = [
            *AssignmentListOutput.Meta.fields,
            "declaration_vendors",
            "declaration_statement",
            "declaration_signature",
            "recusal_reason",
            "recused_at",
            "allowed_transitions",
        ]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_declaration_vendors(self, assignment) -> list[str]:
        return selectors.declaration_vendors(
            assignment=assignment, user=_request_user(self.context)
        )

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_allowed_transitions(self, assignment) -> list[str]:
        return allowed_transitions(assignment, _request_user(self.context))


class AcceptInput(serializers.Serializer):
    signature = serializers.CharField(
        max_length=200, help_text=_("Your full name, as your signature.")
    )
    no_conflict = serializers.BooleanField(
        help_text=_("Confirms that you have no conflict of interest with any vendor listed.")
    )


# Proposals as the panel sees them


class AnswerOutput(serializers.Serializer):
    question = serializers.CharField()
    text = serializers.CharField()


class PanelDocumentOutput(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    title = serializers.CharField()
    name = serializers.CharField(source="original_name")
    content_type = serializers.CharField()
    size = serializers.IntegerField()
    sha256 = serializers.CharField()
    download_url = serializers.SerializerMethodField()

    def get_download_url(self, document) -> str:
        return reverse(
            "evaluation-document-download",
            kwargs={
                "challenge_reference": self.context["challenge_reference"],
                "id": document.public_id,
            },
        )


class PanelProposalOutput(serializers.Serializer):
    label = serializers.CharField(help_text=_("A neutral label, e.g. “Proposal A”."))
    id = serializers.UUIDField(source="public_id")
    passed_screening = serializers.BooleanField()
    answers = serializers.SerializerMethodField()
    vendor_name = serializers.CharField(
        allow_null=True, help_text=_("Shown only after the evaluator declared no conflict.")
    )
    documents = PanelDocumentOutput(many=True)

    @extend_schema_field(AnswerOutput(many=True))
    def get_answers(self, item) -> list[dict]:
        return [{"question": question, "text": text} for question, text in item.answers]


# Screening


class ScreeningResultOutput(serializers.Serializer):
    proposal = serializers.UUIDField(source="proposal.public_id")
    vendor_name = serializers.CharField(source="proposal.vendor.legal_name")
    proposal_status = serializers.CharField(source="proposal.status")
    criterion = serializers.IntegerField(source="criterion_id")
    criterion_name = serializers.CharField(source="criterion.name")
    passed = serializers.BooleanField()
    note = serializers.CharField()
    recorded_at = serializers.DateTimeField()


class ScreeningEntryInput(serializers.Serializer):
    passed = serializers.BooleanField()
    note = serializers.CharField(max_length=TEXT_LIMIT)


class ScreeningInput(serializers.Serializer):
    proposal = serializers.UUIDField(help_text=_("The received proposal's id."))
    results = serializers.DictField(
        child=ScreeningEntryInput(),
        help_text=_("One result per mandatory criterion, keyed by the criterion's id."),
    )


# Scores


class ScoreOutput(serializers.ModelSerializer):
    proposal = serializers.UUIDField(source="proposal.public_id", read_only=True)
    label = serializers.SerializerMethodField()
    criterion_name = serializers.CharField(source="criterion.name", read_only=True)
    evaluator = serializers.CharField(source="assignment.evaluator.get_username", read_only=True)
    submitted = serializers.SerializerMethodField()

    class Meta:
        model = Score
        fields = [
            "id",
            "proposal",
            "label",
            "criterion",
            "criterion_name",
            "evaluator",
            "points",
            "max_points",
            "rationale",
            "version",
            "submitted",
            "updated_at",
        ]

    def get_label(self, score) -> str:
        return self.context.get("labels", {}).get(score.proposal_id, "")

    def get_submitted(self, score) -> bool:
        return score.assignment.status == PanelAssignment.Status.SUBMITTED


class ScoreEntryInput(serializers.Serializer):
    # Ranges are the service's, in its own words; here only the shape.
    points = serializers.DecimalField(max_digits=8, decimal_places=2)
    # A missing rationale is the service's to refuse, with its own sentence.
    rationale = serializers.CharField(max_length=TEXT_LIMIT, allow_blank=True)


class ScoresInput(serializers.Serializer):
    proposal = serializers.UUIDField(help_text=_("The proposal's id."))
    scores = serializers.DictField(
        child=ScoreEntryInput(),
        allow_empty=False,
        help_text=_("Points and rationale per rated criterion, keyed by the criterion's id."),
    )
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=REASON_MAX_LENGTH,
        help_text=_("Required to change a score after submission; every version is kept."),
    )


# Consensus


class IndividualScoreOutput(serializers.Serializer):
    evaluator = serializers.CharField()
    points = serializers.DecimalField(max_digits=8, decimal_places=2)
    rationale = serializers.CharField()
    outlier = serializers.BooleanField(
        help_text=_("Far from the median of the panel's scores for this proposal and criterion.")
    )


class ConsensusRecordOutput(serializers.Serializer):
    points = serializers.DecimalField(max_digits=8, decimal_places=2)
    rationale = serializers.CharField()
    recorded_at = serializers.DateTimeField()


class ConsensusCellOutput(serializers.Serializer):
    proposal = serializers.SerializerMethodField()
    label = serializers.CharField()
    criterion = serializers.IntegerField(source="criterion.pk")
    criterion_name = serializers.CharField(source="criterion.name")
    max_points = serializers.IntegerField(source="criterion.max_points")
    scores = IndividualScoreOutput(many=True)
    count = serializers.IntegerField()
    minimum = serializers.DecimalField(max_digits=8, decimal_places=2, allow_null=True)
    maximum = serializers.DecimalField(max_digits=8, decimal_places=2, allow_null=True)
    mean = serializers.DecimalField(max_digits=10, decimal_places=4, allow_null=True)
    stddev = serializers.DecimalField(max_digits=10, decimal_places=4, allow_null=True)
    has_outliers = serializers.BooleanField()
    consensus = ConsensusRecordOutput(allow_null=True)

    @extend_schema_field(serializers.UUIDField())
    def get_proposal(self, cell) -> str:
        return str(self.context["public_ids"][cell.proposal_id])


class ConsensusScoreOutput(serializers.ModelSerializer):
    proposal = serializers.UUIDField(source="proposal.public_id", read_only=True)
    criterion_name = serializers.CharField(source="criterion.name", read_only=True)

    class Meta:
        model = ConsensusScore
        fields = [
            "proposal",
            "criterion",
            "criterion_name",
            "points",
            "max_points",
            "rationale",
            "recorded_at",
        ]


class ConsensusInput(serializers.Serializer):
    proposal = serializers.UUIDField()
    criterion = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    points = serializers.DecimalField(max_digits=8, decimal_places=2)
    # A missing rationale is the service's to refuse, with its own sentence.
    rationale = serializers.CharField(max_length=TEXT_LIMIT, allow_blank=True)


# Prices and the ranking


class OpenedPriceOutput(serializers.Serializer):
    proposal = serializers.SerializerMethodField()
    label = serializers.CharField()
    technical = serializers.DecimalField(max_digits=9, decimal_places=4)
    meets_minimum = serializers.BooleanField()
    price = serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        allow_null=True,
        help_text=_("None below the minimum technical score: that price stays sealed."),
    )

    @extend_schema_field(serializers.UUIDField())
    def get_proposal(self, row) -> str:
        return str(self.context["public_ids"][row["proposal_id"]])


class RankingEntryOutput(serializers.ModelSerializer):
    proposal = serializers.UUIDField(source="proposal.public_id", read_only=True)
    label = serializers.SerializerMethodField()
    vendor_name = serializers.CharField(source="proposal.vendor.legal_name", read_only=True)
    criterion_scores = serializers.DictField(
        child=serializers.CharField(), read_only=True, help_text=_("Points by criterion id.")
    )

    class Meta:
        model = RankingEntry
        fields = [
            "rank",
            "proposal",
            "label",
            "vendor_name",
            "criterion_scores",
            "technical",
            "meets_minimum",
            "price_points",
            "total",
            "tie_break_applied",
        ]

    def get_label(self, entry) -> str:
        return self.context.get("labels", {}).get(entry.proposal_id, "")
