from django.db import models
from django.utils.translation import gettext_lazy as _

from .challenge import Challenge


class ResponseQuestion(models.Model):
    """A question a challenge asks every vendor to answer in its technical envelope."""

    challenge = models.ForeignKey(
        Challenge,
        on_delete=models.CASCADE,
        related_name="response_questions",
        verbose_name=_("challenge"),
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    prompt = models.CharField(_("question"), max_length=500)
    guidance = models.TextField(
        _("guidance"),
        blank=True,
        max_length=4000,
        help_text=_("What a good answer covers; shown to vendors under the question."),
    )
    required = models.BooleanField(_("answer required"), default=True)
    max_words = models.PositiveIntegerField(
        _("word limit"),
        null=True,
        blank=True,
        help_text=_("Leave empty for no limit."),
    )
    # Set when the owner accepted this question from the data governance record's proposals,
    # so the same proposal is not offered twice.
    governance_key = models.CharField(max_length=60, blank=True, editable=False)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("response question")
        verbose_name_plural = _("response questions")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(max_words__isnull=True) | models.Q(max_words__gte=1),
                name="response_question_word_limit_positive",
                violation_error_message=_("A word limit is at least one word."),
            ),
        ]

    def __str__(self):
        return self.prompt
