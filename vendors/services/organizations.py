"""Registering vendor organizations and managing who acts for them."""

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import roles
from core.audit import audit_change, audit_created, audit_deleted, audit_diff, audit_values
from core.errors import InvalidInput, PermissionDenied
from core.permissions import require
from core.timefmt import format_local
from core.validation import full_clean_or_invalid

from ..models import VendorInvitation, VendorMembership, VendorOrganization
from ..rules import MUNICIPAL_CANNOT_JOIN, MUNICIPAL_CANNOT_REGISTER
from ..validators import normalise_postal_code, parse_business_number
from . import emails

VENDOR_EDITABLE_FIELDS = (
    "legal_name",
    "operating_name",
    "business_number",
    "street_address",
    "city",
    "province",
    "postal_code",
    "website",
    "size",
    "is_local_business",
    *VendorOrganization.SOCIAL_ATTRIBUTES,
)
_SPACED_TEXT = ("legal_name", "operating_name", "street_address", "city")


MEMBERSHIP_FIELDS = ("vendor", "user", "role")


def _assign_vendor(vendor: VendorOrganization, data: dict) -> dict[str, list[str]]:
    """Set the given fields, normalised; return the errors found while normalising."""
    unknown = sorted(set(data) - set(VENDOR_EDITABLE_FIELDS))
    if unknown:
        raise InvalidInput(
            _("These fields cannot be set here: %(fields)s.") % {"fields": ", ".join(unknown)}
        )
    errors: dict[str, list[str]] = {}
    for name, value in data.items():
        try:
            if name == "business_number":
                vendor.business_number, vendor.program_account = parse_business_number(value)
            elif name == "postal_code":
                vendor.postal_code = normalise_postal_code(value)
            elif name in _SPACED_TEXT:
                setattr(vendor, name, " ".join(str(value or "").split()))
            elif name == "website":
                setattr(vendor, name, str(value or "").strip())
            else:
                setattr(vendor, name, value)
        except ValidationError as exc:
            errors[name] = exc.messages
    return errors


def _validate_vendor(vendor: VendorOrganization, errors: dict[str, list[str]]) -> None:
    try:
        full_clean_or_invalid(vendor, exclude=list(errors))
    except InvalidInput as exc:
        for name, messages in exc.field_errors.items():
            errors.setdefault(name, []).extend(messages)
    if errors:
        messages = [m for field_messages in errors.values() for m in field_messages]
        raise InvalidInput(messages, field_errors=errors)


def _save_vendor(vendor: VendorOrganization) -> None:
    try:
        with transaction.atomic():
            vendor.save()
    except IntegrityError as exc:
        # Someone registered the same name or number a moment ago: report it on its field.
        _validate_vendor(vendor, {})
        raise InvalidInput(
            _("An organization with this legal name or business number is registered.")
        ) from exc


def _grant_vendor_role(user) -> None:
    user.groups.add(Group.objects.get(name=roles.VENDOR))
    user.__dict__.pop("_role_names", None)


def _revoke_vendor_role_if_unused(user) -> None:
    if not VendorMembership.objects.filter(user=user).exists():
        user.groups.remove(*Group.objects.filter(name=roles.VENDOR))
        user.__dict__.pop("_role_names", None)


@transaction.atomic
def vendor_register(*, actor, **data) -> VendorOrganization:
    """Register an organization; `actor` becomes its owner and takes the vendor role.

    `business_number` may include a program account ("123456782 RT0001").
    """
    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied(_("Sign in to register your organization."))
    require(actor, "vendors.add_vendororganization", message=str(MUNICIPAL_CANNOT_REGISTER))
    vendor = VendorOrganization()
    _validate_vendor(vendor, _assign_vendor(vendor, data))
    _save_vendor(vendor)
    membership = VendorMembership.objects.create(
        vendor=vendor, user=actor, role=VendorMembership.Role.OWNER
    )
    _grant_vendor_role(actor)
    audit_created(obj=vendor, actor=actor)
    audit_created(obj=membership, actor=actor, fields=MEMBERSHIP_FIELDS)
    return vendor


@transaction.atomic
def vendor_update(*, vendor: VendorOrganization, actor, **data) -> VendorOrganization:
    vendor = VendorOrganization.objects.select_for_update().get(pk=vendor.pk)
    require(
        actor,
        "vendors.change_vendororganization",
        vendor,
        _("Only an owner of the organization can change its details."),
    )
    before = audit_values(vendor)
    _validate_vendor(vendor, _assign_vendor(vendor, data))
    _save_vendor(vendor)
    audit_change(obj=vendor, actor=actor, action="update", changes=audit_diff(before, vendor))
    return vendor


