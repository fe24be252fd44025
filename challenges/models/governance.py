"""The data governance record: what data a purchase touches, who owns it, where it lives, what is
shared and opened, and what technology terms follow (docs/data-governance.md).

Written by the challenge's owner in draft and co-design, fixed with the statement at review and
public once the challenge is published, minus the rows marked confidential (with a reason).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .challenge import Challenge


class DataGovernanceRecord(models.Model):
    class Residency(models.TextChoices):
        IN_CANADA = "in_canada", _("In Canada")
        OUTSIDE_CANADA = "outside_canada", _("Outside Canada")
        MIXED = "mixed", _("Partly outside Canada")

    class AssessmentStatus(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        IN_PROGRESS = "in_progress", _("In progress")
        COMPLETED = "completed", _("Completed")

    class ImpactLevel(models.IntegerChoices):
        # In the spirit of Canada's Directive on Automated Decision-Making (four levels).
        LITTLE = 1, _("Level I: little to no impact")
        MODERATE = 2, _("Level II: moderate impact")
        HIGH = 3, _("Level III: high impact")
        VERY_HIGH = 4, _("Level IV: very high impact")

    class Accessibility(models.TextChoices):
        WCAG21AA = "wcag21aa", _("WCAG 2.1 level AA")
        WCAG22AA = "wcag22aa", _("WCAG 2.2 level AA")
        EN301549 = "can_asc_en301549", _("CAN/ASC-EN 301 549:2024")
        NOT_APPLICABLE = "not_applicable", _("Not applicable: no user interface")

    class SourceCode(models.TextChoices):
        NONE = "none", _("Not required")
        OPEN_SOURCE = "open_source", _("Released under an open-source licence")
        ESCROW = "escrow", _("Held in escrow")
        MUNICIPALITY = "municipality", _("Delivered to the municipality")

    challenge = models.OneToOneField(
        Challenge,
        on_delete=models.CASCADE,
        related_name="data_governance",
        verbose_name=_("challenge"),
    )
    # Privacy
    legal_authority = models.TextField(
        _("legal authority for collection"),
        blank=True,
        max_length=2000,
        help_text=_("The act and section that allow the municipality to collect this data."),
    )
    retention_period = models.CharField(
        _("retention period"),
        max_length=200,
        blank=True,
        help_text=_("How long the data is kept, e.g. two years after the pilot ends."),
    )
    storage_location = models.CharField(
        _("where the data is stored"), max_length=20, choices=Residency.choices, blank=True
    )
    storage_reason = models.TextField(
        _("why it is stored there"),
        blank=True,
        max_length=2000,
        help_text=_("Required when any data is stored outside Canada."),
    )
    assessment_status = models.CharField(
        _("privacy impact assessment"),
        max_length=20,
        choices=AssessmentStatus.choices,
        blank=True,
        help_text=_("Required whenever the solution collects or uses personal information."),
    )
    assessment_completed_on = models.DateField(_("assessment completed on"), null=True, blank=True)
    # Technology
    open_standards = models.TextField(
        _("open standards and interoperability required"),
        blank=True,
        max_length=4000,
        help_text=_("APIs, data formats and standards the solution must support."),
    )
    automated_decisions = models.BooleanField(
        _("makes or supports automated decisions about residents"), default=False
    )
    impact_level = models.PositiveSmallIntegerField(
        _("algorithmic impact level"), choices=ImpactLevel.choices, null=True, blank=True
    )
    impact_explanation = models.TextField(_("why this impact level"), blank=True, max_length=4000)
    accessibility_standard = models.CharField(
        _("accessibility standard required"),
        max_length=20,
        choices=Accessibility.choices,
        blank=True,
    )
    exit_data_return = models.BooleanField(
        _("all data returned in open formats at the end"), default=False
    )
    exit_formats = models.CharField(_("formats for returning data"), max_length=300, blank=True)
    source_code = models.CharField(
        _("source code"), max_length=20, choices=SourceCode.choices, default=SourceCode.NONE
    )
    exit_plan = models.TextField(
        _("exit and portability plan"),
        blank=True,
        max_length=4000,
        help_text=_("How the city leaves this vendor without losing its data or service."),
    )
    # The proposals (response questions, criteria) the owner turned down, so they stay turned
    # down and the approver sees them: [{"key": "question:data_location", "label": "..."}].
    dismissed_proposals = models.JSONField(default=list, blank=True, editable=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("data governance record")
        verbose_name_plural = _("data governance records")
        constraints = [
            models.CheckConstraint(
                condition=Q(impact_level__isnull=True) | Q(automated_decisions=True),
                name="impact_level_only_with_automated_decisions",
                violation_error_message=_(
                    "An algorithmic impact level applies only to automated decisions."
                ),
            ),
        ]

    def __str__(self):
        return f"Data governance record of {self.challenge.reference}"


class DataAsset(models.Model):
    """A dataset or category of data the solution will touch."""

    class Sensitivity(models.TextChoices):
        NONE = "none", _("No personal information")
        AGGREGATE = "aggregate", _("Personal information, aggregated")
        DEIDENTIFIED = "deidentified", _("Personal information, de-identified")
        IDENTIFIABLE = "identifiable", _("Identifiable personal information")

    class Licence(models.TextChoices):
        OGL_CANADA = "ogl_canada", _("Open Government Licence – Canada")
        MUNICIPAL = "municipal", _("The municipality's open data licence")
        CC_BY = "cc_by_4", _("Creative Commons Attribution 4.0")
        ODBL = "odbl", _("Open Database License")

    PERSONAL = (Sensitivity.AGGREGATE, Sensitivity.DEIDENTIFIED, Sensitivity.IDENTIFIABLE)

    record = models.ForeignKey(
        DataGovernanceRecord, on_delete=models.CASCADE, related_name="assets"
    )
    name = models.CharField(_("dataset or data category"), max_length=200)
    description = models.TextField(_("what it is"), max_length=2000)
    sensitivity = models.CharField(
        _("personal information"), max_length=20, choices=Sensitivity.choices
    )
    about_residents_location_or_devices = models.BooleanField(
        _("location or device data about residents"), default=False
    )
    provided_by = models.CharField(_("who provides it"), max_length=200)
    produced_data_owner = models.CharField(
        _("who owns what the solution produces from it"), max_length=200
    )
    open_data = models.BooleanField(_("published as open data"), default=False)
    licence = models.CharField(_("licence"), max_length=20, choices=Licence.choices, blank=True)
    open_format = models.CharField(
        _("open format or standard"),
        max_length=120,
        blank=True,
        help_text=_("e.g. CSV, GeoJSON, GTFS"),
    )
    confidential = models.BooleanField(_("confidential"), default=False)
    confidential_reason = models.CharField(_("why it is confidential"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("data asset")
        verbose_name_plural = _("data assets")
        constraints = [
            models.CheckConstraint(
                condition=Q(open_data=False) | ~Q(licence=""),
                name="open_dataset_has_licence",
                violation_error_message=_("Open data needs a licence."),
            ),
            models.CheckConstraint(
                condition=Q(confidential=False) | ~Q(confidential_reason=""),
                name="confidential_asset_has_reason",
                violation_error_message=_("Say why this part is confidential."),
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_personal(self) -> bool:
        return self.sensitivity in self.PERSONAL


class DataSharing(models.Model):
    """Data the municipality or the vendor will share with another party, under an agreement."""

    class AgreementStatus(models.TextChoices):
        NONE = "none", _("No agreement yet")
        DRAFTING = "drafting", _("Being drafted")
        SIGNED = "signed", _("Signed")

    record = models.ForeignKey(
        DataGovernanceRecord, on_delete=models.CASCADE, related_name="sharings"
    )
    party = models.CharField(_("shared with"), max_length=200)
    data = models.CharField(_("which data"), max_length=300)
    purpose = models.TextField(_("purpose"), max_length=2000)
    agreement_status = models.CharField(
        _("agreement"), max_length=20, choices=AgreementStatus.choices
    )
    confidential = models.BooleanField(_("confidential"), default=False)
    confidential_reason = models.CharField(_("why it is confidential"), max_length=300, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("data sharing")
        verbose_name_plural = _("data sharings")
        constraints = [
            models.CheckConstraint(
                condition=Q(confidential=False) | ~Q(confidential_reason=""),
                name="confidential_sharing_has_reason",
                violation_error_message=_("Say why this part is confidential."),
            ),
        ]

    def __str__(self):
        return f"{self.data} → {self.party}"


class GovernanceDecision(models.Model):
    """A decision taken about data or technology, with who took it and why."""

    class Topic(models.TextChoices):
        DATA = "data", _("Data collected")
        PRIVACY = "privacy", _("Privacy")
        SHARING = "sharing", _("Sharing")
        OPENNESS = "openness", _("Open data")
        TECHNOLOGY = "technology", _("Technology")
        EXIT = "exit", _("Exit and portability")

    record = models.ForeignKey(
        DataGovernanceRecord, on_delete=models.CASCADE, related_name="decisions"
    )
    topic = models.CharField(_("topic"), max_length=20, choices=Topic.choices)
    decision = models.TextField(_("decision"), max_length=2000)
    reason = models.TextField(_("reason"), max_length=2000)
    decided_by = models.CharField(
        _("decided by"), max_length=200, help_text=_("A person, role or body, e.g. city council.")
    )
    decided_on = models.DateField(_("decided on"))
    confidential = models.BooleanField(_("confidential"), default=False)
    confidential_reason = models.CharField(_("why it is confidential"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["decided_on", "pk"]
        verbose_name = _("governance decision")
        verbose_name_plural = _("governance decisions")
        constraints = [
            models.CheckConstraint(
                condition=Q(confidential=False) | ~Q(confidential_reason=""),
                name="confidential_decision_has_reason",
                violation_error_message=_("Say why this part is confidential."),
            ),
        ]

    def __str__(self):
        return f"{self.get_topic_display()}: {self.decision[:60]}"
