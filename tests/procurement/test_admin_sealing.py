"""The admin site keeps the sealing rule (DESIGN.md §1 "the sealing rules apply to admins too").

Before the challenge closes, whether a vendor is reminded to submit, or told about a question or
an addendum because it has a proposal, says who is bidding: the superuser's lists leave those
rows out until the challenge closes, then show them.
"""

from datetime import timedelta

import pytest
from django.urls import reverse

from challenges import services as challenge_services
from procurement.models import Notification, ReminderDelivery
from procurement.services import reminders_deliver_due
from tests.factories import QuestionFactory

from .conftest import SUBMISSION_DEADLINE

pytestmark = pytest.mark.django_db

NOTIFICATIONS = reverse("admin:procurement_notification_changelist")
REMINDERS = reverse("admin:procurement_reminderdelivery_changelist")


def admin_rows(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return list(response.context["cl"].result_list)


@pytest.fixture
def told(clock, acme_draft, challenge_open, alice, dave):
    """dave (Acme's draft) is reminded once and told that a question was answered."""
    clock.move_to(SUBMISSION_DEADLINE - timedelta(days=2))
    reminders_deliver_due()
    question = QuestionFactory(challenge=challenge_open, status="submitted")
    challenge_services.question_answer(question=question, actor=alice, answer="Yes.")
    assert Notification.objects.filter(recipient=dave, sealed_with=challenge_open).count() == 2
    assert ReminderDelivery.objects.filter(recipient=dave).exists()
    return challenge_open


def test_before_closing_the_superuser_sees_no_row_about_a_vendor_with_a_draft(
    told, client, root, dave, alice
):
    client.force_login(root)

    assert [n for n in admin_rows(client, NOTIFICATIONS) if n.recipient == dave] == []
    assert [r for r in admin_rows(client, REMINDERS) if r.recipient == dave] == []


def test_rows_that_name_nobody_by_their_proposal_stay_in_the_admin(told, client, root, alice):
    """The owner's own reminders (open questions) are no secret: sealing hides only what is."""
    client.force_login(root)

    reminders = admin_rows(client, REMINDERS)

    assert {r.audience for r in reminders} == {"owner_open_questions"}
    assert all(r.recipient == alice for r in reminders)


def test_after_closing_the_superuser_sees_them(told, clock, client, root, dave):
    clock.move_to(SUBMISSION_DEADLINE)
    challenge_services.challenge_transition(challenge=told, actor=told.owner, name="close")
    client.force_login(root)

    notifications = [n for n in admin_rows(client, NOTIFICATIONS) if n.recipient == dave]
    reminders = [r for r in admin_rows(client, REMINDERS) if r.recipient == dave]

    assert {n.kind for n in notifications} >= {"deadline_reminder", "question_answered"}
    assert {r.audience for r in reminders} == {"vendor_unsubmitted"}
