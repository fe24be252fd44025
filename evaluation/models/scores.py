from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from vendors.models import Proposal

from .evaluation import Evaluation, PanelAssignment
from .plan import Criterion

POINTS_IN_RANGE = _("Points must be between 0 and the criterion's maximum.")


def _points_constraints(prefix: str) -> list:
    # A check constraint cannot read the criterion's row, so each score carries its maximum.
    return [
        models.CheckConstraint(
            condition=Q(points__gte=0) & Q(points__lte=F("max_points")),
            name=f"{prefix}_points_in_range",
            violation_error_message=POINTS_IN_RANGE,
        ),
        models.CheckConstraint(
            condition=Q(max_points__gte=1), name=f"{prefix}_max_points_positive"
        ),
    ]


class ScreeningResult(models.Model):
    """Pass or fail on one mandatory criterion for one received proposal, with a note."""

    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.CASCADE, related_name="screening_results"
    )
    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="+")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    passed = models.BooleanField(_("passed"))
    note = models.TextField(_("note"), max_length=5000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["proposal", "criterion__order", "criterion_id"]
        verbose_name = _("screening result")
        verbose_name_plural = _("screening results")
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "criterion"], name="one_screening_result_per_criterion"
            ),
        ]

    def __str__(self):
        return f"{self.criterion_id} {'pass' if self.passed else 'fail'} for {self.proposal_id}"


class Score(models.Model):
    """One evaluator's points for one proposal on one rated criterion (the current version)."""

    assignment = models.ForeignKey(PanelAssignment, on_delete=models.CASCADE, related_name="scores")
    proposal = models.ForeignKey(
        Proposal, on_delete=models.PROTECT, related_name="evaluation_scores"
    )
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    points = models.DecimalField(_("points"), max_digits=6, decimal_places=2)
    max_points = models.PositiveSmallIntegerField(editable=False)
    rationale = models.TextField(_("rationale"), max_length=5000)
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["proposal", "criterion__order", "criterion_id", "assignment_id"]
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "proposal", "criterion"],
                name="one_score_per_evaluator_proposal_criterion",
            ),
            *_points_constraints("score"),
        ]
        indexes = [models.Index(fields=["proposal", "criterion"], name="score_proposal_crit")]

    def __str__(self):
        return f"{self.points}/{self.max_points} on {self.criterion_id} for {self.proposal_id}"


class ScoreRevision(models.Model):
    """Every submitted version of a score: version 1 at submission, then one per change."""

    score = models.ForeignKey(Score, on_delete=models.CASCADE, related_name="revisions")
    version = models.PositiveIntegerField()
    points = models.DecimalField(max_digits=6, decimal_places=2)
    max_points = models.PositiveSmallIntegerField()
    rationale = models.TextField()
    reason = models.TextField(blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["score", "version"]
        verbose_name = _("score revision")
        verbose_name_plural = _("score revisions")
        constraints = [
            models.UniqueConstraint(fields=["score", "version"], name="one_revision_per_version"),
            *_points_constraints("score_revision"),
        ]

    def __str__(self):
        return f"Version {self.version} of score {self.score_id}"


class ConsensusScore(models.Model):
    """The panel's agreed points for one proposal on one rated criterion, recorded by the chair."""

    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.CASCADE, related_name="consensus_scores"
    )
    proposal = models.ForeignKey(
        Proposal, on_delete=models.PROTECT, related_name="consensus_scores"
    )
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    points = models.DecimalField(_("points"), max_digits=6, decimal_places=2)
    max_points = models.PositiveSmallIntegerField(editable=False)
    rationale = models.TextField(_("rationale"), max_length=5000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["proposal", "criterion__order", "criterion_id"]
        verbose_name = _("consensus score")
        verbose_name_plural = _("consensus scores")
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "criterion"], name="one_consensus_score_per_criterion"
            ),
            *_points_constraints("consensus"),
        ]

    def __str__(self):
        return f"Consensus {self.points}/{self.max_points} on {self.criterion_id}"


class DrawRecord(models.Model):
    """A recorded draw: the seed, who drew and when; it orders proposals still tied."""

    evaluation = models.OneToOneField(Evaluation, on_delete=models.CASCADE, related_name="draw")
    seed = models.BigIntegerField()
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    drawn_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("draw")
        verbose_name_plural = _("draws")

    def __str__(self):
        return f"Draw {self.seed} for {self.evaluation_id}"


class DrawEntry(models.Model):
    draw = models.ForeignKey(DrawRecord, on_delete=models.CASCADE, related_name="entries")
    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveIntegerField()

    class Meta:
        ordering = ["draw", "position"]
        constraints = [
            models.UniqueConstraint(fields=["draw", "proposal"], name="one_draw_entry_per_proposal")
        ]

    def __str__(self):
        return f"{self.position}: {self.proposal_id}"


class RankingEntry(models.Model):
    """A stored ranking row; `manage.py recompute_ranking` checks it against the inputs."""

    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.CASCADE, related_name="ranking_entries"
    )
    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="+")
    technical = models.DecimalField(max_digits=9, decimal_places=4)
    meets_minimum = models.BooleanField()
    price_points = models.DecimalField(max_digits=9, decimal_places=4)
    total = models.DecimalField(max_digits=9, decimal_places=4)
    rank = models.PositiveIntegerField()
    tie_break_applied = models.CharField(max_length=200, blank=True)
    criterion_scores = models.JSONField(default=dict)

    class Meta:
        ordering = ["evaluation", "rank", "proposal_id"]
        verbose_name = _("ranking entry")
        verbose_name_plural = _("ranking entries")
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "proposal"], name="one_ranking_entry_per_proposal"
            )
        ]

    def __str__(self):
        return f"#{self.rank} {self.proposal_id} ({self.total})"
