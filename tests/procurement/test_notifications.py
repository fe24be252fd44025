"""Events notify the people they concern, in the inbox and by email (DESIGN.md §4)."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from challenges import services as challenge_services
from procurement.message import Message
from procurement.models import Notification, PersonPreferences
from procurement.services import (
    notification_create,
    notification_email_send,
    outbox_sweep,
    preferences_update,
)
from tests.factories import AddendumFactory, ChallengeFactory, QuestionFactory

pytestmark = pytest.mark.django_db


def recipients(kind):
    return set(Notification.objects.filter(kind=kind).values_list("recipient__username", flat=True))


def test_an_answer_notifies_the_askers_and_the_vendors_taking_part(
    challenge_open, acme_draft, alice, dave, erin, rita
):
    question = QuestionFactory(challenge=challenge_open, asked_by=erin)

    challenge_services.question_answer(question=question, actor=alice, answer="Any region.")

    assert recipients(Notification.Kind.QUESTION_ANSWERED) == {"dave", "erin"}
    notification = Notification.objects.get(recipient=erin)
    assert "Any region." in notification.body
    assert notification.link.endswith("#questions")
    assert notification.read_at is None


def test_a_dismissed_question_notifies_nobody(challenge_open, alice, erin):
    question = QuestionFactory(challenge=challenge_open, asked_by=erin)

    challenge_services.question_dismiss(question=question, actor=alice, reason="Duplicate.")

    assert not Notification.objects.exists()


def test_an_addendum_notifies_the_vendors_taking_part(
    challenge_open, acme_draft, globex_submitted, alice
):
    addendum = AddendumFactory(challenge=challenge_open, created_by=alice, changes_terms=True)

    challenge_services.addendum_issue(addendum=addendum, actor=alice)

    assert recipients(Notification.Kind.ADDENDUM_ISSUED) == {"dave", "erin"}
    body = Notification.objects.get(recipient__username="erin").body
    assert "re-confirmed" in body


def test_submitting_for_review_notifies_the_approvers_but_not_the_author(alice, carol, department):
    from tests.factories import (
        EngagementActivityFactory,
        UserFactory,
        complete_governance,
        complete_plan,
    )

    other_approver = UserFactory(username="olive", roles=["staff", "approver"])
    author_approver = UserFactory(username="victor", roles=["staff", "approver"])
    challenge = ChallengeFactory(owner=author_approver, department=department)
    EngagementActivityFactory(challenge=challenge)
    complete_governance(challenge)
    complete_plan(challenge)

    challenge_services.challenge_transition(
        challenge=challenge, actor=author_approver, name="submit_for_review"
    )

    assert recipients(Notification.Kind.APPROVAL_REQUESTED) == {"carol", other_approver.username}


def test_a_refused_step_notifies_nobody(alice, carol, department):
    challenge = ChallengeFactory(owner=alice, department=department, problem="")

    with pytest.raises(Exception):  # noqa: B017  (the refusal itself is tested elsewhere)
        challenge_services.challenge_transition(
            challenge=challenge, actor=alice, name="submit_for_review"
        )

    assert not Notification.objects.exists()


def test_cancelling_notifies_the_vendors_taking_part(challenge_open, acme_draft, alice):
    challenge_services.challenge_transition(
        challenge=challenge_open, actor=alice, name="cancel", reason="Budget withdrawn."
    )

    assert recipients(Notification.Kind.CHALLENGE_CANCELLED) == {"dave"}
    assert "Budget withdrawn." in Notification.objects.get().body


def test_emails_are_sent_after_commit_in_the_persons_language(
    challenge_open, acme_draft, alice, dave, django_capture_on_commit_callbacks
):
    preferences_update(actor=dave, language="fr", email_kinds=Notification.Kind.values)
    question = QuestionFactory(challenge=challenge_open, asked_by=dave)
    seen = []

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        challenge_services.question_answer(question=question, actor=alice, answer="Oui.")
        # Nothing is sent inside the transaction.
        assert mail.outbox == []
        notification_create(
            recipient=dave,
            kind=Notification.Kind.RESULTS,
            message=lambda: seen.append(translation.get_language()) or Message("t", "b"),
        )

    assert len(callbacks) == 2
    assert seen == ["fr"]
    assert [m.to for m in mail.outbox] == [["dave@example.org"], ["dave@example.org"]]
    assert all(
        n.email_status == Notification.Email.SENT
        for n in Notification.objects.filter(recipient=dave)
    )


def test_a_person_who_turned_a_kind_off_gets_it_only_in_the_inbox(
    challenge_open, acme_draft, alice, dave, django_capture_on_commit_callbacks
):
    wanted = [k for k in Notification.Kind.values if k != Notification.Kind.QUESTION_ANSWERED]
    preferences_update(actor=dave, language="en", email_kinds=wanted)
    question = QuestionFactory(challenge=challenge_open, asked_by=dave)

    with django_capture_on_commit_callbacks(execute=True):
        challenge_services.question_answer(question=question, actor=alice, answer="Yes.")

    notification = Notification.objects.get(recipient=dave)
    assert notification.email_status == Notification.Email.NOT_WANTED
    assert mail.outbox == []


def test_the_same_event_is_never_notified_twice(dave):
    def message():
        return Message("Closed", "")

    first = notification_create(
        recipient=dave, kind="challenge_closed", message=message, dedupe_key="k"
    )
    second = notification_create(
        recipient=dave, kind="challenge_closed", message=message, dedupe_key="k"
    )

    assert first is not None
    assert second is None
    assert Notification.objects.filter(recipient=dave).count() == 1


# The email outbox ----------------------------------------------------------------------


def pending_notification(user):
    return notification_create(recipient=user, kind="results", message=lambda: Message("R", "B"))


def test_sending_twice_sends_one_email(dave):
    notification = pending_notification(dave)

    results = [notification_email_send(notification_id=notification.pk) for _ in range(2)]

    notification.refresh_from_db()
    assert results == ["sent", "done"]
    assert len(mail.outbox) == 1
    assert notification.email_status == Notification.Email.SENT
    assert notification.email_attempts == 1


def test_a_worker_holding_the_lease_keeps_others_from_sending(dave):
    notification = pending_notification(dave)
    Notification.objects.filter(pk=notification.pk).update(
        email_claimed_until=timezone.now() + timedelta(minutes=5)
    )

    assert notification_email_send(notification_id=notification.pk) == "busy"
    assert mail.outbox == []


def test_a_failed_send_releases_the_lease_and_fails_for_good_after_the_last_attempt(dave, settings):
    settings.EMAIL_BACKEND = "tests.procurement.mail_backends.BrokenBackend"
    settings.NOTIFICATION_EMAIL_MAX_ATTEMPTS = 2
    notification = pending_notification(dave)

    with pytest.raises(OSError):
        notification_email_send(notification_id=notification.pk)
    notification.refresh_from_db()
    assert notification.email_status == Notification.Email.PENDING
    assert notification.email_claimed_until is None
    with pytest.raises(OSError):
        notification_email_send(notification_id=notification.pk)

    notification.refresh_from_db()
    assert notification.email_status == Notification.Email.FAILED
    assert notification.email_attempts == 2


def test_the_sweeper_queues_again_emails_left_pending(dave, settings):
    settings.NOTIFICATION_OUTBOX_GRACE_SECONDS = 0
    left = pending_notification(dave)
    leased = pending_notification(dave)
    Notification.objects.filter(pk=leased.pk).update(
        email_claimed_until=timezone.now() + timedelta(minutes=5)
    )

    queued = outbox_sweep(now=timezone.now() + timedelta(seconds=1))

    left.refresh_from_db()
    leased.refresh_from_db()
    assert queued == 1
    assert left.email_status == Notification.Email.SENT  # tasks run in process here
    assert leased.email_status == Notification.Email.PENDING
    assert len(mail.outbox) == 1


def test_the_sweeper_leaves_fresh_rows_to_the_task_queued_at_commit(dave, settings):
    settings.NOTIFICATION_OUTBOX_GRACE_SECONDS = 60
    pending_notification(dave)

    assert outbox_sweep() == 0


# Pages --------------------------------------------------------------------------------


def test_the_header_shows_the_unread_count(client, dave):
    pending_notification(dave)
    pending_notification(dave)
    client.force_login(dave)

    response = client.get(reverse("challenges:board"))

    assert response.status_code == 200
    assert "2 unread" in response.content.decode()


def test_the_inbox_lists_only_the_persons_notifications(client, dave, erin):
    notification_create(recipient=dave, kind="results", message=lambda: Message("For dave", ""))
    notification_create(recipient=erin, kind="results", message=lambda: Message("For erin", ""))
    client.force_login(dave)

    response = client.get(reverse("procurement:inbox"))

    content = response.content.decode()
    assert response.status_code == 200
    assert "For dave" in content
    assert "For erin" not in content


def test_the_inbox_needs_a_signed_in_person(client):
    response = client.get(reverse("procurement:inbox"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_opening_a_notification_marks_it_read_and_follows_its_link(client, challenge_open, dave):
    notification = notification_create(
        recipient=dave,
        kind="results",
        message=lambda: Message("Open me", "", challenge_open.get_absolute_url()),
    )
    client.force_login(dave)

    response = client.post(
        reverse("procurement:inbox"), {"notification": notification.public_id, "open": "1"}
    )

    notification.refresh_from_db()
    assert response.status_code == 302
    assert response.url == challenge_open.get_absolute_url()
    assert notification.read_at is not None


def test_nobody_marks_another_persons_notification(client, dave, erin):
    notification = pending_notification(dave)
    client.force_login(erin)

    response = client.post(reverse("procurement:inbox"), {"notification": notification.public_id})

    notification.refresh_from_db()
    assert response.status_code == 404
    assert notification.read_at is None


@pytest.mark.parametrize("given", [None, "", "12", "not-an-id"])
def test_the_inbox_answers_not_found_to_a_notification_it_cannot_read(client, dave, given):
    notification = pending_notification(dave)
    client.force_login(dave)

    data = {} if given is None else {"notification": given}
    response = client.post(reverse("procurement:inbox"), data)

    notification.refresh_from_db()
    assert response.status_code == 404
    assert notification.read_at is None


def test_the_inbox_names_notifications_without_their_row_numbers(client, dave):
    notification = pending_notification(dave)
    client.force_login(dave)

    page = client.get(reverse("procurement:inbox")).content.decode()

    assert f'name="notification" value="{notification.public_id}"' in page
    assert f'value="{notification.pk}"' not in page


def test_mark_all_as_read(client, dave, erin):
    pending_notification(dave)
    pending_notification(dave)
    others = pending_notification(erin)
    client.force_login(dave)

    response = client.post(reverse("procurement:inbox"), {"all": "1"}, follow=True)

    others.refresh_from_db()
    assert response.status_code == 200
    assert "2 notifications marked as read." in response.content.decode()
    assert not Notification.objects.filter(recipient=dave, read_at__isnull=True).exists()
    assert others.read_at is None


def test_preferences_save_the_language_and_the_emails_wanted(client, dave):
    client.force_login(dave)

    response = client.post(
        reverse("procurement:preferences"),
        {"language": "fr", "email_kinds": ["deadline_reminder", "challenge_closed"]},
    )

    preferences = PersonPreferences.objects.get(user=dave)
    assert response.status_code == 302
    assert preferences.language == "fr"
    assert preferences.wants_email("deadline_reminder")
    assert not preferences.wants_email("question_answered")


def test_preferences_refuse_an_unknown_language(client, dave):
    client.force_login(dave)

    response = client.post(reverse("procurement:preferences"), {"language": "xx"})

    assert response.status_code == 200
    assert "error-summary" in response.content.decode()
    assert not PersonPreferences.objects.filter(user=dave, language="xx").exists()


def test_an_empty_inbox_says_what_will_appear_there(client, alice):
    client.force_login(alice)

    response = client.get(reverse("procurement:inbox"))

    assert response.status_code == 200
    assert "Nothing here yet" in response.content.decode()
