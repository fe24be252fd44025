"""One way to ask "may this person do this?" across pages, API, templates and transitions.

We ask the `rules` registry directly rather than `user.has_perm`, because Django grants every
permission to superusers before any backend runs; here the admin configures, and the procurement
rules (four eyes, sealing) bind admins too.
"""

import rules
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _


def can(user, perm: str, obj=None) -> bool:
    return rules.has_perm(perm, user, obj)


def require(user, perm: str, obj=None, message: str | None = None) -> None:
    if not can(user, perm, obj):
        raise PermissionDenied(message or _("You do not have permission to do this."))


def transition_permission(perm: str):
    """A django-fsm `permission=` callable backed by the rules registry."""

    def check(instance, user) -> bool:
        return can(user, perm, instance)

    check.perm_name = perm
    return check
