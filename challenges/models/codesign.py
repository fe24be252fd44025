from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from core.permissions import transition_permission
from core.validation import required_reason
from core.workflow import guard_condition

from .challenge import Challenge


class EngagementStage(models.TextChoices):
    """When in a challenge's life residents were engaged: early and often, not only once."""

    CO_DESIGN = "co_design", _("Co-design")
    CALL = "call", _("Call for proposals")
    PILOT = "pilot", _("Pilot")


class EngagementActivity(models.Model):
    """How the city or a partner engaged residents on a challenge, at any stage."""

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
    stage = models.CharField(
        _("stage"),
        max_length=20,
        choices=EngagementStage.choices,
        default=EngagementStage.CO_DESIGN,
    )
    participants = models.PositiveIntegerField(_("participants"))
    # Counts per priority group are in `reach`; this is whatever else is worth saying.
    groups_reached = models.CharField(
        _("other groups reached"),
        max_length=300,
        blank=True,
        help_text=_("Who else took part, e.g. a tenants' association, a seniors' centre."),
    )
    partners = models.ManyToManyField(
        "challenges.PartnerOrganization",
        blank=True,
        related_name="activities",
        verbose_name=_("co-hosted with"),
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
    """A resident's comment or idea on a challenge in co-design, or feedback on its pilot; given
    online (with or without an account) or gathered offline by staff or a partner; shown only
    once moderated, and only with the resident's consent."""

    class Kind(models.TextChoices):
        COMMENT = "comment", _("Comment")
        IDEA = "idea", _("Idea")
        EXPERIENCE = "experience", _("Lived experience")

    class Source(models.TextChoices):
        ONLINE = "online", _("Online")
        PAPER = "paper", _("Paper form")
        PHONE = "phone", _("Phone")
        POP_UP = "pop_up", _("Pop-up or event")
        EMAIL = "email", _("E-mail or letter")
        MEETING = "meeting", _("Meeting")

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting moderation")
        PUBLISHED = "published", _("Published")
        REJECTED = "rejected", _("Not published")

    challenge = models.ForeignKey(
        Challenge, on_delete=models.CASCADE, related_name="community_inputs"
    )
    # No author: given without an account, or gathered offline (then `recorded_by` is set).
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="community_inputs",
    )
    author_name = models.CharField(_("your name (optional)"), max_length=120, blank=True)
    stage = models.CharField(
        _("stage"),
        max_length=20,
        choices=EngagementStage.choices,
        default=EngagementStage.CO_DESIGN,
    )
    source = models.CharField(
        _("how it was given"), max_length=20, choices=Source.choices, default=Source.ONLINE
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    partner = models.ForeignKey(
        "challenges.PartnerOrganization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="community_inputs",
        verbose_name=_("gathered by partner"),
    )
    groups = models.ManyToManyField(
        "challenges.PriorityGroup",
        blank=True,
        related_name="+",
        verbose_name=_("groups you belong to (optional)"),
    )
    consent_to_publish = models.BooleanField(_("may be published"), default=False)
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    theme = models.ForeignKey(
        "challenges.InputTheme",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="inputs",
        verbose_name=_("theme"),
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

    def publish_problems(self) -> list[str]:
        """Why this input cannot be published: only what the resident agreed to share is shown."""
        if not self.consent_to_publish:
            return [
                _(
                    "The resident did not agree to publish this input: the city reads it but "
                    "never publishes it. Keep it unpublished with a reason instead."
                )
            ]
        return []

    @transition(
        field=status,
        source=Status.PENDING,
        target=Status.PUBLISHED,
        conditions=[guard_condition("publish_problems")],
        permission=transition_permission("challenges.moderate_communityinput"),
        custom={
            "denied": _("Only the challenge's owner moderates its community input."),
            "guard": "publish_problems",
        },
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
