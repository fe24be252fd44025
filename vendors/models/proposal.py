import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from challenges.models import Challenge
from core.permissions import transition_permission
from core.timefmt import format_local
from core.validation import required_reason
from core.workflow import guard_condition

from ..validators import word_count
from .vendor import VendorOrganization

# Challenge states in which the submission period is over: proposals are unsealed for staff.
CHALLENGE_CLOSED_STATES = (
    Challenge.Status.CLOSED,
    Challenge.Status.EVALUATING,
    Challenge.Status.AWARDED,
    Challenge.Status.NOT_AWARDED,
)

MEMBERS_ONLY = _("Only members of the vendor organization that owns this proposal can do this.")
SYSTEM_ONLY = _("This step happens automatically when the challenge closes or changes.")
OWNER_ONLY = _("Only the challenge's owner, a member of municipal staff, can take this step.")


def challenge_is_closed(challenge) -> bool:
    """Whether the submission period of `challenge` has ended by closing (cancelled after too).

    The one meaning of "closed" for sealing (vendors.sealing); `closed_challenges_q` says the same
    in a query."""
    return challenge.status in CHALLENGE_CLOSED_STATES or (
        challenge.status == Challenge.Status.CANCELLED and challenge.closed_at is not None
    )


def closed_challenges_q(prefix: str = "") -> models.Q:
    """`challenge_is_closed` as a filter on challenges, or on rows through `prefix`."""
    return models.Q(**{f"{prefix}status__in": CHALLENGE_CLOSED_STATES}) | models.Q(
        **{f"{prefix}status": Challenge.Status.CANCELLED, f"{prefix}closed_at__isnull": False}
    )


