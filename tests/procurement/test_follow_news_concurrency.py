"""Two workers telling the same event at the same moment tell each follower once: the second
one's insert waits for the first's notices, then conflicts and sends nothing."""

import threading
import time

import pytest
from django.core import mail
from django.db import connection, connections, transaction

from procurement.message import Message
from procurement.models import FollowNotice
from procurement.services.follow_news import follow_news
from tests.factories import ChallengeFactory, FollowFactory, set_status

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def waiting_for_a_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_locks WHERE NOT granted")
        return cursor.fetchone()[0] > 0


def test_two_workers_telling_the_same_event_tell_each_follower_once(alice):
    challenge = set_status(ChallengeFactory(owner=alice), "published")
    for _ in range(3):
        FollowFactory(challenge=challenge)
    told = {}
    first_wrote, release = threading.Event(), threading.Event()

    def message():
        return Message(title="News", body="Published.", link=challenge.get_absolute_url())

    def worker(name, *, hold):
        try:
            with transaction.atomic():
                told[name] = follow_news(challenge=challenge, event="published", message=message)
                if hold:
                    first_wrote.set()
                    release.wait(timeout=20)
        finally:
            connections.close_all()

    first = threading.Thread(target=worker, args=("first",), kwargs={"hold": True})
    first.start()
    assert first_wrote.wait(timeout=10)
    second = threading.Thread(target=worker, args=("second",), kwargs={"hold": False})
    second.start()
    try:
        for _ in range(200):  # until the second waits on the first's rows (at most 10 s)
            if waiting_for_a_lock():
                break
            time.sleep(0.05)
        assert waiting_for_a_lock()
    finally:
        release.set()
        first.join(timeout=20)
        second.join(timeout=20)

    assert told == {"first": 3, "second": 0}
    assert FollowNotice.objects.count() == 3
    assert sorted(m.to[0] for m in mail.outbox) == sorted(f.email for f in challenge.follows.all())
