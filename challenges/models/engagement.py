"""Engagement beyond co-design: whom the city means to reach, the partners it works through, who
follows a challenge, and what the city did with what residents said."""

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from .challenge import Challenge


class PriorityGroup(models.Model):
    """A group of residents that services often miss; the municipality keeps the list."""

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    description = models.TextField(_("description"), blank=True, max_length=1000)
    active = models.BooleanField(
        _("offered"), default=True, help_text=_("Groups no longer offered stay on past records.")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("priority group")
        verbose_name_plural = _("priority groups")

    def __str__(self):
        return self.name


class ReachTarget(models.Model):
    """How many people of a priority group the owner means to reach for a challenge."""

    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="reach_targets")
    group = models.ForeignKey(
        PriorityGroup, on_delete=models.PROTECT, related_name="+", verbose_name=_("group")
    )
    target = models.PositiveIntegerField(_("people to reach"))
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["group__position", "group_id"]
        verbose_name = _("reach target")
        verbose_name_plural = _("reach targets")
        constraints = [
            models.UniqueConstraint(fields=["challenge", "group"], name="one_target_per_group"),
            models.CheckConstraint(
                condition=models.Q(target__gte=1),
                name="reach_target_positive",
                violation_error_message=_("A target is at least one person."),
            ),
        ]

    def __str__(self):
        return f"{self.group}: {self.target}"


class PartnerOrganization(models.Model):
    """A community organization the city works through to reach residents."""

    class Kind(models.TextChoices):
        COMMUNITY = "community", _("Community organization")
        NON_PROFIT = "non_profit", _("Non-profit or charity")
        INDIGENOUS = "indigenous", _("Indigenous organization")
        NEWCOMER = "newcomer", _("Newcomer or settlement agency")
        LIBRARY = "library", _("Library")
        SCHOOL = "school", _("School, college or university")
        TENANTS = "tenants", _("Tenants' association")
        SENIORS = "seniors", _("Seniors' organization")
        BUSINESS = "business", _("Business association")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    website = models.URLField(_("website"), blank=True)
    groups_served = models.ManyToManyField(
        PriorityGroup, blank=True, related_name="partners", verbose_name=_("groups served")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("partner organization")
        verbose_name_plural = _("partner organizations")

    def __str__(self):
        return self.name


class ChallengePartner(models.Model):
    """A partner's part in one challenge; its contact person may record activities and input."""

    class Role(models.TextChoices):
        CO_HOST = "co_host", _("Co-hosts engagement")
        OUTREACH = "outreach", _("Reaches residents")
        ADVISOR = "advisor", _("Advises")
        INTERPRETATION = "interpretation", _("Interprets or translates")
        PILOT_SITE = "pilot_site", _("Hosts the pilot")

    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="partnerships")
    partner = models.ForeignKey(
        PartnerOrganization,
        on_delete=models.PROTECT,
        related_name="partnerships",
        verbose_name=_("partner"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    role_note = models.CharField(_("what they do"), max_length=300, blank=True)
    # The partner's contact person with an account, invited to record activities and input.
    contact_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="partnerships",
        verbose_name=_("contact who records"),
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["partner__name", "id"]
        verbose_name = _("challenge partner")
        verbose_name_plural = _("challenge partners")
        constraints = [
            models.UniqueConstraint(fields=["challenge", "partner"], name="one_partnership"),
        ]

    def __str__(self):
        return f"{self.partner} · {self.challenge.reference}"


class ActivityReach(models.Model):
    """Participants of one priority group at one activity; no count means "not recorded"."""

    activity = models.ForeignKey(
        "challenges.EngagementActivity", on_delete=models.CASCADE, related_name="reach"
    )
    group = models.ForeignKey(
        PriorityGroup, on_delete=models.PROTECT, related_name="+", verbose_name=_("group")
    )
    participants = models.PositiveIntegerField(_("participants"), null=True, blank=True)

    class Meta:
        ordering = ["group__position", "group_id"]
        verbose_name = _("participants per group")
        verbose_name_plural = _("participants per group")
        constraints = [
            models.UniqueConstraint(fields=["activity", "group"], name="one_reach_per_group"),
        ]

    def __str__(self):
        return f"{self.group}: {self.participants if self.participants is not None else '—'}"


class InputTheme(models.Model):
    """ "You said, we did": what residents said on one theme and what the city did about it."""

    class Outcome(models.TextChoices):
        STATEMENT = "statement", _("Changed the challenge statement")
        CRITERION = "criterion", _("Changed an evaluation criterion")
        PILOT_MEASURE = "pilot_measure", _("Changed a pilot measure")
        OTHER_CHANGE = "other_change", _("Changed something else")
        NO_CHANGE = "no_change", _("Nothing changed")

    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="input_themes")
    title = models.CharField(_("theme"), max_length=200)
    you_said = models.TextField(_("you said"), max_length=4000)
    outcome = models.CharField(_("what it changed"), max_length=20, choices=Outcome.choices)
    we_did = models.TextField(
        _("we did"),
        max_length=4000,
        help_text=_("What changed, or why nothing did."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("theme of input")
        verbose_name_plural = _("themes of input")

    def __str__(self):
        return self.title


class Follow(models.Model):
    """Someone who asked to hear how a challenge moves on: a person with an account, or an
    e-mail address confirmed by a link (double opt-in). Unsubscribing keeps the row."""

    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="follows")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="follows",
    )
    email = models.EmailField(_("e-mail"), blank=True)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    # SHA-256 of the secret in the confirmation and unsubscribe links; the secret is not kept.
    token_digest = models.CharField(max_length=64, unique=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("follower")
        verbose_name_plural = _("followers")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(user__isnull=False, email="")
                    | models.Q(user__isnull=True) & ~models.Q(email="")
                ),
                name="follow_by_account_or_email",
                violation_error_message=_("A follower is a person with an account or an e-mail."),
            ),
            models.UniqueConstraint(
                fields=["challenge", "user"],
                condition=models.Q(user__isnull=False),
                name="one_follow_per_account",
            ),
            models.UniqueConstraint(
                "challenge",
                Lower("email"),
                condition=~models.Q(email=""),
                name="one_follow_per_email",
            ),
        ]
        indexes = [
            # The audience of a stage's news: confirmed, still subscribed followers.
            models.Index(
                fields=["challenge", "id"],
                name="follow_active",
                condition=models.Q(confirmed_at__isnull=False, unsubscribed_at__isnull=True),
            ),
        ]

    def __str__(self):
        return f"{self.user or self.email} · {self.challenge.reference}"

    @property
    def is_active(self) -> bool:
        return self.confirmed_at is not None and self.unsubscribed_at is None