class Proposal(ConcurrentTransitionMixin, models.Model):
    """A vendor's sealed answer to a challenge: a technical and a price envelope."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        NEEDS_RECONFIRMATION = "needs_reconfirmation", _("Needs re-confirmation")
        RECEIVED = "received", _("Received")
        LAPSED = "lapsed", _("Lapsed (not submitted)")
        DISQUALIFIED = "disqualified", _("Disqualified")
        QUALIFIED = "qualified", _("Qualified")
        SHORTLISTED = "shortlisted", _("Shortlisted")
        NOT_SELECTED = "not_selected", _("Not selected")
        AWARDED = "awarded", _("Awarded")
        UNSUCCESSFUL = "unsuccessful", _("Unsuccessful")
        CANCELLED = "cancelled", _("Challenge cancelled")

    # Proposals the municipality received at closing, whatever evaluation made of them since.
    RECEIVED_STATES = (
        Status.RECEIVED,
        Status.DISQUALIFIED,
        Status.QUALIFIED,
        Status.SHORTLISTED,
        Status.NOT_SELECTED,
        Status.AWARDED,
        Status.UNSUCCESSFUL,
    )

    # Proposals still in play when their challenge is cancelled: they move to `cancelled`.
    # Withdrawn, lapsed and decided ones stay as they are, as closing leaves withdrawn ones.
    OPEN_STATES = (
        Status.DRAFT,
        Status.SUBMITTED,
        Status.NEEDS_RECONFIRMATION,
        Status.RECEIVED,
        Status.QUALIFIED,
        Status.SHORTLISTED,
    )

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    challenge = models.ForeignKey(
        Challenge, on_delete=models.PROTECT, related_name="proposals", verbose_name=_("challenge")
    )
    vendor = models.ForeignKey(
        VendorOrganization,
        on_delete=models.PROTECT,
        related_name="proposals",
        verbose_name=_("vendor"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    status = FSMField(
        _("status"),
        max_length=24,
        choices=Status.choices,
        default=Status.DRAFT,
        protected=True,
        db_index=True,
    )
    # The time the submission reached the server (its arrival, which decided it was on time),
    # not when it was written: DESIGN.md §4.
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    receipt_digest = models.CharField(_("receipt digest (SHA-256)"), max_length=64, blank=True)
    receipt_salt = models.CharField(max_length=32, blank=True, editable=False)
    status_reason = models.TextField(_("reason"), blank=True)
    # The state a proposal was in when its challenge was cancelled: staff keep reading what the
    # municipality had received (never the price), and nothing sealed before closing opens.
    cancelled_from = models.CharField(
        _("state when the challenge was cancelled"),
        max_length=24,
        choices=Status.choices,
        blank=True,
        editable=False,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        constraints = [
            models.UniqueConstraint(
                fields=["challenge", "vendor"],
                name="one_proposal_per_vendor_per_challenge",
                violation_error_message=_(
                    "Your organization already has a proposal for this challenge."
                ),
            ),
        ]

    # When the request acting on this proposal reached the server, set by the service of a
    # submission (not stored: `submitted_at` keeps it). The deadline is judged on it, so a
    # submission that arrived in time is not refused for the time it then waited. None: now.
    arrived_at = None

    def __str__(self):
        return f"Proposal {self.public_id} to {self.challenge.reference}"

    @property
    def was_received(self) -> bool:
        """Whether the municipality received it at closing, whatever happened to it since."""
        if self.status == self.Status.CANCELLED:
            return self.cancelled_from in self.RECEIVED_STATES
        return self.status in self.RECEIVED_STATES

    @classmethod
    def received_q(cls) -> models.Q:
        """`was_received` as a filter."""
        return models.Q(status__in=cls.RECEIVED_STATES) | models.Q(
            status=cls.Status.CANCELLED, cancelled_from__in=cls.RECEIVED_STATES
        )

    # Guards: each returns the reasons a step cannot happen yet (see core.workflow).

    def submission_period_problems(self) -> list[str]:
        """The challenge must be open, and the deadline (exclusive) not yet reached."""
        challenge = self.challenge
        if challenge.status != Challenge.Status.PUBLISHED:
            return [_("This challenge is not open for proposals.")]
        deadline = challenge.submission_deadline
        if deadline and (self.arrived_at or timezone.now()) >= deadline:
            return [
                _(
                    "The submission deadline passed at %(deadline)s; proposals can no longer be "
                    "submitted."
                )
                % {"deadline": format_local(deadline)}
            ]
        return []

    def completeness_problems(self) -> list[str]:
        problems = []
        answers = {a.question_id: a.text for a in self.answers.all()}
        for question in self.challenge.response_questions.all():
            text = (answers.get(question.pk) or "").strip()
            if question.required and not text:
                problems.append(
                    _("Answer the required question “%(question)s”.")
                    % {"question": question.prompt}
                )
            words = word_count(text)
            if question.max_words and words > question.max_words:
                problems.append(
                    _(
                        "Your answer to “%(question)s” has %(words)d words; the limit is "
                        "%(limit)d. Shorten it."
                    )
                    % {"question": question.prompt, "words": words, "limit": question.max_words}
                )
        # Read with the proposal by the editor's page (`selectors.proposal_for_editor`) or by the
        # service that submits it (select_related), else now.
        priced = getattr(self, "has_price_envelope", None)
        if priced is None and "price_envelope" in self._state.fields_cache:
            priced = self._state.fields_cache["price_envelope"] is not None
        if priced is None:
            priced = Proposal.objects.filter(pk=self.pk, price_envelope__isnull=False).exists()
        if not priced:
            problems.append(_("Enter your price in the price envelope."))
        return problems

    def submit_problems(self) -> list[str]:
        return self.submission_period_problems() or self.completeness_problems()

    def closing_problems(self) -> list[str]:
        if not challenge_is_closed(self.challenge):
            return [_("Proposals are received or lapse only when the challenge closes.")]
        return []

    def evaluation_problems(self) -> list[str]:
        if self.challenge.status not in CHALLENGE_CLOSED_STATES:
            return [_("Proposals are evaluated only after the challenge closes.")]
        return []

    def cancellation_problems(self) -> list[str]:
        if self.challenge.status != Challenge.Status.CANCELLED:
            return [_("A proposal is cancelled only when its challenge is cancelled.")]
        return []

    # Transitions: they only guard and change state; services run them (core.workflow).

    @transition(
        field=status,
        source=Status.DRAFT,
        target=Status.SUBMITTED,
        conditions=[guard_condition("submit_problems")],
        permission=transition_permission("vendors.submit_proposal"),
        custom={"guard": "submit_problems", "denied": MEMBERS_ONLY},
    )
    def submit(self, *, by=None, reason="", submitted_at=None, receipt_digest=""):
        self.submitted_at = submitted_at or timezone.now()
        self.submitted_by = by
        self.receipt_digest = receipt_digest

    @transition(
        field=status,
        source=[Status.SUBMITTED, Status.NEEDS_RECONFIRMATION],
        target=Status.WITHDRAWN,
        conditions=[guard_condition("submission_period_problems")],
        permission=transition_permission("vendors.submit_proposal"),
        custom={"guard": "submission_period_problems", "denied": MEMBERS_ONLY},
    )
    def withdraw(self, *, by=None, reason=""):
        self.status_reason = (reason or "").strip()

    @transition(
        field=status,
        source=Status.WITHDRAWN,
        target=Status.DRAFT,
        conditions=[guard_condition("submission_period_problems")],
        permission=transition_permission("vendors.submit_proposal"),
        custom={"guard": "submission_period_problems", "denied": MEMBERS_ONLY},
    )
    def revise(self, *, by=None, reason=""):
        self.status_reason = ""
        self.submitted_at = None
        self.submitted_by = None
        self.receipt_digest = ""
        self.receipt_salt = ""

    @transition(
        field=status,
        source=Status.SUBMITTED,
        target=Status.NEEDS_RECONFIRMATION,
        permission=transition_permission("vendors.run_proposal_system_step"),
        custom={"denied": SYSTEM_ONLY},
    )
    def require_reconfirmation(self, *, by=None, reason="", addendum_number=None):
        self.status_reason = (reason or "").strip()

    @transition(
        field=status,
        source=Status.NEEDS_RECONFIRMATION,
        target=Status.SUBMITTED,
        conditions=[guard_condition("submit_problems")],
        permission=transition_permission("vendors.submit_proposal"),
        custom={"guard": "submit_problems", "denied": MEMBERS_ONLY},
    )
    def reconfirm(self, *, by=None, reason="", submitted_at=None, receipt_digest=""):
        self.status_reason = ""
        self.submitted_at = submitted_at or timezone.now()
        self.submitted_by = by
        self.receipt_digest = receipt_digest

    @transition(
        field=status,
        source=Status.SUBMITTED,
        target=Status.RECEIVED,
        conditions=[guard_condition("closing_problems")],
        permission=transition_permission("vendors.run_proposal_system_step"),
        custom={"guard": "closing_problems", "denied": SYSTEM_ONLY},
    )
    def receive(self, *, by=None, reason=""):
        pass

    @transition(
        field=status,
        source=[Status.DRAFT, Status.NEEDS_RECONFIRMATION],
        target=Status.LAPSED,
        conditions=[guard_condition("closing_problems")],
        permission=transition_permission("vendors.run_proposal_system_step"),
        custom={"guard": "closing_problems", "denied": SYSTEM_ONLY},
    )
    def lapse(self, *, by=None, reason=""):
        pass

    @transition(
        field=status,
        source=Status.RECEIVED,
        target=Status.DISQUALIFIED,
        conditions=[guard_condition("evaluation_problems")],
        permission=transition_permission("vendors.evaluate_proposal"),
        custom={"guard": "evaluation_problems", "denied": OWNER_ONLY},
    )
    def disqualify(self, *, by=None, reason=""):
        self.status_reason = required_reason(reason, _("for disqualifying the proposal"))

    @transition(
        field=status,
        source=Status.RECEIVED,
        target=Status.QUALIFIED,
        conditions=[guard_condition("evaluation_problems")],
        permission=transition_permission("vendors.evaluate_proposal"),
        custom={"guard": "evaluation_problems", "denied": OWNER_ONLY},
    )
    def qualify(self, *, by=None, reason=""):
        pass

    @transition(
        field=status,
        source=Status.QUALIFIED,
        target=Status.SHORTLISTED,
        conditions=[guard_condition("evaluation_problems")],
        permission=transition_permission("vendors.evaluate_proposal"),
        custom={"guard": "evaluation_problems", "denied": OWNER_ONLY},
    )
    def shortlist(self, *, by=None, reason=""):
        pass

    @transition(
        field=status,
        source=Status.QUALIFIED,
        target=Status.NOT_SELECTED,
        conditions=[guard_condition("evaluation_problems")],
        permission=transition_permission("vendors.evaluate_proposal"),
        custom={"guard": "evaluation_problems", "denied": OWNER_ONLY},
    )
    def not_select(self, *, by=None, reason=""):
        self.status_reason = (reason or "").strip()

    @transition(
        field=status,
        source=Status.SHORTLISTED,
        target=Status.AWARDED,
        conditions=[guard_condition("evaluation_problems")],
        permission=transition_permission("vendors.evaluate_proposal"),
        custom={"guard": "evaluation_problems", "denied": OWNER_ONLY},
    )
    def award(self, *, by=None, reason=""):
        pass

    @transition(
        field=status,
        source=Status.SHORTLISTED,
        target=Status.UNSUCCESSFUL,
        conditions=[guard_condition("evaluation_problems")],
        permission=transition_permission("vendors.evaluate_proposal"),
        custom={"guard": "evaluation_problems", "denied": OWNER_ONLY},
    )
    def mark_unsuccessful(self, *, by=None, reason=""):
        self.status_reason = (reason or "").strip()

    @transition(
        field=status,
        source=list(OPEN_STATES),
        target=Status.CANCELLED,
        conditions=[guard_condition("cancellation_problems")],
        permission=transition_permission("vendors.run_proposal_system_step"),
        custom={"guard": "cancellation_problems", "denied": SYSTEM_ONLY},
    )
    def cancel(self, *, by=None, reason=""):
        self.cancelled_from = self.status
        self.status_reason = (reason or "").strip()
