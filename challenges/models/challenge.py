from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from core.errors import PermissionDenied
from core.permissions import transition_permission
from core.timefmt import format_local
from core.validation import required_reason
from core.workflow import guard_condition, registered_guards

from ..checks import publication_check_problems, review_check_problems


class Department(models.Model):
    name = models.CharField(_("name"), max_length=120, unique=True)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")

    def __str__(self):
        return self.name


class ReferenceCounter(models.Model):
    """The last reference number given per prefix and year (FRED-2026-003)."""

    prefix = models.CharField(max_length=12)
    year = models.PositiveIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["prefix", "year"], name="unique_reference_counter")
        ]

    def __str__(self):
        return f"{self.prefix}-{self.year}: {self.last_number}"


OWNER_ONLY = _("Only the challenge's owner, a member of municipal staff, can take this step.")
# Four eyes: the author of a challenge never approves it, whatever groups they are in.
APPROVER_ONLY = _(
    "Only an approver who does not own this challenge can approve it or send it back; "
    "ask another approver."
)
# The end of a challenge is decided by the award, a later stage: the challenge's own page and API
# never offer these steps; the app that runs the award registers the guards that let them run.
DECIDED_BY_THE_AWARD = _(
    "This step follows from the award: a challenge is awarded when its award becomes final, and "
    "ends without an award from its award page."
)


# The groups of a challenge list, in order; any state not named (cancelled) comes after them.
LIST_GROUPS = (
    ("published",),
    ("closed", "evaluating"),
    ("awarded", "not_awarded"),
    ("draft", "co_design", "in_review", "approved"),
)