@transaction.atomic
def vendor_invite(
    *, vendor: VendorOrganization, actor, email: str, role: str = VendorMembership.Role.MEMBER
) -> VendorInvitation:
    """Invite someone by email. The returned invitation carries `.token` (sent, never stored)."""
    vendor = VendorOrganization.objects.select_for_update().get(pk=vendor.pk)
    require(
        actor,
        "vendors.invite_member",
        vendor,
        _("Only an owner of the organization can invite people to it."),
    )
    email = str(email or "").strip()
    errors = {}
    try:
        validate_email(email)
    except ValidationError:
        errors["email"] = [_("Enter a valid email address.")]
    if role not in VendorMembership.Role.values:
        errors["role"] = [_("Choose owner or member.")]
    if errors:
        raise InvalidInput(
            [m for messages in errors.values() for m in messages], field_errors=errors
        )
    if vendor.memberships.filter(user__email__iexact=email).exists():
        raise InvalidInput(
            _("%(email)s is already a member of %(vendor)s.") % {"email": email, "vendor": vendor},
            field_errors={"email": [_("Already a member.")]},
        )
    # A new invitation replaces any earlier one still pending for the same address.
    now = timezone.now()
    vendor.invitations.filter(
        email__iexact=email, accepted_at__isnull=True, expires_at__gt=now
    ).update(expires_at=now)
    invitation, token = VendorInvitation.new(
        vendor=vendor, email=email, role=role, invited_by=actor
    )
    invitation.save()
    audit_created(obj=invitation, actor=actor, fields=("vendor", "email", "role", "expires_at"))
    invitation.token = token
    emails.queue_invitation(invitation=invitation, token=token)
    return invitation


@transaction.atomic
def invitation_accept(*, token: str, actor) -> VendorMembership:
    """Join the inviting organization. The signed-in user's email must be the invited one."""
    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied(_("Sign in, then open the invitation link again."))
    require(actor, "vendors.accept_invitation", message=str(MUNICIPAL_CANNOT_JOIN))
    found = VendorInvitation.for_token(token)
    if found is None:
        raise InvalidInput(
            _(
                "This invitation link is not valid. Check that you copied all of it, or ask the "
                "organization's owner to invite you again."
            )
        )
    invitation = (
        VendorInvitation.objects.select_for_update().select_related("vendor").get(pk=found.pk)
    )
    if invitation.accepted_at is not None:
        raise InvalidInput(
            _(
                "This invitation was already used on %(date)s. Ask the organization's owner for "
                "a new one if you still need to join."
            )
            % {"date": format_local(invitation.accepted_at)}
        )
    if timezone.now() >= invitation.expires_at:
        raise InvalidInput(
            _(
                "This invitation expired on %(date)s. Ask the organization's owner to invite you "
                "again."
            )
            % {"date": format_local(invitation.expires_at)}
        )
    if (actor.email or "").strip().casefold() != invitation.email.strip().casefold():
        raise PermissionDenied(
            _(
                "This invitation was sent to a different email address. Sign in with the account "
                "for that address, or ask the owner to invite %(email)s."
            )
            % {"email": actor.email or _("your address")}
        )
    membership, created = VendorMembership.objects.get_or_create(
        vendor=invitation.vendor, user=actor, defaults={"role": invitation.role}
    )
    before = audit_values(membership, MEMBERSHIP_FIELDS) if not created else None
    if not created and invitation.role == VendorMembership.Role.OWNER:
        membership.role = VendorMembership.Role.OWNER
        membership.save(update_fields=["role"])
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = actor
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    _grant_vendor_role(actor)
    audit_change(
        obj=invitation,
        actor=actor,
        action="accept",
        changes={"accepted_at": (None, invitation.accepted_at)},
    )
    if created:
        audit_created(obj=membership, actor=actor, fields=MEMBERSHIP_FIELDS)
    else:
        audit_change(
            obj=membership, actor=actor, action="update", changes=audit_diff(before, membership)
        )
    return membership


def _ensure_an_owner_remains(vendor_id, *, leaving: VendorMembership) -> None:
    others = VendorMembership.objects.filter(
        vendor_id=vendor_id, role=VendorMembership.Role.OWNER
    ).exclude(pk=leaving.pk)
    if not others.exists():
        raise InvalidInput(
            _("An organization needs at least one owner; make someone else an owner first.")
        )


def _locked_memberships(membership: VendorMembership):
    # Lock the organization's memberships so two removals cannot leave it without an owner.
    list(VendorMembership.objects.select_for_update().filter(vendor_id=membership.vendor_id))
    try:
        return VendorMembership.objects.select_related("user").get(pk=membership.pk)
    except VendorMembership.DoesNotExist as exc:
        raise InvalidInput(_("This person is no longer a member.")) from exc


@transaction.atomic
def membership_remove(*, membership: VendorMembership, actor) -> None:
    """An owner removes a member, or a member leaves. The last owner cannot go."""
    membership = _locked_memberships(membership)
    require(
        actor,
        "vendors.remove_member",
        membership,
        _("Only an owner of the organization can remove its members."),
    )
    if membership.role == VendorMembership.Role.OWNER:
        _ensure_an_owner_remains(membership.vendor_id, leaving=membership)
    user = membership.user
    audit_deleted(obj=membership, actor=actor, fields=MEMBERSHIP_FIELDS)
    membership.delete()
    _revoke_vendor_role_if_unused(user)


@transaction.atomic
def membership_change_role(*, membership: VendorMembership, actor, role: str) -> VendorMembership:
    membership = _locked_memberships(membership)
    require(
        actor,
        "vendors.invite_member",
        membership,
        _("Only an owner of the organization can change its members' roles."),
    )
    if role not in VendorMembership.Role.values:
        raise InvalidInput(
            _("Choose owner or member."), field_errors={"role": [_("Choose owner or member.")]}
        )
    if membership.role == VendorMembership.Role.OWNER and role != membership.role:
        _ensure_an_owner_remains(membership.vendor_id, leaving=membership)
    before = audit_values(membership, ("role",))
    membership.role = role
    membership.save(update_fields=["role"])
    audit_change(
        obj=membership, actor=actor, action="update", changes=audit_diff(before, membership)
    )
    return membership
