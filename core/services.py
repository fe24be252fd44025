"""Writes the platform makes for a person's own account: personal API tokens.

A token is made by django-rest-knox, which stores only its digest; the token itself is returned
once, to be shown once. Making and revoking one are recorded in the audit trail (never the token
nor its digest: only its name, its first characters and its expiry).
"""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .audit import audit_change
from .errors import InvalidInput, PermissionDenied
from .models import ApiToken

TOKEN_NAME_MAX_LENGTH = ApiToken._meta.get_field("name").max_length


def _recorded(token: ApiToken) -> dict:
    return {
        "name": token.name,
        "token_key": token.token_key,
        "expiry": token.expiry.isoformat() if token.expiry else None,
    }


@transaction.atomic
def api_token_create(*, user, name: str, expires_at: datetime | None = None):
    """Make a personal API token for `user`; returns (the row, the token to show once)."""
    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied(_("Sign in to make an API token."))
    name = " ".join(str(name or "").split())
    errors: dict[str, list[str]] = {}
    if not name:
        errors["name"] = [_("Name the token, for example “Submission script”.")]
    elif len(name) > TOKEN_NAME_MAX_LENGTH:
        errors["name"] = [
            _("Keep the name to %(limit)d characters or fewer.") % {"limit": TOKEN_NAME_MAX_LENGTH}
        ]
    if expires_at is not None and expires_at <= timezone.now():
        errors["expires_at"] = [_("Choose an expiry in the future, or none.")]
    if errors:
        raise InvalidInput(
            [m for messages in errors.values() for m in messages], field_errors=errors
        )
    # The manager adds the TTL to now; the person chose a moment, so it is set after.
    token, secret = ApiToken.objects.create(user=user, expiry=None, name=name)
    if expires_at is not None:
        token.expiry = expires_at
        token.save(update_fields=["expiry"])
    audit_change(
        obj=token,
        actor=user,
        action="create",
        changes={field: (None, value) for field, value in _recorded(token).items()},
    )
    return token, secret


@transaction.atomic
def api_token_revoke(*, token: ApiToken, actor) -> None:
    """Revoke (delete) one of `actor`'s own tokens; nobody revokes another person's."""
    token = ApiToken.objects.select_for_update().filter(pk=token.pk).first()
    if token is None:
        raise InvalidInput(_("This token was already revoked."))
    if token.user_id != getattr(actor, "pk", None):
        raise PermissionDenied(_("Only the person who made a token can revoke it."))
    audit_change(
        obj=token,
        actor=actor,
        action="delete",
        changes={field: (value, None) for field, value in _recorded(token).items()},
    )
    token.delete()
