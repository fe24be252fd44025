from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from core.permissions import transition_permission
from core.timefmt import day_start
from core.workflow import guard_condition

OWNER_ONLY = _("Only the challenge's owner, a member of municipal staff, can take this step.")


class Pilot(ConcurrentTransitionMixin, models.Model):
    """What the city bought, tried out: milestones and outcome indicators (DESIGN.md §3)."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        ACTIVE = "active", _("Active")
        IN_REVIEW = "in_review", _("In review")
        ADOPTED = "adopted", _("Adopted")
        CONCLUDED = "concluded", _("Concluded")
        TERMINATED = "terminated", _("Terminated")

    ENDED_STATES = (Status.ADOPTED, Status.CONCLUDED, Status.TERMINATED)

    challenge = models.OneToOneField(
        "challenges.Challenge", on_delete=models.PROTECT, related_name="pilot"
    )
    award = models.OneToOneField(
        "procurement.Award", on_delete=models.PROTECT, related_name="pilot"
    )
    status = FSMField(
        _("status"),
        max_length=20,
        choices=Status.choices,
        default=Status.PLANNED,
        protected=True,
        db_index=True,
    )
    starts_on = models.DateField(_("starts"), null=True, blank=True)
    ends_on = models.DateField(_("ends"), null=True, blank=True)
    lessons_learned = models.TextField(_("lessons learned"), blank=True)
    # The review asks whether the data terms of the contract were kept.
    data_terms_kept = models.CharField(
        _("were the data terms kept?"),
        max_length=10,
        choices=[("yes", _("Yes")), ("partly", _("Partly")), ("no", _("No"))],
        blank=True,
    )
    data_terms_note = models.TextField(_("what happened to the data terms"), blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("pilot")
        verbose_name_plural = _("pilots")

    def __str__(self):
        return f"Pilot of {self.challenge.reference}"

    # Guards: each returns the reasons a step cannot happen yet (see core.workflow).

    def start_problems(self) -> list[str]:
        problems = []
        if not self.milestones.exists():
            problems.append(
                _("Agree at least one milestone with the vendor before the pilot starts.")
            )
        if not self.indicators.exists():
            problems.append(
                _("Set at least one outcome indicator tied to the success measures first.")
            )
        problems.extend(self.privacy_problems())
        return problems

    def governance_record(self):
        """The challenge's data governance record, or None (older challenges have none)."""
        from challenges.models import DataGovernanceRecord

        return DataGovernanceRecord.objects.filter(challenge_id=self.challenge_id).first()

    def privacy_problems(self) -> list[str]:
        """A pilot that touches personal information waits for the completed privacy impact
        assessment: its status, its date and the assessment itself attached to the record."""
        from challenges.models import DataAsset, DataGovernanceRecord, Document

        record = self.governance_record()
        if record is None:
            return []
        personal = DataAsset.objects.filter(record=record, sensitivity__in=DataAsset.PERSONAL)
        if not personal.exists():
            return []
        attached = Document.objects.filter(
            challenge_id=self.challenge_id,
            attached_to=Document.AttachedTo.GOVERNANCE,
            kind=Document.Kind.PRIVACY_ASSESSMENT,
            withdrawn_at__isnull=True,
        ).exists()
        if (
            record.assessment_status == DataGovernanceRecord.AssessmentStatus.COMPLETED
            and record.assessment_completed_on is not None
            and attached
        ):
            return []
        return [
            _(
                "This pilot uses personal information: it can start once the privacy impact "
                "assessment is completed, with its date recorded and the assessment attached to "
                "the data governance record."
            )
        ]

    def end_problems(self) -> list[str]:
        problems = []
        if not self.lessons_learned.strip():
            problems.append(_("Write the lessons-learned summary before ending the pilot."))
        if not self.data_terms_kept and self.governance_record() is not None:
            problems.append(
                _("Say whether the data terms of the contract were kept before ending the pilot.")
            )
        return problems

    # Transitions: they only guard and change state; services run them (core.workflow).

    @transition(
        field=status,
        source=Status.PLANNED,
        target=Status.ACTIVE,
        conditions=[guard_condition("start_problems")],
        permission=transition_permission("procurement.manage_pilot"),
        custom={"denied": OWNER_ONLY, "guard": "start_problems"},
    )
    def start(self, *, by=None, reason=""):
        self.started_at = timezone.now()

    @transition(
        field=status,
        source=Status.ACTIVE,
        target=Status.IN_REVIEW,
        permission=transition_permission("procurement.manage_pilot"),
        custom={"denied": OWNER_ONLY},
    )
    def open_review(self, *, by=None, reason=""):
        pass

    def _end(self):
        self.ended_at = timezone.now()

    @transition(
        field=status,
        source=Status.IN_REVIEW,
        target=Status.ADOPTED,
        conditions=[guard_condition("end_problems")],
        permission=transition_permission("procurement.manage_pilot"),
        custom={"denied": OWNER_ONLY, "guard": "end_problems"},
    )
    def adopt(self, *, by=None, reason=""):
        self._end()

    @transition(
        field=status,
        source=Status.IN_REVIEW,
        target=Status.CONCLUDED,
        conditions=[guard_condition("end_problems")],
        permission=transition_permission("procurement.manage_pilot"),
        custom={"denied": OWNER_ONLY, "guard": "end_problems"},
    )
    def conclude(self, *, by=None, reason=""):
        self._end()

    @transition(
        field=status,
        source=[Status.ACTIVE, Status.IN_REVIEW],
        target=Status.TERMINATED,
        conditions=[guard_condition("end_problems")],
        permission=transition_permission("procurement.manage_pilot"),
        custom={"denied": OWNER_ONLY, "guard": "end_problems"},
    )
    def terminate(self, *, by=None, reason=""):
        self._end()

    def ocds_milestones(self) -> list[dict]:
        """The milestones as OCDS publishes them: their days are local days, so each date is
        the start of that day in the municipality's zone."""
        today = timezone.localdate()
        return [
            {
                "id": f"milestone-{m.pk}",
                "title": m.title,
                "type": "delivery",
                "dueDate": day_start(m.due_on).isoformat(),
                "status": "met" if m.done_on else ("notMet" if m.due_on < today else "scheduled"),
                **({"dateMet": day_start(m.done_on).isoformat()} if m.done_on else {}),
            }
            for m in self.milestones.order_by("due_on", "pk")
        ]


