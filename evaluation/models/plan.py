import hashlib
import json
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from challenges.models import Challenge


class EvaluationPlan(models.Model):
    """How a challenge's proposals are judged: written with the statement, fixed when the
    challenge goes to review, approved with it and frozen at publication.

    Scales: a rated criterion of weight w contributes `points / max points × w` to the technical
    score, so the technical score runs from 0 to the sum of the rated weights; the price criterion
    gives `lowest price / bid price × its weight`. Rated and price weights add up to 100, so a
    total is out of 100. The minimum technical score is on the technical scale.
    """

    class Combination(models.TextChoices):
        CONSENSUS = "consensus", _("Consensus score recorded by the chair")
        AVERAGE = "average", _("Average of the evaluators' scores")

    class TieBreak(models.TextChoices):
        TECHNICAL = "technical", _("technical score")
        PRICE = "price", _("price")
        DRAW = "draw", _("recorded draw")

    challenge = models.OneToOneField(
        Challenge,
        on_delete=models.PROTECT,
        related_name="evaluation_plan",
        verbose_name=_("challenge"),
    )
    minimum_technical_score = models.DecimalField(
        _("minimum technical score"),
        max_digits=6,
        decimal_places=2,
        default=Decimal("0"),
        help_text=_(
            "On the technical scale (0 to the sum of the rated weights). Proposals below it get "
            "no price points and their prices are not shown."
        ),
    )
    combination = models.CharField(
        _("how scores combine"),
        max_length=12,
        choices=Combination.choices,
        default=Combination.CONSENSUS,
    )
    tie_break_order = models.JSONField(
        _("tie-break order"),
        default=list,
        blank=True,
        help_text=_("Applied in order when totals are equal: technical score, price, draw."),
    )
    # Four eyes cover the plan: the digest the approver approved, and the one frozen at
    # publication. Nothing may change the plan in between, so the two are equal.
    approved_digest = models.CharField(
        _("approved digest (SHA-256)"), max_length=64, blank=True, editable=False
    )
    digest = models.CharField(
        _("published digest (SHA-256)"), max_length=64, blank=True, editable=False
    )
    frozen_at = models.DateTimeField(_("frozen"), null=True, blank=True, editable=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("evaluation plan")
        verbose_name_plural = _("evaluation plans")
        constraints = [
            models.CheckConstraint(
                condition=Q(minimum_technical_score__gte=0),
                name="plan_minimum_technical_not_negative",
                violation_error_message=_("The minimum technical score cannot be negative."),
            ),
        ]

    def __str__(self):
        return f"Evaluation plan of {self.challenge.reference}"

    @property
    def is_frozen(self) -> bool:
        return self.frozen_at is not None

    def canonical(self, criteria=None) -> dict:
        """What the digest covers: every rule that decides a ranking, in a stable order."""
        criteria = criteria if criteria is not None else self.criteria.order_by("order", "pk")
        return {
            "challenge": self.challenge.reference,
            "minimum_technical_score": str(self.minimum_technical_score),
            "combination": self.combination,
            "tie_break_order": list(self.tie_break_order),
            "criteria": [
                {
                    "kind": c.kind,
                    "order": c.order,
                    "name": c.name,
                    "description": c.description,
                    "weight": c.weight,
                    "max_points": c.max_points,
                }
                for c in criteria
            ],
        }

    def compute_digest(self, criteria=None) -> str:
        text = json.dumps(
            self.canonical(criteria), sort_keys=True, separators=(",", ":"), ensure_ascii=False
        )
        return hashlib.sha256(text.encode()).hexdigest()


class Criterion(models.Model):
    class Kind(models.TextChoices):
        MANDATORY = "mandatory", _("Mandatory (pass or fail)")
        RATED = "rated", _("Rated")
        PRICE = "price", _("Price")

    plan = models.ForeignKey(EvaluationPlan, on_delete=models.CASCADE, related_name="criteria")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), max_length=5000, blank=True)
    weight = models.PositiveSmallIntegerField(
        _("weight (%)"), default=0, help_text=_("Rated and price criteria only.")
    )
    max_points = models.PositiveSmallIntegerField(
        _("maximum points"), null=True, blank=True, help_text=_("Rated criteria only.")
    )
    # Set when the owner accepted this criterion from the data governance record's proposals.
    governance_key = models.CharField(max_length=60, blank=True, editable=False)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        constraints = [
            models.UniqueConstraint(
                fields=["plan"],
                condition=Q(kind="price"),
                name="one_price_criterion_per_plan",
                violation_error_message=_("A plan has one price criterion."),
            ),
            models.CheckConstraint(
                condition=Q(kind="mandatory", weight=0, max_points__isnull=True)
                | Q(kind="rated", weight__gte=1, weight__lte=100, max_points__gte=1)
                | Q(kind="price", weight__gte=1, weight__lte=100, max_points__isnull=True),
                name="criterion_weight_fits_kind",
                violation_error_message=_(
                    "A mandatory criterion has no weight or points; a rated one has a weight "
                    "(1 to 100) and maximum points; the price criterion has a weight only."
                ),
            ),
        ]

    def __str__(self):
        return self.name
