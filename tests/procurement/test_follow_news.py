"""Followers are told at each stage of their challenge, exactly once each, in their language
(docs/engagement.md, "Follow a challenge")."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from challenges import services as challenge_services
from challenges.follow_services import unsubscribe_url
from procurement.models import FollowNotice, Notification, OutgoingEmail, PersonPreferences
from procurement.services import award as award_services
from procurement.services import follow_news
from procurement.services import pilot as pilot_services
from tests.factories import EngagementActivityFactory, FollowFactory, UserFactory, set_status
from tests.procurement.award_fixtures import *  # noqa: F403  (fixtures)

pytestmark = pytest.mark.django_db


def followers(challenge):
    """Who follows: rita (account, followed in French, no preferences yet), sam (account,
    followed in French but prefers English), an English and a French address, an address never
    confirmed and one unsubscribed."""
    rita = UserFactory(username="rita_f", email="rita@example.org")
    sam = UserFactory(username="sam", email="sam@example.org")
    PersonPreferences.objects.create(user=sam, language="en")
    return {
        "rita": FollowFactory(challenge=challenge, user=rita, email="", language="fr"),
        "sam": FollowFactory(challenge=challenge, user=sam, email="", language="fr"),
        "en": FollowFactory(challenge=challenge, email="ann@example.org", language="en"),
        "fr": FollowFactory(challenge=challenge, email="fleur@example.org", language="fr"),
        "unconfirmed": FollowFactory(
            challenge=challenge, email="unconfirmed@example.org", confirmed_at=None
        ),
        "unsubscribed": FollowFactory(
            challenge=challenge, email="gone@example.org", unsubscribed_at=timezone.now()
        ),
    }


def sent_to(address):
    return [m for m in mail.outbox if m.to == [address]]


def assert_told_once(people, event, *, english: str, french: str):
    """Each active follower has one notice of `event`, the inactive ones none; the English and
    the French address got one e-mail each, with their language's subject and the RFC 8058
    headers; rita reads French in her inbox and sam English."""
    for name in ("rita", "sam", "en", "fr"):
        assert FollowNotice.objects.filter(follow=people[name], event=event).count() == 1, name
    for name in ("unconfirmed", "unsubscribed"):
        assert not FollowNotice.objects.filter(follow=people[name]).exists(), name
        assert sent_to(people[name].email) == []
    (english_mail,) = sent_to("ann@example.org")
    (french_mail,) = sent_to("fleur@example.org")
    assert english in english_mail.subject
    assert french in french_mail.subject
    for message, follow in ((english_mail, people["en"]), (french_mail, people["fr"])):
        assert unsubscribe_url(follow) in message.body
        assert message.extra_headers["List-Unsubscribe"].endswith(unsubscribe_url(follow) + ">")
        assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    (rita_note,) = Notification.objects.filter(recipient=people["rita"].user)
    (sam_note,) = Notification.objects.filter(recipient=people["sam"].user)
    assert rita_note.kind == Notification.Kind.CHALLENGE_NEWS
    assert french in rita_note.title
    assert english in sam_note.title
    assert unsubscribe_url(people["rita"]) in rita_note.body
    # Their e-mails follow their preferences (all kinds wanted by default), with the headers.
    (rita_mail,) = sent_to("rita@example.org")
    assert rita_mail.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe_url(people["rita"]) in rita_mail.extra_headers["List-Unsubscribe"]


def test_followers_are_told_once_when_the_challenge_is_published(
    challenge, plan, alice, django_capture_on_commit_callbacks
):
    people = followers(challenge)
    EngagementActivityFactory(challenge=challenge)
    set_status(challenge, "approved")

    with django_capture_on_commit_callbacks(execute=True):
        challenge = challenge_services.challenge_transition(
            challenge=challenge, actor=alice, name="publish"
        )
    # The event's code path runs again (a retried effect): nobody is told twice.
    with django_capture_on_commit_callbacks(execute=True):
        follow_news.challenge_published(instance=challenge, actor=alice)

    assert_told_once(people, "published", english="is published", french="est publié")
    assert len(mail.outbox) == 4  # two addresses, two accounts


def test_followers_are_told_once_when_the_winner_is_chosen(
    decided, frank, carol, alice, django_capture_on_commit_callbacks
):
    people = followers(decided.challenge)
    award = award_services.award_recommend(evaluation=decided.evaluation, actor=frank)
    award_services.award_approve(award=award, actor=carol)
    # Nothing is public before the letters go out.
    assert not FollowNotice.objects.exists()
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        award = award_services.award_notify(award=award, actor=alice)
    with django_capture_on_commit_callbacks(execute=True):
        follow_news.winner_chosen(instance=award, actor=alice)

    assert_told_once(people, "winner_chosen", english="winner", french="retenue")
    assert decided.acme.vendor.legal_name in sent_to("ann@example.org")[0].body
    # Made final after the standstill: still once.
    with time_machine.travel(award.standstill_ends_at, tick=False):
        award_services.award_finalise(award=award, actor=alice)
    assert FollowNotice.objects.filter(event="winner_chosen").count() == 4


def test_followers_are_told_when_the_pilot_starts_at_each_milestone_and_at_the_outcomes(
    pilot, alice, django_capture_on_commit_callbacks
):
    people = followers(pilot.challenge)
    first = pilot_services.milestone_add(
        pilot=pilot, actor=alice, title="Install in 20 homes", due_on=date.today() + timedelta(9)
    )
    second = pilot_services.milestone_add(
        pilot=pilot, actor=alice, title="Survey households", due_on=date.today() + timedelta(30)
    )
    pilot_services.indicator_add(
        pilot=pilot,
        actor=alice,
        name="Average energy burden",
        unit="% of income",
        baseline=Decimal("8.5"),
        target=Decimal("6"),
    )
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        pilot = pilot_services.pilot_transition(pilot=pilot, actor=alice, name="start")
    assert_told_once(people, "pilot_started", english="pilot", french="projet pilote")

    mail.outbox.clear()
    Notification.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        pilot_services.milestone_mark_done(milestone=first, actor=alice, done_on=date.today())
    # The same milestone's news again: nothing more. Another milestone: news of its own.
    with django_capture_on_commit_callbacks(execute=True):
        follow_news.milestone_done(milestone=first)
    assert_told_once(people, "milestone", english="Install in 20 homes", french="Install")
    with django_capture_on_commit_callbacks(execute=True):
        pilot_services.milestone_mark_done(milestone=second, actor=alice, done_on=date.today())
    assert FollowNotice.objects.filter(event="milestone").count() == 8
    assert len(sent_to("ann@example.org")) == 2

    mail.outbox.clear()
    Notification.objects.all().delete()
    pilot = pilot_services.pilot_transition(pilot=pilot, actor=alice, name="open_review")
    with django_capture_on_commit_callbacks(execute=True):
        pilot_services.pilot_end(
            pilot=pilot, actor=alice, name="adopt", lessons_learned="It worked for renters."
        )
    assert_told_once(people, "outcomes", english="outcomes", french="résultats")


def test_an_account_follower_who_mutes_challenge_news_emails_reads_them_in_the_inbox_only(
    published_challenge, alice, django_capture_on_commit_callbacks
):
    quiet = UserFactory(username="quiet", email="quiet@example.org")
    PersonPreferences.objects.create(user=quiet, email_muted_kinds=["challenge_news"])
    FollowFactory(challenge=published_challenge, user=quiet, email="")

    with django_capture_on_commit_callbacks(execute=True):
        follow_news.challenge_published(instance=published_challenge, actor=alice)

    assert Notification.objects.get(recipient=quiet).email_status == "not_wanted"
    assert mail.outbox == []


def test_an_event_with_no_follower_writes_nothing(published_challenge, alice):
    assert follow_news.challenge_published(instance=published_challenge, actor=alice) is None
    assert not FollowNotice.objects.exists()
    assert not OutgoingEmail.objects.exists()


def test_telling_many_followers_takes_the_same_number_of_queries(published_challenge, alice):
    def tell(count):
        FollowNotice.objects.all().delete()
        for _ in range(count - published_challenge.follows.count()):
            FollowFactory(challenge=published_challenge)
            FollowFactory(challenge=published_challenge, user=UserFactory(), email="")
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            follow_news.challenge_published(instance=published_challenge, actor=alice)
        return len(queries)

    assert tell(2) == tell(10)
