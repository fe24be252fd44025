"""Forms of the data governance record's page (docs/data-governance.md). The services check the
rules again; these only shape the input."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .governance_services import ASSET_FIELDS, DECISION_FIELDS, RECORD_FIELDS, SHARING_FIELDS
from .models import DataAsset, DataGovernanceRecord, DataSharing, GovernanceDecision

# The record's fields by section of the page, in order.
RECORD_SECTIONS = (
    (
        "privacy",
        _("Privacy"),
        (
            "legal_authority",
            "retention_period",
            "storage_location",
            "storage_reason",
            "assessment_status",
            "assessment_completed_on",
        ),
    ),
    (
        "technology",
        _("Technology"),
        (
            "open_standards",
            "automated_decisions",
            "impact_level",
            "impact_explanation",
            "accessibility_standard",
        ),
    ),
    (
        "exit",
        _("Exit and portability"),
        ("exit_data_return", "exit_formats", "source_code", "exit_plan"),
    ),
)


class _CheckedByTheService:
    """The model's own checks run in the service, which puts each message on its field; run
    here too they would repeat it once more for the form as a whole."""

    def _post_clean(self):
        pass


class GovernanceRecordForm(_CheckedByTheService, forms.ModelForm):
    class Meta:
        model = DataGovernanceRecord
        fields = RECORD_FIELDS
        widgets = {
            "legal_authority": forms.Textarea(attrs={"rows": 2}),
            "storage_reason": forms.Textarea(attrs={"rows": 2}),
            "open_standards": forms.Textarea(attrs={"rows": 2}),
            "impact_explanation": forms.Textarea(attrs={"rows": 3}),
            "exit_plan": forms.Textarea(attrs={"rows": 3}),
            "assessment_completed_on": forms.DateInput(attrs={"type": "date"}),
        }

    def sections(self):
        return [
            {"key": key, "title": title, "fields": [self[name] for name in names]}
            for key, title, names in RECORD_SECTIONS
        ]


class DataAssetForm(_CheckedByTheService, forms.ModelForm):
    class Meta:
        model = DataAsset
        fields = ASSET_FIELDS
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class DataSharingForm(_CheckedByTheService, forms.ModelForm):
    class Meta:
        model = DataSharing
        fields = SHARING_FIELDS
        widgets = {"purpose": forms.Textarea(attrs={"rows": 2})}


class GovernanceDecisionForm(_CheckedByTheService, forms.ModelForm):
    class Meta:
        model = GovernanceDecision
        fields = DECISION_FIELDS
        widgets = {
            "decision": forms.Textarea(attrs={"rows": 2}),
            "reason": forms.Textarea(attrs={"rows": 2}),
            "decided_on": forms.DateInput(attrs={"type": "date"}),
        }
