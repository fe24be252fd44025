"""Community partners (docs/engagement.md): the organizations the city works through, and their
part in a challenge. Each write is audited in its transaction, filed under the challenge when it
belongs to one."""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.audit import audit_created, audit_deleted
from core.errors import InvalidInput
from core.permissions import require
from core.validation import full_clean_or_invalid

from .models import Challenge, ChallengePartner, PartnerOrganization

PARTNERS_DENIED = gettext_lazy("Only the challenge's owner links partner organizations to it.")
ORGANIZATION_DENIED = gettext_lazy("Only municipal staff add partner organizations.")
ORGANIZATION_FIELDS = ("name", "kind", "contact_name", "contact_email", "contact_phone", "website")
PARTNERSHIP_FIELDS = ("partner", "role", "role_note", "contact_user")


def _invalid(field: str, message: str) -> InvalidInput:
    return InvalidInput(message, field_errors={field: [message]})


@transaction.atomic
def partner_organization_create(*, actor, groups_served=(), **data) -> PartnerOrganization:
    require(actor, "challenges.add_partnerorganization", None, str(ORGANIZATION_DENIED))
    unknown = sorted(set(data) - set(ORGANIZATION_FIELDS))
    if unknown:
        raise TypeError(f"Unexpected partner fields: {', '.join(unknown)}")
    organization = PartnerOrganization(
        **{k: (v.strip() if isinstance(v, str) else v) for k, v in data.items()}
    )
    if PartnerOrganization.objects.filter(name__iexact=organization.name).exists():
        raise _invalid(
            "name",
            _("A partner organization named “%(name)s” already exists; choose it from the list.")
            % {"name": organization.name},
        )
    full_clean_or_invalid(organization)
    organization.save()
    organization.groups_served.set(list(groups_served))
    audit_created(obj=organization, actor=actor, fields=(*ORGANIZATION_FIELDS, "groups_served"))
    return organization


def _contact_account(email: str):
    if not email:
        return None
    accounts = list(
        get_user_model().objects.filter(email__iexact=email.strip(), is_active=True)[:2]
    )
    if len(accounts) != 1:
        raise _invalid(
            "contact_email",
            _(
                "No single account uses %(email)s. Ask the contact to sign up with it first, "
                "then add them."
            )
            % {"email": email.strip()},
        )
    return accounts[0]


@transaction.atomic
def challenge_partner_add(
    *, challenge: Challenge, actor, partner, role: str, role_note: str = "", contact_email=""
) -> ChallengePartner:
    challenge = Challenge.objects.select_for_update().get(pk=challenge.pk)
    require(actor, "challenges.manage_partners", challenge, str(PARTNERS_DENIED))
    if ChallengePartner.objects.filter(challenge=challenge, partner=partner).exists():
        raise _invalid(
            "partner",
            _("%(partner)s is already a partner of this challenge.") % {"partner": partner},
        )
    partnership = ChallengePartner(
        challenge=challenge,
        partner=partner,
        role=role,
        role_note=(role_note or "").strip(),
        contact_user=_contact_account(contact_email),
        invited_by=actor,
    )
    full_clean_or_invalid(partnership, exclude=["challenge", "partner"])
    partnership.save()
    audit_created(obj=partnership, actor=actor, fields=PARTNERSHIP_FIELDS)
    return partnership


@transaction.atomic
def challenge_partner_remove(*, partnership: ChallengePartner, actor) -> None:
    """The organization stays on the activities it co-hosted and the input it gathered; its
    contact no longer records for this challenge."""
    challenge = Challenge.objects.select_for_update().get(pk=partnership.challenge_id)
    require(actor, "challenges.manage_partners", challenge, str(PARTNERS_DENIED))
    locked = ChallengePartner.objects.filter(pk=partnership.pk).first()
    if locked is None:
        return
    audit_deleted(obj=locked, actor=actor, fields=PARTNERSHIP_FIELDS)
    locked.delete()
