"""Each person's private iCalendar feed of their deadlines (DESIGN.md §4)."""

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


def feed(client, user):
    token = preferences_for(user).calendar_token
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
    old = preferences_for(alice).calendar_token

    calendar_token_regenerate(actor=alice)

    new = PersonPreferences.objects.get(user=alice).calendar_token
    assert new != old
    old_response = client.get(reverse("procurement:calendar_feed", kwargs={"token": old}))
    new_response = client.get(reverse("procurement:calendar_feed", kwargs={"token": new}))
    assert old_response.status_code == 404
    assert new_response.status_code == 200


def test_the_preferences_page_shows_the_address_and_makes_a_new_one(client, alice):
    old = preferences_for(alice).calendar_token
    client.force_login(alice)

    page = client.get(reverse("procurement:preferences"))
    response = client.post(reverse("procurement:preferences"), {"regenerate": "1"})

    assert page.status_code == 200
    assert old in page.content.decode()
    assert response.status_code == 302
    assert PersonPreferences.objects.get(user=alice).calendar_token != old


def test_a_deactivated_persons_feed_is_gone(client, alice):
    token = preferences_for(alice).calendar_token
    alice.is_active = False
    alice.save()

    response = client.get(reverse("procurement:calendar_feed", kwargs={"token": token}))

    assert response.status_code == 404
