from datetime import date, datetime, time

from django.utils import timezone
from django.utils.formats import date_format


def format_local(value) -> str:
    """A moment in the municipality's zone with the zone named, e.g. '3 Mar 2027, 14:00 AST'."""
    if not value:
        return ""
    local = timezone.localtime(value)
    return f"{date_format(local, 'j M Y, H:i')} {local.tzname()}"


def format_local_exact(value) -> str:
    """A moment to the millisecond, for when a submission reached the server, whose seconds
    matter at a deadline: '3 Mar 2027, 13:59:59.812 AST'."""
    if not value:
        return ""
    local = timezone.localtime(value)
    millis = local.microsecond // 1000
    return f"{date_format(local, 'j M Y, H:i:s')}.{millis:03d} {local.tzname()}"


def format_day(value) -> str:
    """A calendar day (a due date, a measurement's date) as the pages print days: '3 Mar 2027'."""
    if not value:
        return ""
    return date_format(value, "j M Y")


def day_start(value: date) -> datetime:
    """A calendar day as the moment it begins in the municipality's zone: a due date published
    as a date-time says the local day, not midnight UTC (the evening before, in Canada)."""
    return datetime.combine(value, time.min, tzinfo=timezone.get_default_timezone())
