"""Dates and times as people read them: in the municipality's zone, in the reader's language and
its own conventions (Babel's CLDR data), with the zone named in that language.

  en: "Jan 12, 2027, 2:00 p.m. AST"      fr: "12 janv. 2027, 14 h 00 HNA"

Machine formats (ISO 8601 in the API, OCDS and iCalendar) do not come through here.
"""

from datetime import date, datetime, time

from babel.dates import format_date, format_time, get_timezone_name
from django.utils import timezone

from .locales import current_locale


def _zone(local: datetime, locale) -> str:
    return get_timezone_name(local, width="short", locale=locale)


def _date_and_time(day: str, clock: str, locale) -> str:
    return locale.datetime_formats["medium"].format(clock, day)


def format_local(value) -> str:
    """A moment in the municipality's zone with the zone named: 'Mar 3, 2027, 2:00 p.m. AST'."""
    if not value:
        return ""
    locale = current_locale()
    local = timezone.localtime(value)
    day = format_date(local, "medium", locale=locale)
    clock = format_time(local, "short", locale=locale)
    return f"{_date_and_time(day, clock, locale)} {_zone(local, locale)}"


def format_local_exact(value) -> str:
    """A moment to the millisecond, for when a submission reached the server, whose seconds
    matter at a deadline: 'Mar 3, 2027, 1:59:59.812 p.m. AST'."""
    if not value:
        return ""
    locale = current_locale()
    local = timezone.localtime(value)
    # The locale's time with seconds, the seconds carrying milliseconds after its decimal mark.
    pattern = locale.time_formats["medium"].pattern.replace("ss", "ss'{decimal}'SSS", 1)
    pattern = pattern.replace("{decimal}", locale.number_symbols["latn"]["decimal"])
    day = format_date(local, "medium", locale=locale)
    clock = format_time(local, pattern, locale=locale)
    return f"{_date_and_time(day, clock, locale)} {_zone(local, locale)}"


def format_day(value) -> str:
    """A calendar day (a due date, a measurement's date): 'Mar 3, 2027', « 3 mars 2027 »."""
    if not value:
        return ""
    if isinstance(value, datetime):
        value = timezone.localtime(value).date()
    return format_date(value, "medium", locale=current_locale())


def day_start(value: date) -> datetime:
    """A calendar day as the moment it begins in the municipality's zone: a due date published
    as a date-time says the local day, not midnight UTC (the evening before, in Canada)."""
    return datetime.combine(value, time.min, tzinfo=timezone.get_default_timezone())
