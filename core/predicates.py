"""Role predicates shared by every app's rules."""

import rules

from . import roles


@rules.predicate
def is_authenticated(user):
    return bool(getattr(user, "is_authenticated", False))


@rules.predicate
def is_staff_member(user):
    return roles.STAFF in roles.group_names(user)


@rules.predicate
def is_approver(user):
    return roles.APPROVER in roles.group_names(user)


@rules.predicate
def is_evaluator(user):
    return roles.EVALUATOR in roles.group_names(user)


@rules.predicate
def is_vendor(user):
    return roles.VENDOR in roles.group_names(user)


@rules.predicate
def is_admin(user):
    return bool(getattr(user, "is_superuser", False))
