from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from core.errors import PermissionDenied
from core.permissions import transition_permission
from core.timefmt import format_local
from core.validation import required_reason
from core.workflow import guard_condition

OWNER_ONLY = _("Only the challenge's owner, a member of municipal staff, can take this step.")
# Four eyes: whoever recommended an award never approves it, whatever groups they are in.
APPROVER_ONLY = _(
    "Only an approver who did not recommend this award can approve or reject it; "
    "ask another approver."
)
SYSTEM_ONLY = _(
    "This step happens automatically when the challenge is cancelled or ends without an award."
)


class Award(ConcurrentTransitionMixin, models.Model):
    """The decision to contract one proposal, from recommendation to the end of standstill."""

    class Status(models.TextChoices):
        RECOMMENDED = "recommended", _("Recommended")
        APPROVED = "approved", _("Approved")
        NOTIFIED = "notified", _("Vendors notified")
        STANDSTILL = "standstill", _("Standstill period")
        FINAL = "final", _("Final")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = (
            "withdrawn",
            _("Withdrawn: the challenge was cancelled or ended without an award"),
        )

    # States in which vendors know the result (the letters went out).
    ANNOUNCED_STATES = (Status.NOTIFIED, Status.STANDSTILL, Status.FINAL)
    # States in which the award is under way: it is withdrawn if its challenge is cancelled or
    # ends without an award. A final award made the challenge awarded, which neither can follow.
    LIVE_STATES = (Status.RECOMMENDED, Status.APPROVED, Status.NOTIFIED, Status.STANDSTILL)
    # The challenge's states that withdraw a live award (cancelled, not_awarded).
    WITHDRAWING_CHALLENGE_STATES = ("cancelled", "not_awarded")

    challenge = models.ForeignKey(
        "challenges.Challenge",
        on_delete=models.PROTECT,
        related_name="awards",
        verbose_name=_("challenge"),
    )
    evaluation = models.ForeignKey(
        "evaluation.Evaluation", on_delete=models.PROTECT, related_name="awards"
    )
    proposal = models.ForeignKey(
        "vendors.Proposal",
        on_delete=models.PROTECT,
        related_name="awards",
        verbose_name=_("winning proposal"),
    )
    status = FSMField(
        _("status"),
        max_length=20,
        choices=Status.choices,
        default=Status.RECOMMENDED,
        protected=True,
        db_index=True,
    )
    recommended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recommended_at = models.DateTimeField(default=timezone.now)
    recommendation = models.TextField(_("why this proposal"), blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    rejection_reason = models.TextField(blank=True)
    notified_at = models.DateTimeField(null=True, blank=True)
    standstill_ends_at = models.DateTimeField(_("standstill ends"), null=True, blank=True)
    finalised_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    # The stage the award had reached when it was withdrawn: whether vendors had been told.
    withdrawn_from = models.CharField(
        _("stage when withdrawn"),
        max_length=20,
        choices=Status.choices,
        blank=True,
        editable=False,
    )
    withdrawal_reason = models.TextField(_("why it was withdrawn"), blank=True)
    # When the chronograph must next look at this award (the end of standstill).
    next_due_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-recommended_at", "-pk"]
        verbose_name = _("award")
        verbose_name_plural = _("awards")
        indexes = [
            models.Index(
                fields=["next_due_at"],
                name="award_next_due",
                condition=Q(next_due_at__isnull=False),
            ),
        ]
        constraints = [
            # A rejected recommendation makes way for another; otherwise one award per challenge.
            models.UniqueConstraint(
                fields=["challenge"],
                condition=~Q(status="rejected"),
                name="one_live_award_per_challenge",
                violation_error_message=_("This challenge already has an award in progress."),
            ),
        ]

    def __str__(self):
        return f"{self.challenge.reference}: {self.proposal.vendor}"

    @property
    def debrief_window_open(self) -> bool:
        return (
            self.status in (self.Status.NOTIFIED, self.Status.STANDSTILL)
            and self.standstill_ends_at is not None
            and timezone.now() < self.standstill_ends_at
        )

    @property
    def was_announced(self) -> bool:
        """Whether vendors were told of this award, including one withdrawn since."""
        if self.status == self.Status.WITHDRAWN:
            return self.withdrawn_from in self.ANNOUNCED_STATES
        return self.status in self.ANNOUNCED_STATES

    # Guards: each returns the reasons a step cannot happen yet (see core.workflow).

    def withdrawal_problems(self) -> list[str]:
        if self.challenge.status not in self.WITHDRAWING_CHALLENGE_STATES:
            return [
                _(
                    "An award is withdrawn only when its challenge is cancelled or ends "
                    "without an award."
                )
            ]
        return []

    def finalise_problems(self) -> list[str]:
        # The deadline is exclusive (DESIGN.md §4): at the end instant the standstill is over.
        if self.standstill_ends_at is None or timezone.now() < self.standstill_ends_at:
            return [
                _(
                    "The standstill period runs until %(end)s; the award can be made final "
                    "only after it ends."
                )
                % {"end": format_local(self.standstill_ends_at) if self.standstill_ends_at else "?"}
            ]
        return []

    # Transitions: they only guard and change state; services run them (core.workflow).

    @transition(
        field=status,
        source=Status.RECOMMENDED,
        target=Status.APPROVED,
        permission=transition_permission("procurement.approve_award"),
        custom={"denied": APPROVER_ONLY},
    )
    def approve(self, *, by=None, reason=""):
        # The permission already says so; repeated so that no caller approves without a person.
        if by is None or by.pk == self.recommended_by_id:
            raise PermissionDenied(APPROVER_ONLY)
        self.approved_by = by
        self.approved_at = timezone.now()

    @transition(
        field=status,
        source=Status.RECOMMENDED,
        target=Status.REJECTED,
        permission=transition_permission("procurement.approve_award"),
        custom={"denied": APPROVER_ONLY},
    )
    def reject(self, *, by=None, reason=""):
        self.rejection_reason = required_reason(reason, _("for rejecting the recommendation"))

    @transition(
        field=status,
        source=Status.APPROVED,
        target=Status.NOTIFIED,
        permission=transition_permission("procurement.manage_award"),
        custom={"denied": OWNER_ONLY},
    )
    def notify(self, *, by=None, reason=""):
        self.notified_at = timezone.now()
        self.standstill_ends_at = self.notified_at + timedelta(days=settings.AWARD_STANDSTILL_DAYS)

    @transition(
        field=status,
        source=Status.NOTIFIED,
        target=Status.STANDSTILL,
        permission=transition_permission("procurement.manage_award"),
        custom={"denied": OWNER_ONLY},
    )
    def start_standstill(self, *, by=None, reason=""):
        pass

    @transition(
        field=status,
        source=Status.STANDSTILL,
        target=Status.FINAL,
        conditions=[guard_condition("finalise_problems")],
        permission=transition_permission("procurement.manage_award"),
        custom={"denied": OWNER_ONLY, "guard": "finalise_problems"},
    )
    def finalise(self, *, by=None, reason=""):
        self.finalised_at = timezone.now()

    @transition(
        field=status,
        source=list(LIVE_STATES),
        target=Status.WITHDRAWN,
        conditions=[guard_condition("withdrawal_problems")],
        permission=transition_permission("procurement.run_award_system_step"),
        custom={"guard": "withdrawal_problems", "denied": SYSTEM_ONLY},
    )
    def withdraw(self, *, by=None, reason="", cause=""):
        self.withdrawn_from = self.status
        self.withdrawn_at = timezone.now()
        self.withdrawal_reason = (reason or "").strip()
        # Nothing is due any more: the standstill (and with it the debrief window) is over.
        self.next_due_at = None


MANAGES_DEBRIEFS = _("Only the challenge's owner schedules debriefs and records them.")


class DebriefRequest(ConcurrentTransitionMixin, models.Model):
    """A vendor asks the municipality to explain its result, during the standstill period; the
    challenge's owner schedules the meeting (and may move it) and records that it was held."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        SCHEDULED = "scheduled", _("Scheduled")
        HELD = "held", _("Held")

    award = models.ForeignKey(Award, on_delete=models.CASCADE, related_name="debrief_requests")
    proposal = models.ForeignKey(
        "vendors.Proposal", on_delete=models.PROTECT, related_name="debrief_requests"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    message = models.TextField(_("what you would like explained"), max_length=5000, blank=True)
    status = FSMField(
        _("status"),
        max_length=20,
        choices=Status.choices,
        default=Status.REQUESTED,
        protected=True,
    )
    scheduled_for = models.DateTimeField(_("date and time"), null=True, blank=True)
    location = models.CharField(
        _("place or link"),
        max_length=500,
        blank=True,
        help_text=_("A room and address, or the link to the video call."),
    )
    scheduled_at = models.DateTimeField(null=True, blank=True, editable=False)
    held_at = models.DateTimeField(null=True, blank=True, editable=False)
    held_note = models.TextField(_("notes from the debrief"), max_length=5000, blank=True)

    class Meta:
        ordering = ["requested_at", "pk"]
        verbose_name = _("debrief request")
        verbose_name_plural = _("debrief requests")
        constraints = [
            models.UniqueConstraint(
                fields=["award", "proposal"],
                name="one_debrief_request_per_proposal",
                violation_error_message=_("A debrief was already requested for this proposal."),
            )
        ]

    def __str__(self):
        return f"Debrief for {self.proposal_id} on award {self.award_id}"

    @property
    def challenge(self):
        """The challenge whose owner handles the debrief (the rules ask it)."""
        return self.award.challenge

    @transition(
        field=status,
        source=[Status.REQUESTED, Status.SCHEDULED],
        target=Status.SCHEDULED,
        permission=transition_permission("procurement.manage_debrief"),
        custom={"denied": MANAGES_DEBRIEFS},
    )
    def schedule(self, *, by=None, reason="", scheduled_for=None, location=""):
        self.scheduled_for = scheduled_for
        self.location = location
        self.scheduled_at = timezone.now()

    @transition(
        field=status,
        source=Status.SCHEDULED,
        target=Status.HELD,
        permission=transition_permission("procurement.manage_debrief"),
        custom={"denied": MANAGES_DEBRIEFS},
    )
    def record_held(self, *, by=None, reason="", note=""):
        self.held_at = timezone.now()
        self.held_note = note
