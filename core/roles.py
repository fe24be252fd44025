"""Roles are Django groups (DESIGN.md §1). Per-object rights are `rules` predicates."""

from django.utils.translation import gettext_lazy as _

STAFF = "staff"
APPROVER = "approver"
EVALUATOR = "evaluator"
VENDOR = "vendor"

ROLE_LABELS = {
    STAFF: _("Municipal staff"),
    APPROVER: _("Approver"),
    EVALUATOR: _("Evaluator"),
    VENDOR: _("Vendor"),
}


def group_names(user) -> frozenset[str]:
    """The user's role names, read once per request object."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, "_role_names", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        user._role_names = cached
    return cached