class Milestone(models.Model):
    pilot = models.ForeignKey(Pilot, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("title"), max_length=200)
    due_on = models.DateField(_("due"))
    done_on = models.DateField(_("done"), null=True, blank=True)
    # An open-data deliverable of the data governance record, when this milestone publishes it.
    open_dataset = models.ForeignKey(
        "challenges.DataAsset",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="milestones",
        verbose_name=_("open dataset delivered"),
    )

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")

    def __str__(self):
        return self.title

    @property
    def is_late(self) -> bool:
        if self.done_on is not None:
            return self.done_on > self.due_on
        return timezone.localdate() > self.due_on


class OutcomeIndicator(models.Model):
    """One of the challenge's success measures made measurable: unit, baseline and target."""

    pilot = models.ForeignKey(Pilot, on_delete=models.CASCADE, related_name="indicators")
    name = models.CharField(_("indicator"), max_length=200)
    success_measure = models.TextField(
        _("success measure"), help_text=_("The success measure of the challenge it shows.")
    )
    unit = models.CharField(_("unit"), max_length=40)
    baseline = models.DecimalField(_("baseline"), max_digits=14, decimal_places=4)
    target = models.DecimalField(_("target"), max_digits=14, decimal_places=4)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("outcome indicator")
        verbose_name_plural = _("outcome indicators")
        constraints = [
            models.CheckConstraint(
                condition=~Q(baseline=models.F("target")),
                name="indicator_target_differs_from_baseline",
                violation_error_message=_("The target must differ from the baseline."),
            )
        ]

    def __str__(self):
        return f"{self.name} ({self.unit})"


class Measurement(models.Model):
    indicator = models.ForeignKey(
        OutcomeIndicator, on_delete=models.CASCADE, related_name="measurements"
    )
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=4)
    measured_on = models.DateField(_("measured on"))
    source_note = models.CharField(_("source"), max_length=300)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["indicator", "measured_on", "pk"]
        verbose_name = _("measurement")
        verbose_name_plural = _("measurements")

    def __str__(self):
        return f"{self.indicator.name} {self.value} on {self.measured_on}"
