from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ReminderDelivery(models.Model):
    """One planned reminder: what (subject and deadline), who, which deadline value, which offset.

    Rows are planned before anything is sent; delivering one writes its inbox notification in the
    same transaction that marks it sent, so it is delivered once however many workers run.
    """

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        SENT = "sent", _("Sent")
        CANCELLED = "cancelled", _("Cancelled")
        SKIPPED = "skipped", _("Skipped")

    audience = models.CharField(max_length=40)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders"
    )
    deadline_name = models.CharField(max_length=40)
    deadline_at = models.DateTimeField()
    offset_seconds = models.PositiveIntegerField()
    due_at = models.DateTimeField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PLANNED)
    status_reason = models.CharField(max_length=200, blank=True)
    notification = models.OneToOneField(
        "procurement.Notification",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reminder",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["due_at", "id"]
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "audience",
                    "content_type",
                    "object_id",
                    "recipient",
                    "deadline_name",
                    "deadline_at",
                    "offset_seconds",
                ],
                name="one_reminder_per_deadline_and_offset",
            )
        ]
        indexes = [
            # The delivery scan reads only planned rows, however many were sent before.
            models.Index(
                fields=["due_at"], name="reminder_planned_due", condition=Q(status="planned")
            ),
            models.Index(fields=["content_type", "object_id", "status"]),
        ]

    def __str__(self):
        return f"{self.audience} → {self.recipient} ({self.deadline_name} − {self.offset_seconds}s)"
