from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from challenges.models import Challenge
from core.permissions import transition_permission
from core.validation import required_reason
from core.workflow import guard_condition
from vendors.models import Proposal

from .plan import EvaluationPlan

OWNER_ONLY = _("Only the challenge's owner, a member of municipal staff, can take this step.")
CHAIR_OR_OWNER = _("Only the panel's chair or the challenge's owner can take this step.")
CHAIR_ONLY = _("Only the panel's chair can take this step.")
EVALUATOR_ONLY = _("Only the evaluator this assignment names can take this step.")


def _count_of(queryset) -> models.Subquery:
    """How many rows `queryset` has, as a subquery (to count several things in one query)."""
    return models.Subquery(
        queryset.order_by()
        .annotate(rows=models.Func(models.F("pk"), function="COUNT"))
        .values("rows"),
        output_field=models.IntegerField(),
    )


# Proposals that passed screening, whatever the decision made of them since.
PASSED_SCREENING = (
    Proposal.Status.QUALIFIED,
    Proposal.Status.SHORTLISTED,
    Proposal.Status.NOT_SELECTED,
    Proposal.Status.AWARDED,
    Proposal.Status.UNSUCCESSFUL,
)


class Evaluation(ConcurrentTransitionMixin, models.Model):
    """The evaluation of one challenge, stage by stage (DESIGN.md §3 Evaluation).

    Created in `setup` when the plan is frozen at publication (so the panel can be invited while
    proposals come in); the challenge's own `start_evaluation` (closed → evaluating) moves it to
    `screening` in the same transaction. That is the one way in: screening is refused while the
    challenge is not evaluating.
    """

    class Status(models.TextChoices):
        SETUP = "setup", _("Setting up the panel")
        SCREENING = "screening", _("Screening")
        SCORING = "scoring", _("Scoring")
        CONSENSUS = "consensus", _("Consensus")
        PRICES_OPENED = "prices_opened", _("Prices opened")
        RANKED = "ranked", _("Ranked")
        DECIDED = "decided", _("Decided")

    # Stages in which the technical consensus is final and prices may be read.
    PRICES_OPEN_STATES = (Status.PRICES_OPENED, Status.RANKED, Status.DECIDED)
    # Stages from which municipal staff see the panel's scores, not only its progress.
    CONSENSUS_STATES = (Status.CONSENSUS, *PRICES_OPEN_STATES)

    challenge = models.OneToOneField(
        Challenge, on_delete=models.PROTECT, related_name="evaluation", verbose_name=_("challenge")
    )
    plan = models.OneToOneField(EvaluationPlan, on_delete=models.PROTECT, related_name="evaluation")
    status = FSMField(
        _("stage"),
        max_length=16,
        choices=Status.choices,
        default=Status.SETUP,
        protected=True,
        db_index=True,
    )
    consensus_locked_at = models.DateTimeField(null=True, blank=True)
    consensus_locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    prices_opened_at = models.DateTimeField(null=True, blank=True)
    prices_opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    ranked_at = models.DateTimeField(null=True, blank=True)
    ranking_inputs_digest = models.CharField(max_length=64, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(_("decision note"), max_length=5000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")

    def __str__(self):
        return f"Evaluation of {self.challenge.reference}"

    # Reads the guards share.

    def received_proposals(self):
        return Proposal.objects.filter(
            challenge_id=self.challenge_id, status__in=Proposal.RECEIVED_STATES
        )

    def qualified_proposals(self):
        return Proposal.objects.filter(challenge_id=self.challenge_id, status__in=PASSED_SCREENING)

    def ranked_proposals(self):
        """The proposals the ranking is computed from: those that passed screening, including
        those cancelled with the challenge after it (a cancelled challenge's stored ranking
        stays reproducible from its inputs)."""
        return Proposal.objects.filter(
            Q(status__in=PASSED_SCREENING)
            | Q(status=Proposal.Status.CANCELLED, cancelled_from__in=PASSED_SCREENING),
            challenge_id=self.challenge_id,
        )

    # Guards: each returns the reasons a step cannot happen yet (see core.workflow).

    def cancellation_problems(self) -> list[str]:
        """Every step checks this first. The stage machine has no way to end on a cancelled
        challenge, so its rows stay where they were and nothing moves on from there."""
        if self.challenge.status == Challenge.Status.CANCELLED:
            return [_("The challenge was cancelled; its evaluation cannot go on.")]
        return []

    def screening_problems(self) -> list[str]:
        if problems := self.cancellation_problems():
            return problems
        if self.challenge.status != Challenge.Status.EVALUATING:
            return [
                _(
                    "Screening starts when the challenge's evaluation starts, after it has "
                    "closed. Start the evaluation from the challenge."
                )
            ]
        return []

    def scoring_problems(self) -> list[str]:
        if problems := self.cancellation_problems():
            return problems
        problems = []
        unscreened = self.received_proposals().filter(status=Proposal.Status.RECEIVED).count()
        if unscreened:
            problems.append(
                ngettext(
                    "Record the screening of the %(count)d proposal not yet screened.",
                    "Record the screening of the %(count)d proposals not yet screened.",
                    unscreened,
                )
                % {"count": unscreened}
            )
        elif not self.qualified_proposals().exists():
            problems.append(
                _("No proposal passed screening; there is nothing to score. End the challenge.")
            )
        active = self.assignments.filter(
            status__in=[PanelAssignment.Status.ACCEPTED, PanelAssignment.Status.SUBMITTED]
        )
        if not active.filter(is_chair=True).exists():
            problems.append(_("The panel needs a chair who has declared no conflict of interest."))
        return problems

    def consensus_problems(self) -> list[str]:
        if problems := self.cancellation_problems():
            return problems
        pending = list(
            self.assignments.filter(status=PanelAssignment.Status.ACCEPTED)
            .order_by("evaluator__username")
            .values_list("evaluator__username", flat=True)
        )
        if pending:
            return [
                _("Every evaluator must submit their scores first; still scoring: %(names)s.")
                % {"names": ", ".join(pending)}
            ]
        if not self.assignments.filter(status=PanelAssignment.Status.SUBMITTED).exists():
            return [_("No evaluator has submitted scores yet.")]
        return []

    def lock_problems(self) -> list[str]:
        if problems := self.cancellation_problems():
            return problems
        if self.consensus_locked_at:
            return [_("The consensus is already locked.")]
        if self.plan.combination != EvaluationPlan.Combination.CONSENSUS:
            return []
        # The three counts in one query.
        proposals, rated, recorded = (
            Evaluation.objects.filter(pk=self.pk)
            .values_list(
                _count_of(self.qualified_proposals()),
                _count_of(self.plan.criteria.filter(kind="rated")),
                _count_of(self.consensus_scores.all()),
            )
            .get()
        )
        expected = proposals * rated
        if recorded < expected:
            return [
                ngettext(
                    "Record the consensus score for the %(count)d proposal and criterion "
                    "still missing.",
                    "Record the consensus scores for the %(count)d proposals and criteria "
                    "still missing.",
                    expected - recorded,
                )
                % {"count": expected - recorded}
            ]
        return []

    def prices_problems(self) -> list[str]:
        if problems := self.cancellation_problems():
            return problems
        if not self.consensus_locked_at:
            return [_("Prices open only after the chair has locked the consensus.")]
        return []

    def decision_problems(self) -> list[str]:
        if problems := self.cancellation_problems():
            return problems
        if not self.ranking_entries.exists():
            return [_("Compute the ranking before deciding.")]
        return []

    # Transitions: they only guard and change state; services run them (core.workflow).

    @transition(
        field=status,
        source=Status.SETUP,
        target=Status.SCREENING,
        conditions=[guard_condition("screening_problems")],
        permission=transition_permission("evaluation.manage_evaluation"),
        custom={"guard": "screening_problems", "denied": OWNER_ONLY},
    )
    def start_screening(self, *, by=None, reason=""):
        pass

    @transition(
        field=status,
        source=Status.SCREENING,
        target=Status.SCORING,
        conditions=[guard_condition("scoring_problems")],
        permission=transition_permission("evaluation.manage_evaluation"),
        custom={"guard": "scoring_problems", "denied": OWNER_ONLY},
    )
    def start_scoring(self, *, by=None, reason=""):
        pass

    @transition(
        field=status,
        source=Status.SCORING,
        target=Status.CONSENSUS,
        conditions=[guard_condition("consensus_problems")],
        permission=transition_permission("evaluation.open_consensus"),
        custom={"guard": "consensus_problems", "denied": CHAIR_OR_OWNER},
    )
    def open_consensus(self, *, by=None, reason=""):
        pass

    @transition(
        field=status,
        source=Status.CONSENSUS,
        target=Status.CONSENSUS,
        conditions=[guard_condition("lock_problems")],
        permission=transition_permission("evaluation.lead_consensus"),
        custom={"guard": "lock_problems", "denied": CHAIR_ONLY},
    )
    def lock_consensus(self, *, by=None, reason=""):
        self.consensus_locked_at = timezone.now()
        self.consensus_locked_by = by

    @transition(
        field=status,
        source=Status.CONSENSUS,
        target=Status.PRICES_OPENED,
        conditions=[guard_condition("prices_problems")],
        permission=transition_permission("evaluation.manage_evaluation"),
        custom={"guard": "prices_problems", "denied": OWNER_ONLY},
    )
    def open_prices(self, *, by=None, reason=""):
        self.prices_opened_at = timezone.now()
        self.prices_opened_by = by

    @transition(
        field=status,
        source=Status.PRICES_OPENED,
        target=Status.RANKED,
        conditions=[guard_condition("cancellation_problems")],
        permission=transition_permission("evaluation.manage_evaluation"),
        custom={"guard": "cancellation_problems", "denied": OWNER_ONLY},
    )
    def rank(self, *, by=None, reason="", inputs_digest="", draw_seed=None, entries=0):
        self.ranked_at = timezone.now()
        self.ranking_inputs_digest = inputs_digest

    @transition(
        field=status,
        source=Status.RANKED,
        target=Status.DECIDED,
        conditions=[guard_condition("decision_problems")],
        permission=transition_permission("evaluation.manage_evaluation"),
        custom={"guard": "decision_problems", "denied": OWNER_ONLY},
    )
    def decide(self, *, by=None, reason="", shortlisted=()):
        self.decided_at = timezone.now()
        self.decision_note = (reason or "").strip()


class PanelAssignment(ConcurrentTransitionMixin, models.Model):
    """One evaluator on one evaluation's panel.

    The whole panel scores every proposal that passed screening: the declaration covers every
    vendor at once, so a conflict with one vendor takes the evaluator off the panel (recused)
    rather than off one proposal.
    """

    class Status(models.TextChoices):
        INVITED = "invited", _("Invited")
        ACCEPTED = "accepted", _("Accepted (no conflict declared)")
        RECUSED = "recused", _("Recused")
        SUBMITTED = "submitted", _("Scores submitted")

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="assignments")
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="panel_assignments",
        verbose_name=_("evaluator"),
    )
    is_chair = models.BooleanField(_("chair"), default=False)
    due_at = models.DateTimeField(_("scores due"))
    status = FSMField(
        _("status"),
        max_length=12,
        choices=Status.choices,
        default=Status.INVITED,
        protected=True,
        db_index=True,
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    assigned_at = models.DateTimeField(auto_now_add=True)
    # The signed declaration: the exact statement shown, the vendors it named, who signed, when.
    declaration_statement = models.TextField(blank=True)
    declaration_vendors = models.JSONField(default=list, blank=True)
    declaration_signature = models.CharField(max_length=200, blank=True)
    declared_at = models.DateTimeField(null=True, blank=True)
    recusal_reason = models.TextField(blank=True)
    recused_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["evaluation", "-is_chair", "assigned_at", "pk"]
        verbose_name = _("panel assignment")
        verbose_name_plural = _("panel assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "evaluator"],
                name="one_assignment_per_evaluator",
                violation_error_message=_("This person is already on the panel."),
            ),
            # One chair; a chair who recused no longer counts, so another can take over.
            models.UniqueConstraint(
                fields=["evaluation"],
                condition=Q(is_chair=True) & ~Q(status="recused"),
                name="one_chair_per_panel",
                violation_error_message=_("The panel already has a chair."),
            ),
        ]

    def __str__(self):
        return f"{self.evaluator} on {self.evaluation}"

    @property
    def challenge_id(self):
        # The audit receiver files rows that belong to a challenge under it.
        return self.evaluation.challenge_id

    # Guards.

    def cancellation_problems(self) -> list[str]:
        return self.evaluation.cancellation_problems()

    def acceptance_problems(self) -> list[str]:
        evaluation = self.evaluation
        if problems := evaluation.cancellation_problems():
            return problems
        if evaluation.status == Evaluation.Status.SETUP:
            return [
                _(
                    "You can declare once the challenge has closed and the vendors who took "
                    "part are known."
                )
            ]
        if evaluation.status not in (Evaluation.Status.SCREENING, Evaluation.Status.SCORING):
            return [_("Scoring is over; the panel can no longer change.")]
        if Proposal.objects.filter(
            challenge_id=evaluation.challenge_id, vendor__memberships__user_id=self.evaluator_id
        ).exists():
            return [
                _(
                    "You are a member of a vendor that took part in this challenge, so you "
                    "cannot evaluate it. Recuse yourself."
                )
            ]
        return []

    def submission_problems(self) -> list[str]:
        evaluation = self.evaluation
        if problems := evaluation.cancellation_problems():
            return problems
        if evaluation.status != Evaluation.Status.SCORING:
            return [_("Scores can be submitted only while the evaluation is in scoring.")]
        rated = evaluation.plan.criteria.filter(kind="rated").count()
        expected = evaluation.qualified_proposals().count() * rated
        scored = self.scores.filter(proposal__status__in=PASSED_SCREENING).count()
        if scored < expected:
            return [
                ngettext(
                    "Score every criterion of every proposal before submitting; %(count)d "
                    "score is missing.",
                    "Score every criterion of every proposal before submitting; %(count)d "
                    "scores are missing.",
                    expected - scored,
                )
                % {"count": expected - scored}
            ]
        return []

    # Transitions.

    @transition(
        field=status,
        source=Status.INVITED,
        target=Status.ACCEPTED,
        conditions=[guard_condition("acceptance_problems")],
        permission=transition_permission("evaluation.respond_to_assignment"),
        custom={"guard": "acceptance_problems", "denied": EVALUATOR_ONLY},
    )
    def accept(self, *, by=None, reason="", statement="", vendors=(), signature=""):
        self.declaration_statement = statement
        self.declaration_vendors = list(vendors)
        self.declaration_signature = signature
        self.declared_at = timezone.now()

    @transition(
        field=status,
        source=[Status.INVITED, Status.ACCEPTED],
        target=Status.RECUSED,
        conditions=[guard_condition("cancellation_problems")],
        permission=transition_permission("evaluation.respond_to_assignment"),
        custom={"guard": "cancellation_problems", "denied": EVALUATOR_ONLY},
    )
    def recuse(self, *, by=None, reason=""):
        self.recusal_reason = required_reason(reason, _("for recusing yourself"))
        self.recused_at = timezone.now()

    @transition(
        field=status,
        source=Status.ACCEPTED,
        target=Status.SUBMITTED,
        conditions=[guard_condition("submission_problems")],
        permission=transition_permission("evaluation.respond_to_assignment"),
        custom={"guard": "submission_problems", "denied": EVALUATOR_ONLY},
    )
    def submit(self, *, by=None, reason=""):
        self.submitted_at = timezone.now()
