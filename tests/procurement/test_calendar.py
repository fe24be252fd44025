"""Each person's private iCalendar feed of their deadlines (DESIGN.md §4)."""

import hashlib
import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from icalendar import Calendar

from procurement.models import PersonPreferences
from procurement.services import calendar_token_regenerate, preferences_for

from .conftest import QUESTIONS_DEADLINE, SUBMISSION_DEADLINE, open_challenge

pytestmark = pytest.mark.django_db

MONCTON = ZoneInfo("America/Moncton")


def address(user) -> str:
    """The person's calendar token, made as the preferences page makes it."""
    return calendar_token_regenerate(actor=user)[1]


def feed(client, user):
    token = address(user)
    response = client.get(reverse("procurement:calendar_feed", kwargs={"token": token}))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return Calendar.from_ical(response.content)


def events(calendar):
    return {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}


def test_the_owner_sees_the_challenges_deadlines_with_times_round_tripped(client, challenge_open):
    calendar = feed(client, challenge_open.owner)

    found = events(calendar)
    questions = found[f"Questions deadline: {challenge_open.reference} {challenge_open.title}"]
    submission = found[f"Submission deadline: {challenge_open.reference} {challenge_open.title}"]
    assert questions.decoded("DTSTART") == QUESTIONS_DEADLINE
    assert submission.decoded("DTSTART") == SUBMISSION_DEADLINE
    assert submission.decoded("DTSTART").tzinfo is not None
    assert str(submission["URL"]).endswith(challenge_open.get_absolute_url())
    assert str(calendar["X-WR-TIMEZONE"]) == "America/Moncton"
    assert len({str(e["UID"]) for e in calendar.walk("VEVENT")}) == 2


def test_a_vendor_sees_the_submission_deadline_of_its_proposals_only(
    client, acme_draft, globex_submitted, dave
):
    calendar = feed(client, dave)

    vevents = calendar.walk("VEVENT")
    assert len(vevents) == 1
    assert "Acme Heat Solutions" in str(vevents[0]["SUMMARY"])
    assert vevents[0].decoded("DTSTART") == SUBMISSION_DEADLINE
    assert "draft" in str(vevents[0]["DESCRIPTION"])


def test_a_person_with_nothing_due_gets_an_empty_valid_calendar(client, rita):
    calendar = feed(client, rita)

    assert calendar.walk("VEVENT") == []
    assert str(calendar["VERSION"]) == "2.0"


def test_a_deadline_in_daylight_time_keeps_its_instant(clock, client, alice, department):
    deadline = datetime(2027, 3, 14, 12, 0, tzinfo=MONCTON)  # the day the clocks go forward
    challenge = open_challenge(
        alice,
        department,
        questions_deadline=datetime(2027, 3, 1, 12, 0, tzinfo=MONCTON),
        submission_deadline=deadline,
    )

    calendar = feed(client, alice)

    start = events(calendar)[f"Submission deadline: {challenge.reference} {challenge.title}"]
    assert start.decoded("DTSTART") == deadline
    assert start.decoded("DTSTART").astimezone(UTC) == datetime(2027, 3, 14, 15, 0, tzinfo=UTC)
    assert b"DTSTART:20270314T150000Z" in calendar.to_ical()


def test_an_unknown_token_finds_nothing(client, alice):
    response = client.get(reverse("procurement:calendar_feed", kwargs={"token": "nope"}))

    assert response.status_code == 404


def test_a_new_address_stops_the_old_one(client, alice):
    old = address(alice)

    new = address(alice)

    assert new != old
    old_response = client.get(reverse("procurement:calendar_feed", kwargs={"token": old}))
    new_response = client.get(reverse("procurement:calendar_feed", kwargs={"token": new}))
    assert old_response.status_code == 404
    assert new_response.status_code == 200


def test_only_the_digest_of_the_token_is_stored(client, alice):
    token = address(alice)

    stored = PersonPreferences.objects.filter(user=alice).values()[0]
    assert token not in str(stored)
    assert stored["calendar_token_digest"] == hashlib.sha256(token.encode()).hexdigest()
    # The digest itself is no address.
    response = client.get(
        reverse("procurement:calendar_feed", kwargs={"token": stored["calendar_token_digest"]})
    )
    assert response.status_code == 404


def test_nobody_has_an_address_until_they_make_one(client, alice):
    client.force_login(alice)

    page = client.get(reverse("procurement:preferences")).content.decode()

    assert preferences_for(alice).calendar_token_digest is None
    assert 'id="feed-url"' not in page
    assert "Make my calendar address" in page


def test_the_preferences_page_shows_the_address_once_when_it_is_made(client, alice):
    client.force_login(alice)

    made = client.post(reverse("procurement:preferences"), {"regenerate": "1"})
    later = client.get(reverse("procurement:preferences"))

    assert made.status_code == 200
    assert made["Cache-Control"] == "private, no-store"
    shown = re.search(r'id="feed-url" type="text" readonly value="([^"]+)"', made.content.decode())
    assert shown and "it is shown only this once" in made.content.decode()
    assert client.get(shown.group(1)).status_code == 200
    text = later.content.decode()
    assert 'id="feed-url"' not in text and shown.group(1) not in text
    assert "You have a private calendar address" in text


def test_making_a_new_address_on_the_page_stops_the_old_one(client, alice):
    old = address(alice)
    client.force_login(alice)

    response = client.post(reverse("procurement:preferences"), {"regenerate": "1"})

    text = response.content.decode()
    assert "The old address no longer works." in text
    new = re.search(
        r'id="feed-url" type="text" readonly value="[^"]+/calendar/([^"/]+)\.ics"', text
    )
    assert new and new.group(1) != old
    assert (
        client.get(reverse("procurement:calendar_feed", kwargs={"token": old})).status_code == 404
    )


def test_a_deactivated_persons_feed_is_gone(client, alice):
    token = address(alice)
    alice.is_active = False
    alice.save()

    response = client.get(reverse("procurement:calendar_feed", kwargs={"token": token}))

    assert response.status_code == 404


def test_a_deadline_is_an_instant_with_no_end_equal_to_its_start(client, challenge_open):
    token = address(challenge_open.owner)
    response = client.get(reverse("procurement:calendar_feed", kwargs={"token": token}))

    calendar = Calendar.from_ical(response.content)
    vevents = calendar.walk("VEVENT")
    assert len(vevents) == 2
    for event in vevents:
        # RFC 5545 3.6.1: with a date-time DTSTART and no DTEND or DURATION the event ends as it
        # starts; a DTEND must otherwise be later than DTSTART.
        assert "DTEND" not in event
        assert "DURATION" not in event
        assert event.decoded("DTSTART").tzinfo is not None
    assert b"DTEND" not in response.content
