"""Each person's private iCalendar feed of their deadlines (DESIGN.md §4).

Times are written in UTC (`...Z`), which every calendar program (Outlook, Google Calendar, Apple
Calendar) converts to the reader's zone without needing a VTIMEZONE block, and which cannot drift
when daylight-saving rules change. `X-WR-TIMEZONE` names the municipality's zone as a display hint.
Sources are a registry, so evaluators' due dates join the feed where the evaluation app has them.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.apps import apps
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Alarm, Calendar, Event

from .services.notifications import absolute_url


@dataclass(frozen=True)
class CalendarItem:
    uid: str
    summary: str
    at: datetime
    url: str = ""
    description: str = ""


CalendarSource = Callable[[object], Iterable[CalendarItem]]
_sources: list[CalendarSource] = []


def register_calendar_source(source: CalendarSource) -> CalendarSource:
    if source not in _sources:
        _sources.append(source)
    return source


def _domain() -> str:
    return settings.SITE_URL.split("://")[-1].split("/")[0].split(":")[0] or "localhost"


def owned_challenge_deadlines(user) -> Iterable[CalendarItem]:
    Challenge = apps.get_model("challenges", "Challenge")
    S = Challenge.Status
    challenges = Challenge.objects.filter(
        owner=user,
        status__in=[S.DRAFT, S.CO_DESIGN, S.IN_REVIEW, S.APPROVED, S.PUBLISHED],
    ).order_by("pk")
    for challenge in challenges:
        for name, label in (
            ("questions_deadline", _("Questions deadline")),
            ("submission_deadline", _("Submission deadline")),
        ):
            value = getattr(challenge, name)
            if value:
                yield CalendarItem(
                    uid=f"challenge-{challenge.pk}-{name}",
                    summary=f"{label}: {challenge.reference} {challenge.title}",
                    at=value,
                    url=challenge.get_absolute_url(),
                )


def vendor_proposal_deadlines(user) -> Iterable[CalendarItem]:
    Proposal = apps.get_model("vendors", "Proposal")
    Challenge = apps.get_model("challenges", "Challenge")
    proposals = (
        Proposal.objects.filter(
            vendor__memberships__user=user,
            challenge__status=Challenge.Status.PUBLISHED,
            status__in=[
                Proposal.Status.DRAFT,
                Proposal.Status.SUBMITTED,
                Proposal.Status.NEEDS_RECONFIRMATION,
                Proposal.Status.WITHDRAWN,
            ],
        )
        .select_related("challenge", "vendor")
        .order_by("pk")
    )
    for proposal in proposals:
        challenge = proposal.challenge
        if challenge.submission_deadline:
            yield CalendarItem(
                uid=f"proposal-{proposal.public_id}-submission_deadline",
                summary=_("Submission deadline: %(reference)s (%(vendor)s)")
                % {"reference": challenge.reference, "vendor": proposal.vendor},
                at=challenge.submission_deadline,
                url=challenge.get_absolute_url(),
                description=_("Your proposal is %(status)s.")
                % {"status": proposal.get_status_display().lower()},
            )


def calendar_items(user) -> list[CalendarItem]:
    items = []
    for source in _sources:
        items.extend(source(user))
    return sorted(items, key=lambda item: (item.at, item.uid))


def calendar_feed(user) -> bytes:
    """The feed as bytes (text/calendar)."""
    calendar = Calendar()
    calendar.add("prodid", f"-//{settings.MUNICIPALITY_NAME}//Civic Challenge Procurement//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", _("Deadlines · %(site)s") % {"site": settings.MUNICIPALITY_NAME})
    calendar.add("x-wr-timezone", timezone.get_default_timezone_name())
    stamp = timezone.now().astimezone(UTC).replace(microsecond=0)
    for item in calendar_items(user):
        at = item.at.astimezone(UTC).replace(microsecond=0)
        event = Event()
        event.add("uid", f"{item.uid}@{_domain()}")
        event.add("dtstamp", stamp)
        # A deadline is an instant, not a span: RFC 5545 (3.6.1) reads an event with a date-time
        # start and no DTEND as ending when it starts, while a DTEND equal to DTSTART is invalid.
        event.add("dtstart", at)
        event.add("summary", item.summary)
        event.add("transp", "TRANSPARENT")
        if item.url:
            event.add("url", absolute_url(item.url))
        if item.description:
            event.add("description", item.description)
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", item.summary)
        alarm.add("trigger", timedelta(days=-1))
        event.add_component(alarm)
        calendar.add_component(event)
    return calendar.to_ical()


def register_builtin_sources() -> None:
    register_calendar_source(owned_challenge_deadlines)
    register_calendar_source(vendor_proposal_deadlines)