class Challenge(ConcurrentTransitionMixin, models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        CO_DESIGN = "co_design", _("Co-design")
        IN_REVIEW = "in_review", _("In review")
        APPROVED = "approved", _("Approved")
        PUBLISHED = "published", _("Open for proposals")
        CLOSED = "closed", _("Closed")
        EVALUATING = "evaluating", _("Evaluating")
        AWARDED = "awarded", _("Awarded")
        NOT_AWARDED = "not_awarded", _("Not awarded")
        CANCELLED = "cancelled", _("Cancelled")

    # States the public may see. A cancelled challenge stays public if it was ever published.
    # Co-design is a public consultation: residents must read the draft statement to comment on it.
    PUBLIC_STATES = (
        Status.CO_DESIGN,
        Status.PUBLISHED,
        Status.CLOSED,
        Status.EVALUATING,
        Status.AWARDED,
        Status.NOT_AWARDED,
    )
    # The statement is edited directly only before review; after publication it changes by addendum.
    EDITABLE_STATES = (Status.DRAFT, Status.CO_DESIGN)
    # Dates may still be moved during review and after approval, until publication fixes them
    # (then: addenda). Publication checks the timeline again.
    SCHEDULABLE_STATES = (Status.DRAFT, Status.CO_DESIGN, Status.IN_REVIEW, Status.APPROVED)
    CANCELLABLE_STATES = (
        Status.DRAFT,
        Status.CO_DESIGN,
        Status.IN_REVIEW,
        Status.APPROVED,
        Status.PUBLISHED,
        Status.CLOSED,
        Status.EVALUATING,
    )
    STATEMENT_FIELDS = (
        "title",
        "problem",
        "context",
        "desired_outcomes",
        "success_measures",
        "budget_min",
        "budget_max",
    )

    reference = models.CharField(_("reference"), max_length=32, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(
        _("summary"),
        max_length=300,
        blank=True,
        help_text=_("One or two sentences for the challenge board."),
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        related_name="challenges",
        verbose_name=_("department"),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="owned_challenges",
        verbose_name=_("owner"),
    )

    problem = models.TextField(
        _("problem"), blank=True, help_text=_("The problem residents face, in plain language.")
    )
    context = models.TextField(_("context"), blank=True)
    desired_outcomes = models.TextField(_("desired outcomes"), blank=True)
    constraints = models.TextField(_("constraints"), blank=True)
    success_measures = models.TextField(
        _("success measures"),
        blank=True,
        help_text=_("How the city will know the problem is solved."),
    )
    affected_communities = models.TextField(_("affected communities"), blank=True)
    budget_min = models.DecimalField(
        _("budget from (CAD)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    budget_max = models.DecimalField(
        _("budget up to (CAD)"), max_digits=12, decimal_places=2, null=True, blank=True
    )

    questions_deadline = models.DateTimeField(_("questions deadline"), null=True, blank=True)
    submission_deadline = models.DateTimeField(_("submission deadline"), null=True, blank=True)

    status = FSMField(
        _("status"),
        max_length=20,
        choices=Status.choices,
        default=Status.DRAFT,
        protected=True,
        db_index=True,
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    # Indexed after `list_group` in `challenge_list_order`.
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # When the chronograph must next look at this challenge (procurement.chronograph keeps it).
    next_due_at = models.DateTimeField(null=True, blank=True, editable=False)
    changes_requested_reason = models.TextField(blank=True)
    cancellation_reason = models.TextField(blank=True)
    # Why the priority-group reach targets were not met; review asks for it when they are not.
    reach_gap_reason = models.TextField(
        _("why the reach targets were not met"), blank=True, max_length=4000
    )

    # The earlier challenge this one was started from (a template), if any.
    copied_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="copies",
        verbose_name=_("started from"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # Where a challenge falls in every list: open ones first, then closed, then the rest, cancelled
    # last. Stored by the database from the status so that the list's index can lead with it.
    list_group = models.GeneratedField(
        expression=models.Case(
            *(
                models.When(status__in=states, then=models.Value(group))
                for group, states in enumerate(LIST_GROUPS)
            ),
            default=models.Value(len(LIST_GROUPS)),
        ),
        output_field=models.PositiveSmallIntegerField(),
        db_persist=True,
        editable=False,
    )

    class Meta:
        ordering = ["list_group", "-published_at", "-created_at"]
        verbose_name = _("challenge")
        verbose_name_plural = _("challenges")
        indexes = [
            # Every challenge list is in this order (challenges.selectors.LIST_ORDER): a page is
            # read from the index instead of sorting every visible challenge.
            models.Index(
                fields=["list_group", "-published_at", "-created_at", "-id"],
                name="challenge_list_order",
            ),
            # The same order within one state (the board's and the API's status filter).
            models.Index(
                fields=["status", "list_group", "-published_at", "-created_at", "-id"],
                name="challenge_status_list_order",
            ),
            # The chronograph's scan reads only rows with a due event.
            models.Index(
                fields=["next_due_at"],
                name="challenge_next_due",
                condition=Q(next_due_at__isnull=False),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(budget_min__isnull=True) | Q(budget_min__gte=0),
                name="challenge_budget_min_not_negative",
                violation_error_message=_("The budget cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(budget_min__isnull=True)
                | Q(budget_max__isnull=True)
                | Q(budget_max__gte=models.F("budget_min")),
                name="challenge_budget_range_ordered",
                violation_error_message=_("The budget range must start below where it ends."),
            ),
            models.CheckConstraint(
                condition=Q(questions_deadline__isnull=True)
                | Q(submission_deadline__isnull=True)
                | Q(questions_deadline__lt=models.F("submission_deadline")),
                name="challenge_questions_before_submission",
                violation_error_message=_(
                    "The questions deadline must come before the submission deadline."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.reference} {self.title}"

    def get_absolute_url(self):
        return reverse("challenges:detail", kwargs={"reference": self.reference})

    def get_status_display(self):
        # Django's own rebuilds a dict of every (translated) choice on each call; lists call it
        # once a row.
        return self.Status(self.status).label

    @property
    def in_consultation(self) -> bool:
        """Co-design: residents read the draft and give their input."""
        return self.status == self.Status.CO_DESIGN

    @property
    def open_for_proposals(self) -> bool:
        """Published: vendors ask questions and submit proposals until the deadline."""
        return self.status == self.Status.PUBLISHED

    @property
    def is_public(self) -> bool:
        return self.status in self.PUBLIC_STATES or (
            self.status == self.Status.CANCELLED and self.published_at is not None
        )

    # Guards: each returns the reasons a step cannot happen yet (see core.workflow).

    def statement_problems(self) -> list[str]:
        missing = [
            str(self._meta.get_field(name).verbose_name)
            for name in self.STATEMENT_FIELDS
            if getattr(self, name) in (None, "")
            or (isinstance(getattr(self, name), str) and not getattr(self, name).strip())
        ]
        problems = []
        if missing:
            problems.append(
                _("Complete the statement before review: %(fields)s.")
                % {"fields": ", ".join(missing)}
            )
        if (
            self.budget_min is not None
            and self.budget_max is not None
            and self.budget_min > self.budget_max
        ):
            problems.append(_("The budget range must start below where it ends."))
        return problems

    def review_problems(self) -> list[str]:
        problems = self.statement_problems()
        needed = settings.MINIMUM_ENGAGEMENT_ACTIVITIES
        if needed and self.engagement_activities.count() < needed:
            problems.append(
                ngettext(
                    "Record at least %(count)d engagement activity with residents or partners "
                    "before review (co-design evidence).",
                    "Record at least %(count)d engagement activities with residents or partners "
                    "before review (co-design evidence).",
                    needed,
                )
                % {"count": needed}
            )
        # The record is part of what the approver approves (docs/data-governance.md).
        from ..governance import governance_problems

        # Unmet reach targets need the owner's word on why (docs/engagement.md).
        from ..reach import reach_problems

        return (
            problems
            + governance_problems(self)
            + reach_problems(self)
            + review_check_problems(self)
        )

    def timeline_problems(
        self,
        *,
        now=None,
        questions_deadline=None,
        submission_deadline=None,
        check_questions_deadline=True,
    ) -> list[str]:
        """Whether a timeline is valid if published (or amended) at `now`.

        An addendum issued after the questions period passes `check_questions_deadline=False`
        unless it sets a new questions deadline.
        """
        now = now or timezone.now()
        questions_deadline = questions_deadline or self.questions_deadline
        submission_deadline = submission_deadline or self.submission_deadline
        minimum = timedelta(days=settings.MINIMUM_SUBMISSION_PERIOD_DAYS)
        problems = []
        if not questions_deadline or not submission_deadline:
            problems.append(_("Set both the questions deadline and the submission deadline."))
            return problems
        if questions_deadline >= submission_deadline:
            problems.append(_("The questions deadline must come before the submission deadline."))
        if check_questions_deadline and questions_deadline <= now:
            problems.append(_("The questions deadline has already passed; choose a later one."))
        if submission_deadline < now + minimum:
            # Shown to the minute, so round up: the time named must itself be accepted.
            earliest = now + minimum
            if earliest.second or earliest.microsecond:
                earliest = earliest.replace(second=0, microsecond=0) + timedelta(minutes=1)
            problems.append(
                _(
                    "The submission deadline must be at least %(days)d days away "
                    "(no earlier than %(earliest)s)."
                )
                % {
                    "days": settings.MINIMUM_SUBMISSION_PERIOD_DAYS,
                    "earliest": format_local(earliest),
                }
            )
        return problems

    def publication_problems(self) -> list[str]:
        return (
            self.statement_problems() + self.timeline_problems() + publication_check_problems(self)
        )

    @property
    def closes_at(self):
        """When the challenge may close: its submission deadline plus the grace in which the
        submissions that reached the server before the deadline finish (settings)."""
        if not self.submission_deadline:
            return None
        return self.submission_deadline + timedelta(seconds=settings.SUBMISSION_CLOSE_GRACE_SECONDS)

    def close_problems(self) -> list[str]:
        problems = []
        now = timezone.now()
        if self.submission_deadline and now < self.submission_deadline:
            problems.append(
                _("Proposals can be submitted until %(deadline)s; the challenge closes then.")
                % {"deadline": format_local(self.submission_deadline)}
            )
        elif self.closes_at and now < self.closes_at:
            # Closing takes the challenge row from under the submissions still running; those
            # that arrived in time must be recorded first (vendors.services.proposals).
            problems.append(
                _(
                    "The submission deadline has passed. The challenge closes at %(closes)s, "
                    "once the submissions that reached the server in time are recorded."
                )
                % {"closes": format_local(self.closes_at)}
            )
        open_questions = self.questions.filter(status="submitted").count()
        if open_questions:
            problems.append(
                ngettext(
                    "Answer or dismiss the %(count)d open question before closing.",
                    "Answer or dismiss the %(count)d open questions before closing.",
                    open_questions,
                )
                % {"count": open_questions}
            )
        return problems

    # Transitions: they only guard and change state; services run them (core.workflow).

    @transition(
        field=status,
        source=Status.DRAFT,
        target=Status.CO_DESIGN,
        permission=transition_permission("challenges.manage_challenge"),
        custom={"denied": OWNER_ONLY},
    )
    def open_co_design(self, *, by=None, reason=""):
        pass

    @transition(
        field=status,
        source=[Status.DRAFT, Status.CO_DESIGN],
        target=Status.IN_REVIEW,
        conditions=[guard_condition("review_problems")],
        permission=transition_permission("challenges.manage_challenge"),
        custom={"denied": OWNER_ONLY, "guard": "review_problems"},
    )
    def submit_for_review(self, *, by=None, reason=""):
        self.changes_requested_reason = ""

    @transition(
        field=status,
        source=Status.IN_REVIEW,
        target=Status.DRAFT,
        permission=transition_permission("challenges.approve_challenge"),
        custom={"denied": APPROVER_ONLY},
    )
    def request_changes(self, *, by=None, reason=""):
        self.changes_requested_reason = required_reason(reason, _("for the changes requested"))

    @transition(
        field=status,
        source=Status.IN_REVIEW,
        target=Status.APPROVED,
        permission=transition_permission("challenges.approve_challenge"),
        custom={"denied": APPROVER_ONLY},
    )
    def approve(self, *, by=None, reason=""):
        # The permission already says so; repeated here so no caller can approve without a person.
        if by is None or by.pk == self.owner_id:
            raise PermissionDenied(APPROVER_ONLY)
        self.approved_by = by
        self.approved_at = timezone.now()

    @transition(
        field=status,
        source=Status.APPROVED,
        target=Status.PUBLISHED,
        conditions=[guard_condition("publication_problems")],
        permission=transition_permission("challenges.manage_challenge"),
        custom={"denied": OWNER_ONLY, "guard": "publication_problems"},
    )
    def publish(self, *, by=None, reason=""):
        self.published_at = timezone.now()

    @transition(
        field=status,
        source=Status.PUBLISHED,
        target=Status.CLOSED,
        conditions=[guard_condition("close_problems")],
        permission=transition_permission("challenges.manage_challenge"),
        custom={"denied": OWNER_ONLY, "guard": "close_problems"},
    )
    def close(self, *, by=None, reason=""):
        self.closed_at = timezone.now()

    @transition(
        field=status,
        source=Status.CLOSED,
        target=Status.EVALUATING,
        permission=transition_permission("challenges.manage_challenge"),
        custom={"denied": OWNER_ONLY},
    )
    def start_evaluation(self, *, by=None, reason=""):
        pass

    @transition(
        field=status,
        source=Status.EVALUATING,
        target=Status.AWARDED,
        conditions=[registered_guards("award")],
        permission=transition_permission("challenges.manage_challenge"),
        custom={"denied": DECIDED_BY_THE_AWARD, "decided_above": DECIDED_BY_THE_AWARD},
    )
    def award(self, *, by=None, reason=""):
        pass

    @transition(
        field=status,
        source=Status.EVALUATING,
        target=Status.NOT_AWARDED,
        conditions=[registered_guards("end_without_award")],
        permission=transition_permission("challenges.manage_challenge"),
        custom={"denied": DECIDED_BY_THE_AWARD, "decided_above": DECIDED_BY_THE_AWARD},
    )
    def end_without_award(self, *, by=None, reason=""):
        required_reason(reason, _("for ending without an award"))

    @transition(
        field=status,
        source=list(CANCELLABLE_STATES),
        target=Status.CANCELLED,
        permission=transition_permission("challenges.manage_challenge"),
        custom={"denied": OWNER_ONLY},
    )
    def cancel(self, *, by=None, reason=""):
        self.cancellation_reason = required_reason(reason, _("for cancelling"))
