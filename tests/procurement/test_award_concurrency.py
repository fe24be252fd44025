"""Finalising an award and cancelling its challenge lock rows in the same order (the challenge
first), so the two never deadlock: finalising waits for the challenge before it touches the
award."""

import threading
import time

import pytest
import time_machine
from django.db import DatabaseError, connection, connections, transaction

from challenges.models import Challenge
from procurement.models import Award
from procurement.services import award as award_services
from tests.procurement.award_fixtures import *  # noqa: F403  (fixtures)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def waiting_for_a_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_locks WHERE NOT granted")
        return cursor.fetchone()[0] > 0


def test_finalising_waits_for_the_challenge_before_locking_the_award(decided, frank, carol, alice):
    award = award_services.award_recommend(evaluation=decided.evaluation, actor=frank)
    award_services.award_approve(award=award, actor=carol)
    award = award_services.award_notify(award=award, actor=alice)
    holding, release = threading.Event(), threading.Event()
    errors = []

    def hold_the_challenge():
        # What a cancel holds while it closes the proposals and withdraws the award.
        with transaction.atomic():
            Challenge.objects.select_for_update().get(pk=award.challenge_id)
            holding.set()
            release.wait(timeout=20)
        connections.close_all()

    def finalise():
        try:
            award_services.award_finalise(award=award, actor=alice)
        except Exception as exc:  # noqa: BLE001  (reported below)
            errors.append(exc)
        finally:
            connections.close_all()

    with time_machine.travel(award.standstill_ends_at, tick=True):
        holder = threading.Thread(target=hold_the_challenge)
        holder.start()
        assert holding.wait(timeout=10)
        finaliser = threading.Thread(target=finalise)
        finaliser.start()
        try:
            for _ in range(200):  # until the finaliser waits on a lock (at most 10 s)
                if waiting_for_a_lock():
                    break
                time.sleep(0.05)
            assert waiting_for_a_lock()
            # The finaliser waits for the challenge and has not locked the award yet.
            with transaction.atomic():
                try:
                    Award.objects.select_for_update(nowait=True).get(pk=award.pk)
                    award_locked = False
                except DatabaseError:
                    award_locked = True
            assert not award_locked
        finally:
            release.set()
            holder.join(timeout=20)
            finaliser.join(timeout=20)

    assert errors == []
    award.refresh_from_db()
    assert award.status == Award.Status.FINAL
