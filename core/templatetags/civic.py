"""Template helpers: permission checks through `rules`, and zone-named local times."""

from django import template

from core.permissions import can
from core.timefmt import format_day, format_local, format_local_exact

register = template.Library()


@register.simple_tag
def user_can(user, perm, obj=None):
    return can(user, perm, obj)


@register.filter
def audit_change_rows(entry):
    """An audit entry's field changes (field, before, after, withheld)."""
    from core.audit import audit_changes

    return audit_changes(entry)


@register.simple_tag
def audit_head():
    """The latest published checkpoint of the audit chain (core.audit_chain.audit_checkpoints)."""
    from core.audit_chain import audit_checkpoints

    return audit_checkpoints(count=1)[0]


@register.filter
def local_datetime(value):
    """A date and time in the municipality's zone, with the zone named."""
    return format_local(value)


@register.filter
def local_datetime_exact(value):
    """A moment to the millisecond in the municipality's zone (a submission's arrival)."""
    return format_local_exact(value)


@register.filter
def day(value):
    """A date without a time, printed like every other day on the site."""
    return format_day(value)
