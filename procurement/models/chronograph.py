from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class ChronographStep(models.Model):
    """A scheduled step the system has done for one deadline value, so it is never done twice.

    A step whose deadline moves later (an addendum) is due again: the key holds the value.
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    step = models.CharField(max_length=40)
    due_at = models.DateTimeField()
    done_at = models.DateTimeField()

    class Meta:
        ordering = ["done_at", "id"]
        verbose_name = _("scheduled step done")
        verbose_name_plural = _("scheduled steps done")
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "step", "due_at"],
                name="one_chronograph_step_per_deadline",
            )
        ]

    def __str__(self):
        return f"{self.step} for {self.content_type.model} {self.object_id} due {self.due_at}"
