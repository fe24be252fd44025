from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from core.permissions import transition_permission
from core.workflow import guard_condition

from .pilot import OWNER_ONLY


class Contract(ConcurrentTransitionMixin, models.Model):
    """The contract that follows a final award, carrying the terms the data governance record
    decided (docs/data-governance.md)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Being drafted")
        SIGNED = "signed", _("Signed")

    challenge = models.ForeignKey(
        "challenges.Challenge",
        on_delete=models.PROTECT,
        related_name="contracts",
        verbose_name=_("challenge"),
    )
    award = models.OneToOneField(
        "procurement.Award", on_delete=models.PROTECT, related_name="contract"
    )
    status = FSMField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, protected=True
    )
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2, null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=3, default="CAD")
    starts_on = models.DateField(_("starts"), null=True, blank=True)
    ends_on = models.DateField(_("ends"), null=True, blank=True)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    signed_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")
        constraints = [
            models.CheckConstraint(
                condition=Q(value__isnull=True) | Q(value__gt=0),
                name="contract_value_positive",
                violation_error_message=_("The contract's value is more than zero."),
            ),
            models.CheckConstraint(
                condition=Q(starts_on__isnull=True)
                | Q(ends_on__isnull=True)
                | Q(ends_on__gte=F("starts_on")),
                name="contract_ends_after_start",
                violation_error_message=_("The contract ends on or after the day it starts."),
            ),
        ]

    def __str__(self):
        return f"Contract for {self.challenge.reference}"

    def sign_problems(self) -> list[str]:
        """What must be recorded before the contract is marked signed: its value, period and
        signing date, and the signed copy (a document the challenges app keeps)."""
        problems = []
        if self.value is None:
            problems.append(_("Enter the contract's value."))
        if self.starts_on is None or self.ends_on is None:
            problems.append(_("Enter the contract's start and end dates."))
        if self.signed_on is None:
            problems.append(_("Enter the date the contract was signed."))
        if not self.has_signed_copy():
            problems.append(
                _("Attach the signed copy of the contract (a document of type “Signed contract”).")
            )
        return problems

    def signed_copies(self):
        from challenges.models import Document

        return Document.objects.filter(
            challenge_id=self.challenge_id,
            attached_to=Document.AttachedTo.CONTRACT,
            kind=Document.Kind.CONTRACT_SIGNED,
            withdrawn_at__isnull=True,
        )

    def has_signed_copy(self) -> bool:
        return self.signed_copies().exists()

    @transition(
        field=status,
        source=Status.DRAFT,
        target=Status.SIGNED,
        conditions=[guard_condition("sign_problems")],
        permission=transition_permission("procurement.manage_contract"),
        custom={"denied": OWNER_ONLY, "guard": "sign_problems"},
    )
    def sign(self, *, by=None, reason=""):
        self.signed_at = timezone.now()


class ContractTerm(models.Model):
    """A term of the contract; drafted from the data governance record, edited before signing."""

    class Topic(models.TextChoices):
        OWNERSHIP = "ownership", _("Data ownership")
        RESIDENCY = "residency", _("Data residency")
        RETENTION = "retention", _("Retention")
        SHARING = "sharing", _("Sharing agreements")
        OPEN_DATA = "open_data", _("Open-data deliverables")
        PRIVACY = "privacy", _("Privacy")
        AUTOMATED_DECISIONS = "automated_decisions", _("Automated decisions")
        ACCESSIBILITY = "accessibility", _("Accessibility")
        EXIT = "exit", _("Exit and portability")
        OTHER = "other", _("Other")

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="terms")
    topic = models.CharField(_("topic"), max_length=20, choices=Topic.choices)
    text = models.TextField(_("term"), max_length=4000)
    # Where the term came from (the part of the data governance record it was drafted from),
    # blank for a term staff wrote.
    source = models.CharField(_("drafted from"), max_length=300, blank=True)
    # Drafted from a confidential part of the record, or marked so by staff: never published.
    confidential = models.BooleanField(
        _("confidential"),
        default=False,
        help_text=_("Confidential terms are seen by municipal staff only and never published."),
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("contract term")
        verbose_name_plural = _("contract terms")

    def __str__(self):
        return f"{self.get_topic_display()}: {self.text[:60]}"
