from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from core.permissions import transition_permission
from core.validation import required_reason

from .challenge import Challenge


class EngagementActivity(models.Model):
    """How the city engaged residents and partners while co-designing a challenge."""

    class Kind(models.TextChoices):
        WORKSHOP = "workshop", _("Workshop")
        SURVEY = "survey", _("Survey")
        INTERVIEW = "interview", _("Interview")
        POP_UP = "pop_up", _("Pop-up")
        ONLINE = "online", _("Online consultation")

    challenge = models.ForeignKey(
        Challenge, on_delete=models.CASCADE, related_name="engagement_activities"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    held_on = models.DateField(_("date"))
    participants = models.PositiveIntegerField(_("participants"))
    groups_reached = models.CharField(
        _("groups reached"),
        max_length=300,
        help_text=_("Who took part, e.g. seniors, newcomers, tenants' association."),
    )
    summary = models.TextField(_("summary"), help_text=_("What you heard and what it changed."))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["held_on", "id"]
        verbose_name = _("engagement activity")
        verbose_name_plural = _("engagement activities")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(participants__gte=1),
                name="engagement_has_participants",
                violation_error_message=_("An activity has at least one participant."),
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.held_on})"


class CommunityInput(ConcurrentTransitionMixin, models.Model):
    """A resident's comment or idea on a challenge in co-design; shown once moderated."""

    class Kind(models.TextChoices):
        COMMENT = "comment", _("Comment")
        IDEA = "idea", _("Idea")
        EXPERIENCE = "experience", _("Lived experience")

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting moderation")
        PUBLISHED = "published", _("Published")
        REJECTED = "rejected", _("Not published")

    challenge = models.ForeignKey(
        Challenge, on_delete=models.CASCADE, related_name="community_inputs"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="community_inputs"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.COMMENT)
    body = models.TextField(_("your input"), max_length=4000)
    neighbourhood = models.CharField(
        _("neighbourhood (optional)"),
        max_length=120,
        blank=True,
        help_text=_("Helps the city see which parts of town were heard."),
    )
    status = FSMField(max_length=20, choices=Status.choices, default=Status.PENDING, protected=True)
    moderation_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("community input")
        verbose_name_plural = _("community input")
        indexes = [
            # A challenge's input is listed in this order (pages of the community input API).
            models.Index(
                fields=["challenge", "created_at", "id"], name="communityinput_list_order"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} on {self.challenge.reference}"

    @transition(
        field=status,
        source=Status.PENDING,
        target=Status.PUBLISHED,
        permission=transition_permission("challenges.moderate_communityinput"),
        custom={"denied": _("Only the challenge's owner moderates its community input.")},
    )
    def publish(self, *, by=None, reason=""):
        pass

    @transition(
        field=status,
        source=Status.PENDING,
        target=Status.REJECTED,
        permission=transition_permission("challenges.moderate_communityinput"),
        custom={"denied": _("Only the challenge's owner moderates its community input.")},
    )
    def reject(self, *, by=None, reason=""):
        self.moderation_reason = required_reason(reason, _("for not publishing this input"))
