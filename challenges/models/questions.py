from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from core.errors import InvalidInput
from core.languages import one_language_message, strip_translations, unwritten
from core.permissions import transition_permission
from core.validation import required_reason
from core.workflow import guard_condition

from .challenge import Challenge


class Question(ConcurrentTransitionMixin, models.Model):
    """A vendor's question. Its answer is published to everyone, never with the asker's name."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Awaiting answer")
        ANSWERED = "answered", _("Answered")
        DISMISSED = "dismissed", _("Dismissed")

    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="questions")
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="questions_asked"
    )
    body = models.TextField(_("question"), max_length=4000)
    status = FSMField(
        max_length=20,
        choices=Status.choices,
        default=Status.SUBMITTED,
        protected=True,
        db_index=True,
    )
    answer = models.TextField(_("answer"), blank=True)
    dismissal_reason = models.TextField(_("reason for dismissal"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    asked_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["asked_at", "id"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        indexes = [
            # A challenge's questions are listed in this order (pages of the questions API).
            models.Index(fields=["challenge", "asked_at", "id"], name="question_list_order"),
        ]

    def __str__(self):
        return f"Question {self.pk} on {self.challenge.reference}"

    @transition(
        field=status,
        source=Status.SUBMITTED,
        target=Status.ANSWERED,
        permission=transition_permission("challenges.answer_question"),
        custom={"denied": _("Only the challenge's owner answers or dismisses its questions.")},
    )
    def publish_answer(self, *, by=None, reason="", answer="", answer_en=None, answer_fr=None):
        """`answer_en` and `answer_fr` (at least one), or `answer` in the reader's language."""
        if (answer or "").strip():
            self.answer = answer
        if answer_en is not None or answer_fr is not None:
            self.answer_en, self.answer_fr = answer_en, answer_fr
        strip_translations(self, ("answer",))
        if unwritten(self, ("answer",)):
            raise InvalidInput(
                _("Write the answer before publishing it."),
                field_errors={"answer_en": [str(one_language_message(Question, "answer"))]},
            )
        self.answered_by = by
        self.answered_at = timezone.now()

    @transition(
        field=status,
        source=Status.SUBMITTED,
        target=Status.DISMISSED,
        permission=transition_permission("challenges.answer_question"),
        custom={"denied": _("Only the challenge's owner answers or dismisses its questions.")},
    )
    def dismiss(self, *, by=None, reason=""):
        self.dismissal_reason = required_reason(reason, _("for dismissing the question"))
        self.answered_by = by
        self.answered_at = timezone.now()


class Addendum(ConcurrentTransitionMixin, models.Model):
    """A numbered, dated change to a published challenge."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ISSUED = "issued", _("Issued")

    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="addenda")
    number = models.PositiveIntegerField(_("number"), null=True, blank=True, editable=False)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("what changes"))
    changes_terms = models.BooleanField(
        _("changes the terms"),
        default=False,
        help_text=_("Submitted proposals must then be re-confirmed by their vendors."),
    )
    new_questions_deadline = models.DateTimeField(
        _("new questions deadline"), null=True, blank=True
    )
    new_submission_deadline = models.DateTimeField(
        _("new submission deadline"), null=True, blank=True
    )
    status = FSMField(max_length=20, choices=Status.choices, default=Status.DRAFT, protected=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField(_("issued"), null=True, blank=True)

    class Meta:
        ordering = ["number", "id"]
        verbose_name = _("addendum")
        verbose_name_plural = _("addenda")
        constraints = [
            models.UniqueConstraint(fields=["challenge", "number"], name="unique_addendum_number"),
        ]

    def __str__(self):
        return f"Addendum {self.number or '(draft)'} to {self.challenge.reference}"

    @property
    def is_material(self) -> bool:
        """A material addendum changes terms or dates: submitted proposals need re-confirming."""
        return bool(
            self.changes_terms or self.new_submission_deadline or self.new_questions_deadline
        )

    def issue_problems(self) -> list[str]:
        challenge = self.challenge
        if challenge.status != Challenge.Status.PUBLISHED:
            return [_("Addenda can be issued only while the challenge is open for proposals.")]
        if not self.is_material:
            return []
        # A material change must leave vendors the minimum period to respond to it.
        return challenge.timeline_problems(
            questions_deadline=self.new_questions_deadline,
            submission_deadline=self.new_submission_deadline,
            check_questions_deadline=self.new_questions_deadline is not None,
        )

    @transition(
        field=status,
        source=Status.DRAFT,
        target=Status.ISSUED,
        conditions=[guard_condition("issue_problems")],
        permission=transition_permission("challenges.issue_addendum"),
        custom={
            "guard": "issue_problems",
            "denied": _("Only the challenge's owner issues its addenda."),
        },
    )
    def issue(self, *, by=None, reason="", number=None):
        self.number = number
        self.issued_at = timezone.now()
