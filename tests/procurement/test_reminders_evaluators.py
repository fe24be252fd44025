"""Evaluators: told when assigned to a panel, reminded before their scores are due."""

from datetime import timedelta

import pytest
from django.urls import reverse
from icalendar import Calendar

from procurement.models import Notification, ReminderDelivery
from procurement.services import calendar_token_regenerate, reminders_deliver_due
from tests.factories import evaluation_in, panel_member, set_status

from .conftest import START

pytestmark = pytest.mark.django_db

DUE = START + timedelta(days=40)


@pytest.fixture
def assignment(clock, challenge_open, frank):
    evaluation = evaluation_in(set_status(challenge_open, "evaluating"), "scoring")
    return panel_member(evaluation, frank, status="invited", due_at=DUE)


def test_an_evaluator_is_told_of_the_assignment(assignment, frank):
    notification = Notification.objects.get(recipient=frank)

    assert notification.kind == Notification.Kind.PANEL_ASSIGNMENT
    assert assignment.evaluation.challenge.reference in notification.title


def test_an_evaluator_with_unsubmitted_scores_is_reminded_at_each_offset(clock, assignment, frank):
    rows = ReminderDelivery.objects.filter(recipient=frank, audience="evaluator_unsubmitted")
    assert {r.due_at for r in rows} == {
        DUE - timedelta(days=7),
        DUE - timedelta(days=2),
        DUE - timedelta(days=1),
        DUE - timedelta(hours=2),
    }

    clock.move_to(DUE - timedelta(days=1))

    assert reminders_deliver_due() == 1
    reminder = Notification.objects.get(recipient=frank, kind="deadline_reminder")
    assert "1 day left to submit your scores" in reminder.title


def test_an_evaluator_who_submitted_is_not_reminded(clock, assignment, frank):
    set_status(assignment, "submitted")
    clock.move_to(DUE - timedelta(hours=2))

    assert reminders_deliver_due() == 0

    assert not Notification.objects.filter(recipient=frank, kind="deadline_reminder").exists()


def test_an_evaluator_of_a_cancelled_challenge_is_not_reminded(clock, assignment, frank):
    set_status(assignment.evaluation.challenge, "cancelled")
    clock.move_to(DUE - timedelta(hours=2))

    assert reminders_deliver_due() == 0

    assert not Notification.objects.filter(recipient=frank, kind="deadline_reminder").exists()


def test_the_due_date_is_in_the_evaluators_calendar(client, assignment, frank):
    _preferences, token = calendar_token_regenerate(actor=frank)

    response = client.get(reverse("procurement:calendar_feed", kwargs={"token": token}))

    events = Calendar.from_ical(response.content).walk("VEVENT")
    assert response.status_code == 200
    assert [e.decoded("DTSTART") for e in events] == [DUE]
