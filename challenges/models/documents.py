"""Documents the municipality attaches: to a challenge, an addendum, the data governance record,
the contract or the pilot. Checked like vendor documents (core.files) and served only through
permission-checked views; public ones appear in the OCDS documents."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .challenge import Challenge
from .questions import Addendum


def _document_upload_to(instance, filename):
    # The caller passes a random name (core.files.storage_name); the uploader's never reaches disk.
    return filename


class Document(models.Model):
    class AttachedTo(models.TextChoices):
        CHALLENGE = "challenge", _("Challenge")
        ADDENDUM = "addendum", _("Addendum")
        GOVERNANCE = "governance", _("Data governance record")
        CONTRACT = "contract", _("Contract")
        PILOT = "pilot", _("Pilot")

    class Kind(models.TextChoices):
        # OCDS documentType codes where one fits; the x_ codes are this project's own.
        BACKGROUND = "x_backgroundData", _("Background data")
        SPECIFICATIONS = "technicalSpecifications", _("Technical specifications")
        BIDDING = "biddingDocuments", _("Bidding documents")
        CLARIFICATIONS = "clarifications", _("Clarifications")
        CONTRACT_DRAFT = "contractDraft", _("Draft contract")
        CONTRACT_SIGNED = "contractSigned", _("Signed contract")
        CONTRACT_ANNEXE = "contractAnnexe", _("Contract annex")
        PRIVACY_ASSESSMENT = "x_privacyImpactAssessment", _("Privacy impact assessment")
        SHARING_AGREEMENT = "x_dataSharingAgreement", _("Data sharing agreement")
        ALGORITHMIC_ASSESSMENT = "x_algorithmicImpactAssessment", _("Algorithmic impact assessment")
        PROGRESS_REPORT = "physicalProgressReport", _("Progress report")
        FINAL_REPORT = "completionCertificate", _("Final report")
        OTHER = "x_other", _("Other")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    challenge = models.ForeignKey(
        Challenge, on_delete=models.CASCADE, related_name="documents", verbose_name=_("challenge")
    )
    attached_to = models.CharField(_("attached to"), max_length=20, choices=AttachedTo.choices)
    addendum = models.ForeignKey(
        Addendum, on_delete=models.CASCADE, null=True, blank=True, related_name="documents"
    )
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("type"), max_length=40, choices=Kind.choices)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    confidential = models.BooleanField(
        _("confidential"),
        default=False,
        help_text=_("Confidential documents are seen by staff only and never published."),
    )
    confidential_reason = models.CharField(_("why it is confidential"), max_length=300, blank=True)
    file = models.FileField(_("file"), upload_to=_document_upload_to, max_length=255)
    original_name = models.CharField(_("file name"), max_length=150)
    content_type = models.CharField(_("content type"), max_length=120)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    # Once a document could be read publicly it is never deleted, only withdrawn: it stays listed,
    # with when and why, so the record of what was published stays whole.
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    withdrawal_reason = models.CharField(_("why it was withdrawn"), max_length=300, blank=True)

    class Meta:
        ordering = ["attached_to", "uploaded_at", "pk"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        constraints = [
            models.CheckConstraint(
                condition=Q(attached_to="addendum", addendum__isnull=False)
                | (~Q(attached_to="addendum") & Q(addendum__isnull=True)),
                name="document_addendum_matches_attachment",
                violation_error_message=_("A document attached to an addendum names it."),
            ),
            models.CheckConstraint(
                condition=Q(confidential=False) | ~Q(confidential_reason=""),
                name="confidential_document_has_reason",
                violation_error_message=_("Say why this document is confidential."),
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True) | ~Q(withdrawal_reason=""),
                name="withdrawn_document_has_reason",
                violation_error_message=_("Say why this document is withdrawn."),
            ),
        ]
        indexes = [
            models.Index(fields=["challenge", "attached_to"], name="document_by_attachment"),
        ]

    def __str__(self):
        return f"{self.title} ({self.original_name})"

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    def get_download_url(self) -> str:
        """The one download address, for every reader (the view checks who may read it)."""
        return reverse(
            "challenges:document_download", args=[self.challenge.reference, self.public_id]
        )
