import uuid
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.tokens import new_token, token_digest

from ..validators import postal_code_matches_province

INVITATION_VALID_DAYS = 14


class Province(models.TextChoices):
    AB = "AB", _("Alberta")
    BC = "BC", _("British Columbia")
    MB = "MB", _("Manitoba")
    NB = "NB", _("New Brunswick")
    NL = "NL", _("Newfoundland and Labrador")
    NS = "NS", _("Nova Scotia")
    NT = "NT", _("Northwest Territories")
    NU = "NU", _("Nunavut")
    ON = "ON", _("Ontario")
    PE = "PE", _("Prince Edward Island")
    QC = "QC", _("Quebec")
    SK = "SK", _("Saskatchewan")
    YT = "YT", _("Yukon")


class VendorOrganization(models.Model):
    """A business that takes part in challenges; its members act for it."""

    class Size(models.TextChoices):
        MICRO = "micro", _("Micro (1 to 4 employees)")
        SMALL = "small", _("Small (5 to 99 employees)")
        MEDIUM = "medium", _("Medium (100 to 499 employees)")
        LARGE = "large", _("Large (500 employees or more)")

    # Voluntary self-declared attributes for social procurement reporting (never required).
    SOCIAL_ATTRIBUTES = (
        "indigenous_owned",
        "women_owned",
        "black_owned",
        "lgbtq_owned",
        "disability_owned",
        "social_enterprise",
    )

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    legal_name = models.CharField(_("legal name"), max_length=200)
    operating_name = models.CharField(
        _("operating name"),
        max_length=200,
        blank=True,
        help_text=_("The name you do business under, if it differs from the legal name."),
    )
    business_number = models.CharField(
        _("business number"),
        max_length=9,
        unique=True,
        help_text=_("The 9-digit business number from the Canada Revenue Agency."),
        error_messages={"unique": _("An organization with this business number is registered.")},
    )
    program_account = models.CharField(
        _("program account"),
        max_length=6,
        blank=True,
        help_text=_("Optional, for example RT0001."),
    )
    street_address = models.CharField(_("street address"), max_length=200)
    city = models.CharField(_("city or town"), max_length=100)
    province = models.CharField(_("province or territory"), max_length=2, choices=Province.choices)
    postal_code = models.CharField(_("postal code"), max_length=7)
    website = models.URLField(_("website"), blank=True)
    size = models.CharField(_("size"), max_length=10, choices=Size.choices)
    is_local_business = models.BooleanField(
        _("local business"),
        default=False,
        help_text=_("Has a place of business in the municipality."),
    )

    indigenous_owned = models.BooleanField(_("Indigenous-owned"), default=False)
    women_owned = models.BooleanField(_("women-owned"), default=False)
    black_owned = models.BooleanField(_("Black-owned"), default=False)
    lgbtq_owned = models.BooleanField(_("2SLGBTQI+-owned"), default=False)
    disability_owned = models.BooleanField(_("owned by persons with disabilities"), default=False)
    social_enterprise = models.BooleanField(_("social enterprise"), default=False)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["legal_name"]
        verbose_name = _("vendor organization")
        verbose_name_plural = _("vendor organizations")
        constraints = [
            models.UniqueConstraint(
                Lower("legal_name"),
                name="unique_vendor_legal_name_ci",
                violation_error_message=_("An organization with this legal name is registered."),
            ),
        ]

    def __str__(self):
        return self.operating_name or self.legal_name

    @property
    def formatted_business_number(self) -> str:
        bn = self.business_number
        return f"{bn[:3]} {bn[3:6]} {bn[6:]}" + (
            f" {self.program_account}" if self.program_account else ""
        )

    def clean(self):
        errors = {}
        if self.legal_name:
            clash = VendorOrganization.objects.filter(legal_name__iexact=self.legal_name)
            if clash.exclude(pk=self.pk).exists():
                errors["legal_name"] = [
                    _(
                        "An organization with this legal name is registered; ask its owner to "
                        "invite you."
                    )
                ]
        if not postal_code_matches_province(self.postal_code, self.province):
            errors["postal_code"] = [
                _("This postal code is not in %(province)s; check the code or the province.")
                % {"province": self.get_province_display()}
            ]
        if errors:
            raise ValidationError(errors)

    def validate_constraints(self, exclude=None):
        # clean() reports a clashing legal name on its field, in a sentence that says what to do.
        exclude = set(exclude or ())
        try:
            super().validate_constraints(exclude=exclude)
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                exc.error_dict.pop("__all__", None)
                if exc.error_dict:
                    raise
            else:
                raise


class VendorMembership(models.Model):
    class Role(models.TextChoices):
        OWNER = "owner", _("Owner")
        MEMBER = "member", _("Member")

    vendor = models.ForeignKey(
        VendorOrganization, on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="vendor_memberships"
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["vendor", "created_at", "id"]
        verbose_name = _("vendor membership")
        verbose_name_plural = _("vendor memberships")
        constraints = [
            models.UniqueConstraint(fields=["vendor", "user"], name="unique_vendor_membership"),
        ]

    def __str__(self):
        return f"{self.user} ({self.get_role_display()}) at {self.vendor}"


class VendorInvitation(models.Model):
    """An invitation to join a vendor. Only the token's digest is stored: a database leak
    does not hand out working links."""

    vendor = models.ForeignKey(
        VendorOrganization, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("email"))
    role = models.CharField(
        _("role"),
        max_length=10,
        choices=VendorMembership.Role.choices,
        default=VendorMembership.Role.MEMBER,
    )
    token_digest = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("vendor invitation")
        verbose_name_plural = _("vendor invitations")

    def __str__(self):
        return f"Invitation of {self.email} to {self.vendor}"

    @classmethod
    def new(cls, **fields) -> tuple["VendorInvitation", str]:
        """An unsaved invitation and its token (to send; never stored)."""
        token = new_token()
        now = timezone.now()
        invitation = cls(
            token_digest=token_digest(token),
            created_at=now,
            expires_at=now + timedelta(days=INVITATION_VALID_DAYS),
            **fields,
        )
        return invitation, token

    @classmethod
    def for_token(cls, token: str):
        return cls.objects.filter(token_digest=token_digest(token)).first()

    @property
    def is_pending(self) -> bool:
        return self.accepted_at is None and timezone.now() < self.expires_at
