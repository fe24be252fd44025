import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from challenges.models import ResponseQuestion

from .proposal import Proposal


class ProposalAnswer(models.Model):
    """Part of the technical envelope: the answer to one of the challenge's questions."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(ResponseQuestion, on_delete=models.PROTECT, related_name="answers")
    text = models.TextField(_("answer"), max_length=50000)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["question__order", "question_id"]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "question"], name="one_answer_per_question"
            ),
        ]

    def __str__(self):
        return f"Answer to {self.question_id} in {self.proposal_id}"


def _document_upload_to(instance, filename):
    # The caller passes a random name (core.files.storage_name); the vendor's never reaches disk.
    return filename


class ProposalDocument(models.Model):
    """Part of the technical envelope: an uploaded file, checked by content and stored by digest.

    A new upload under the same title supersedes the current one; old versions are kept.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to=_document_upload_to, max_length=255)
    original_name = models.CharField(_("file name"), max_length=150)
    content_type = models.CharField(_("content type"), max_length=120)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    superseded_at = models.DateTimeField(null=True, blank=True)
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["title", "-uploaded_at", "-id"]
        verbose_name = _("proposal document")
        verbose_name_plural = _("proposal documents")
        constraints = [
            models.UniqueConstraint(
                "proposal",
                Lower("title"),
                condition=Q(superseded_at__isnull=True, removed_at__isnull=True),
                name="one_current_document_per_title",
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.original_name})"

    @property
    def is_current(self) -> bool:
        return self.superseded_at is None and self.removed_at is None


class PriceEnvelope(models.Model):
    """The price, stored apart from the technical envelope and opened only by evaluation."""

    class Currency(models.TextChoices):
        CAD = "CAD", _("Canadian dollars")

    proposal = models.OneToOneField(
        Proposal, on_delete=models.CASCADE, related_name="price_envelope"
    )
    amount = models.DecimalField(_("total price (CAD)"), max_digits=14, decimal_places=2)
    currency = models.CharField(
        max_length=3, choices=Currency.choices, default=Currency.CAD, editable=False
    )
    breakdown = models.JSONField(_("breakdown"), default=list, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("price envelope")
        verbose_name_plural = _("price envelopes")
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gte=0),
                name="price_envelope_amount_not_negative",
                violation_error_message=_("The price cannot be negative."),
            ),
        ]

    def __str__(self):
        return f"Price envelope of {self.proposal_id}"


class ProposalReceipt(models.Model):
    """What was submitted, when, and its digest. A re-confirmation issues a new receipt.

    `documents` is the set of document versions frozen at that submission.
    """

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="receipts")
    digest = models.CharField(_("SHA-256 digest"), max_length=64)
    salt = models.CharField(max_length=32, blank=True, editable=False)
    submitted_at = models.DateTimeField(_("submitted"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    documents = models.ManyToManyField(ProposalDocument, related_name="receipts", blank=True)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = _("proposal receipt")
        verbose_name_plural = _("proposal receipts")

    def __str__(self):
        return f"Receipt {self.digest[:12]} for {self.proposal_id}"
