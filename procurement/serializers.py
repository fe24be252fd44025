"""API shapes for the award, debrief requests and the pilot (DESIGN.md §6)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from challenges.api import REFERENCE_PATTERN
from core.permissions import can
from core.workflow import allowed_transitions

from .models import (
    Award,
    Contract,
    ContractTerm,
    DebriefRequest,
    Measurement,
    Milestone,
    OutcomeIndicator,
    Pilot,
)

TEXT_LIMIT = 5000


def _request_user(context):
    request = context.get("request")
    return getattr(request, "user", None)


class AwardOutput(serializers.ModelSerializer):
    challenge = serializers.CharField(source="challenge.reference", read_only=True)
    title = serializers.CharField(source="challenge.title", read_only=True)
    proposal = serializers.UUIDField(source="proposal.public_id", read_only=True)
    vendor = serializers.CharField(source="proposal.vendor", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    # Blank unless withdrawn (the model field is not editable, which would hide the blank).
    withdrawn_from = serializers.ChoiceField(
        choices=Award.Status.choices, allow_blank=True, read_only=True
    )
    recommendation = serializers.SerializerMethodField(
        help_text=_("Why this proposal was recommended: for municipal staff and the panel only.")
    )
    debrief_window_open = serializers.BooleanField(read_only=True)
    allowed_transitions = serializers.SerializerMethodField(
        help_text=_("The steps the requesting user may take now.")
    )

    class Meta:
        model = Award
        fields = [
            "challenge",
            "title",
            "proposal",
            "vendor",
            "status",
            "status_display",
            "recommended_at",
            "recommendation",
            "approved_at",
            "rejection_reason",
            "notified_at",
            "standstill_ends_at",
            "finalised_at",
            "withdrawn_at",
            "withdrawn_from",
            "withdrawal_reason",
            "debrief_window_open",
            "allowed_transitions",
        ]

    def get_recommendation(self, award) -> str:
        user = _request_user(self.context)
        return award.recommendation if can(user, "procurement.follow_award", award) else ""

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_allowed_transitions(self, award) -> list[str]:
        user = _request_user(self.context)
        return [
            name
            for name in allowed_transitions(award, user)
            if name != "start_standstill"  # runs with notify, never on its own
        ]


class RecommendInput(serializers.Serializer):
    challenge = serializers.RegexField(
        f"^{REFERENCE_PATTERN}$", help_text=_("The challenge's reference.")
    )
    proposal = serializers.UUIDField(
        required=False,
        allow_null=True,
        default=None,
        help_text=_("The shortlisted proposal to recommend; the best ranked by default."),
    )
    reason = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=TEXT_LIMIT
    )


class DebriefInput(serializers.Serializer):
    message = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=TEXT_LIMIT
    )


class DebriefRequestOutput(serializers.ModelSerializer):
    proposal = serializers.UUIDField(source="proposal.public_id", read_only=True)

    class Meta:
        model = DebriefRequest
        fields = ["proposal", "requested_at", "message"]


# Pilot


class MeasurementOutput(serializers.ModelSerializer):
    class Meta:
        model = Measurement
        fields = ["id", "value", "measured_on", "source_note", "recorded_at"]


class IndicatorOutput(serializers.ModelSerializer):
    measurements = MeasurementOutput(many=True, read_only=True)

    class Meta:
        model = OutcomeIndicator
        fields = ["id", "name", "success_measure", "unit", "baseline", "target", "measurements"]


class MilestoneOutput(serializers.ModelSerializer):
    is_late = serializers.BooleanField(read_only=True)
    open_dataset = serializers.CharField(
        source="open_dataset.name",
        read_only=True,
        allow_null=True,
        default=None,
        help_text=_("The open dataset of the data governance record this milestone publishes."),
    )

    class Meta:
        model = Milestone
        fields = ["id", "title", "due_on", "done_on", "is_late", "open_dataset"]


class PilotOutput(serializers.ModelSerializer):
    challenge = serializers.CharField(source="challenge.reference", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    milestones = MilestoneOutput(many=True, read_only=True)
    indicators = IndicatorOutput(many=True, read_only=True)
    allowed_transitions = serializers.SerializerMethodField(
        help_text=_("The steps the requesting user may take now.")
    )

    class Meta:
        model = Pilot
        fields = [
            "challenge",
            "status",
            "status_display",
            "starts_on",
            "ends_on",
            "started_at",
            "ended_at",
            "lessons_learned",
            "data_terms_kept",
            "data_terms_note",
            "milestones",
            "indicators",
            "allowed_transitions",
        ]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_allowed_transitions(self, pilot) -> list[str]:
        return allowed_transitions(pilot, _request_user(self.context))


class PilotCreateInput(serializers.Serializer):
    challenge = serializers.RegexField(f"^{REFERENCE_PATTERN}$")
    starts_on = serializers.DateField(required=False, allow_null=True, default=None)
    ends_on = serializers.DateField(required=False, allow_null=True, default=None)


class MilestoneInput(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    due_on = serializers.DateField()


class MilestoneDoneInput(serializers.Serializer):
    done_on = serializers.DateField(
        help_text=_("The day the milestone was met; not in the future.")
    )


class IndicatorInput(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    success_measure = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=TEXT_LIMIT
    )
    unit = serializers.CharField(max_length=40)
    baseline = serializers.DecimalField(max_digits=14, decimal_places=4)
    target = serializers.DecimalField(max_digits=14, decimal_places=4)


class MeasurementInput(serializers.Serializer):
    indicator = serializers.IntegerField(min_value=1, max_value=999_999_999)
    value = serializers.DecimalField(max_digits=14, decimal_places=4)
    measured_on = serializers.DateField()
    source_note = serializers.CharField(max_length=300)


class MilestoneDueInput(serializers.Serializer):
    due_on = serializers.DateField()


class PilotEndInput(serializers.Serializer):
    lessons_learned = serializers.CharField(max_length=TEXT_LIMIT)
    data_terms_kept = serializers.ChoiceField(
        choices=["yes", "partly", "no"],
        required=False,
        help_text=_(
            "Whether the contract's data terms were kept; required when the challenge has a "
            "data governance record."
        ),
    )
    data_terms_note = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=4000,
        help_text=_("What happened to the data terms; required unless all were kept."),
    )
    reason = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=TEXT_LIMIT
    )


# Contract


class ContractTermOutput(serializers.ModelSerializer):
    topic_display = serializers.CharField(source="get_topic_display", read_only=True)

    class Meta:
        model = ContractTerm
        fields = ["id", "topic", "topic_display", "text", "source", "confidential", "order"]


class ContractOutput(serializers.ModelSerializer):
    challenge = serializers.CharField(source="challenge.reference", read_only=True)
    vendor = serializers.CharField(source="award.proposal.vendor", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    terms = serializers.SerializerMethodField(
        help_text=_("The terms you may read: confidential ones for municipal staff only.")
    )
    sign_problems = serializers.SerializerMethodField(
        help_text=_("What must be recorded before the contract can be signed (drafts).")
    )
    allowed_transitions = serializers.SerializerMethodField(
        help_text=_("The steps the requesting user may take now.")
    )

    class Meta:
        model = Contract
        fields = [
            "challenge",
            "vendor",
            "status",
            "status_display",
            "value",
            "currency",
            "starts_on",
            "ends_on",
            "signed_on",
            "signed_at",
            "terms",
            "sign_problems",
            "allowed_transitions",
        ]

    @extend_schema_field(ContractTermOutput(many=True))
    def get_terms(self, contract) -> list:
        from .selectors import contract_terms

        terms = contract_terms(contract=contract, user=_request_user(self.context))
        return ContractTermOutput(terms, many=True).data

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_sign_problems(self, contract) -> list[str]:
        if contract.status != Contract.Status.DRAFT:
            return []
        if not can(_request_user(self.context), "procurement.manage_contract", contract):
            return []
        return [str(problem) for problem in contract.sign_problems()]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_allowed_transitions(self, contract) -> list[str]:
        return allowed_transitions(contract, _request_user(self.context))


class ContractCreateInput(serializers.Serializer):
    challenge = serializers.RegexField(
        f"^{REFERENCE_PATTERN}$", help_text=_("The challenge's reference.")
    )


class ContractUpdateInput(serializers.Serializer):
    value = serializers.DecimalField(
        max_digits=14, decimal_places=2, required=False, allow_null=True
    )
    starts_on = serializers.DateField(required=False, allow_null=True)
    ends_on = serializers.DateField(required=False, allow_null=True)
    signed_on = serializers.DateField(required=False, allow_null=True)


class ContractTermInput(serializers.Serializer):
    topic = serializers.ChoiceField(choices=ContractTerm.Topic.choices)
    text = serializers.CharField(max_length=4000)
    confidential = serializers.BooleanField(required=False, default=False)


class ContractTermChangeInput(serializers.Serializer):
    topic = serializers.ChoiceField(choices=ContractTerm.Topic.choices, required=False)
    text = serializers.CharField(max_length=4000, required=False)
    confidential = serializers.BooleanField(required=False)
