import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.tokens import new_token


def new_calendar_token() -> str:
    """Kept for migration 0003, which names it."""
    return new_token()


class Notification(models.Model):
    """One message to one person: a row in their inbox and, if they want it, an email.

    The row is written in the transaction of the event it reports, so it is also the outbox: the
    email is sent afterwards by a task, and a sweeper re-queues rows whose email is still pending.
    """

    class Kind(models.TextChoices):
        QUESTION_ANSWERED = "question_answered", _("A question was answered")
        ADDENDUM_ISSUED = "addendum_issued", _("An addendum was issued")
        APPROVAL_REQUESTED = "approval_requested", _("A challenge awaits approval")
        AWARD_APPROVAL_REQUESTED = "award_approval_requested", _("An award awaits approval")
        PANEL_ASSIGNMENT = "panel_assignment", _("You were assigned to an evaluation panel")
        CHALLENGE_CLOSED = "challenge_closed", _("A challenge closed")
        CHALLENGE_CANCELLED = "challenge_cancelled", _("A challenge was cancelled")
        RESULTS = "results", _("Results were published")
        DEBRIEF_REQUESTED = "debrief_requested", _("A vendor asked for a debrief")
        DEBRIEF_SCHEDULED = "debrief_scheduled", _("Your debrief was scheduled")
        AWARD_WITHDRAWN = "award_withdrawn", _("An award you were told of was withdrawn")
        DEADLINE_REMINDER = "deadline_reminder", _("A deadline is coming")
        OVERDUE_STEP = "overdue_step", _("A step of yours is overdue")
        CHALLENGE_NEWS = "challenge_news", _("A challenge you follow moved on")

    class Email(models.TextChoices):
        PENDING = "pending", _("To send")
        SENT = "sent", _("Sent")
        NOT_WANTED = "not_wanted", _("Not wanted (preference or no address)")
        FAILED = "failed", _("Failed")

    # The inbox names a notification by this, not by its row number: row numbers come from one
    # sequence shared by everyone's notifications, so a gap between two of one's own would tell
    # that someone else was notified meanwhile (before a deadline, that someone is bidding).
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=300)
    body = models.TextField(_("message"), blank=True)
    link = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    # The same event never notifies the same person twice (a repeated run, a retried task).
    dedupe_key = models.CharField(max_length=200, unique=True, null=True, blank=True)
    email_status = models.CharField(max_length=12, choices=Email.choices, default=Email.PENDING)
    # A worker that is sending holds this lease; a crashed worker's lease simply runs out.
    email_claimed_until = models.DateTimeField(null=True, blank=True)
    email_attempts = models.PositiveSmallIntegerField(default=0)
    email_sent_at = models.DateTimeField(null=True, blank=True)
    # Set when the recipients were chosen by their proposals to this challenge (vendors with a
    # draft, reminded vendors): the row then says who is bidding, and is sealed with the
    # challenge's proposals (vendors.sealing) from everyone but its recipient, admins included.
    sealed_with = models.ForeignKey(
        "challenges.Challenge",
        verbose_name=_("sealed with the proposals of"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            models.Index(
                fields=["recipient"], name="notification_unread", condition=Q(read_at__isnull=True)
            ),
            models.Index(
                fields=["created_at"],
                name="notification_email_pending",
                condition=Q(email_status="pending"),
            ),
        ]

    def __str__(self):
        return f"{self.recipient} · {self.title}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None

    @property
    def email_message_id(self) -> str:
        """The email's idempotency key: a resent copy carries the same Message-ID."""
        domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2] or "localhost"
        return f"<notification-{self.pk}@{domain}>"


class OutgoingEmail(models.Model):
    """One e-mail to one address that is not a notification (a proposal's receipt, an
    invitation to someone who may have no account yet): the outbox row, written in the
    transaction of the action, sent afterwards and again until delivered (core.outbox)."""

    Status = Notification.Email

    to = models.EmailField(_("to"))
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("message"))
    # Extra headers of the message (a follower's List-Unsubscribe, RFC 8058), kept with the row
    # so that a resent copy carries them too.
    headers = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    email_status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    email_claimed_until = models.DateTimeField(null=True, blank=True)
    email_attempts = models.PositiveSmallIntegerField(default=0)
    email_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        indexes = [
            models.Index(
                fields=["created_at"],
                name="outgoing_email_pending",
                condition=Q(email_status="pending"),
            ),
        ]

    def __str__(self):
        return f"{self.to} · {self.subject}"

    @property
    def email_message_id(self) -> str:
        domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2] or "localhost"
        return f"<outgoing-{self.pk}@{domain}>"


class PersonPreferences(models.Model):
    """What one person wants: their language, which emails, their private calendar address."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="preferences"
    )
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    # Kinds the person does not want by email; the inbox always gets everything.
    email_muted_kinds = models.JSONField(default=list, blank=True)
    # The digest of the private calendar address's token, which is shown once, when made; none
    # until the person makes one.
    calendar_token_digest = models.CharField(
        max_length=64, unique=True, null=True, blank=True, editable=False
    )

    class Meta:
        verbose_name = _("personal preferences")
        verbose_name_plural = _("personal preferences")

    def __str__(self):
        return f"preferences of {self.user}"

    def wants_email(self, kind: str) -> bool:
        return kind not in (self.email_muted_kinds or [])


class FollowNotice(models.Model):
    """That a follower was told of one event of a challenge (published, winner chosen, pilot
    started, a pilot milestone, outcomes published): the unique key makes it once."""

    class Event(models.TextChoices):
        PUBLISHED = "published", _("The challenge was published")
        WINNER_CHOSEN = "winner_chosen", _("The winner was chosen")
        PILOT_STARTED = "pilot_started", _("The pilot started")
        MILESTONE = "milestone", _("A pilot milestone was reached")
        OUTCOMES = "outcomes", _("The outcomes were published")

    follow = models.ForeignKey(
        "challenges.Follow", on_delete=models.CASCADE, related_name="notices"
    )
    event = models.CharField(max_length=20, choices=Event.choices)
    # Which one, where an event happens more than once (the milestone's id); else empty.
    event_key = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("news sent to a follower")
        verbose_name_plural = _("news sent to followers")
        constraints = [
            models.UniqueConstraint(
                fields=["follow", "event", "event_key"], name="one_notice_per_event"
            ),
        ]

    def __str__(self):
        return f"{self.get_event_display()} · {self.follow}"
