"""API shapes of the data governance record (docs/data-governance.md)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .governance_services import (
    ASSET_FIELDS,
    DECISION_FIELDS,
    MOVE_DIRECTIONS,
    RECORD_FIELDS,
    SHARING_FIELDS,
)
from .models import DataAsset, DataGovernanceRecord, DataSharing, GovernanceDecision


class DataAssetOutput(serializers.ModelSerializer):
    is_personal = serializers.BooleanField(read_only=True)

    class Meta:
        model = DataAsset
        fields = ["id", "order", *ASSET_FIELDS, "is_personal"]


class DataAssetInput(serializers.ModelSerializer):
    """On update, only the fields sent change; new datasets go at the end of the list."""

    class Meta:
        model = DataAsset
        fields = list(ASSET_FIELDS)


class DataAssetMoveInput(serializers.Serializer):
    direction = serializers.ChoiceField(
        choices=MOVE_DIRECTIONS,
        help_text=_("“up” swaps the dataset with the one before it, “down” with the one after."),
    )


class DataSharingOutput(serializers.ModelSerializer):
    class Meta:
        model = DataSharing
        fields = ["id", *SHARING_FIELDS]


class DataSharingInput(serializers.ModelSerializer):
    class Meta:
        model = DataSharing
        fields = list(SHARING_FIELDS)


class GovernanceDecisionOutput(serializers.ModelSerializer):
    class Meta:
        model = GovernanceDecision
        fields = ["id", *DECISION_FIELDS]


class GovernanceDecisionInput(serializers.ModelSerializer):
    class Meta:
        model = GovernanceDecision
        fields = list(DECISION_FIELDS)


class WithheldOutput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["asset", "sharing", "decision"])
    reason = serializers.CharField(help_text=_("Why this confidential row is withheld."))


class GovernanceRecordInput(serializers.ModelSerializer):
    class Meta:
        model = DataGovernanceRecord
        fields = list(RECORD_FIELDS)


class GovernanceRecordOutput(serializers.Serializer):
    """The record as the reader may see it: staff and approvers see every row with the record's
    problems and risks; everyone else sees the public view, confidential rows withheld."""

    challenge = serializers.CharField(source="challenge.reference")
    exists = serializers.SerializerMethodField(
        help_text=_("False until the owner first saves the record.")
    )
    record = serializers.SerializerMethodField()
    assets = DataAssetOutput(many=True)
    sharings = DataSharingOutput(many=True)
    decisions = GovernanceDecisionOutput(many=True)
    withheld = WithheldOutput(many=True)
    problems = serializers.SerializerMethodField(
        help_text=_("What the record lacks before review (staff and approvers only; else null).")
    )
    risks = serializers.SerializerMethodField(
        help_text=_("High-risk flags for the approver (staff and approvers only; else null).")
    )

    def get_exists(self, view) -> bool:
        return view.record is not None

    @extend_schema_field(GovernanceRecordInput)
    def get_record(self, view):
        record = view.record or DataGovernanceRecord(challenge_id=view.challenge.pk)
        return GovernanceRecordInput(record).data

    @extend_schema_field(serializers.ListField(child=serializers.CharField(), allow_null=True))
    def get_problems(self, view):
        return self.context.get("problems")

    @extend_schema_field(serializers.ListField(child=serializers.CharField(), allow_null=True))
    def get_risks(self, view):
        return self.context.get("risks")
