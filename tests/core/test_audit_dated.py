"""audit_dated: history loaded after the fact (the demo) is dated when it happened, and the
chain still verifies."""

from datetime import UTC, datetime, timedelta, timezone

import pytest
from django.db import transaction
from django.utils import timezone as django_timezone

from core.audit import audit_append, audit_dated, audit_deferred
from core.audit_chain import audit_verify
from tests.factories import ChallengeFactory


@pytest.mark.django_db
def test_entries_in_the_block_carry_its_moment_and_the_chain_verifies():
    challenge = ChallengeFactory()
    # A moment given in another zone (the municipality's) is stored as the same instant.
    moment = datetime(2026, 6, 12, 14, 0, 30, 123456, tzinfo=timezone(timedelta(hours=-3)))
    with transaction.atomic():
        with audit_dated(moment):
            dated = audit_append(obj=challenge, transition="publish", source="a", target="b")
            with audit_deferred():
                deferred = audit_append(obj=challenge, transition="close", source="b", target="c")
        undated = audit_append(obj=challenge, transition="award", source="c", target="d")

    expected = datetime(2026, 6, 12, 17, 0, 30, tzinfo=UTC)
    dated.refresh_from_db()
    deferred.refresh_from_db()
    undated.refresh_from_db()
    assert dated.occurred_at == expected
    assert deferred.occurred_at == expected
    assert abs(undated.occurred_at - django_timezone.now()) < timedelta(minutes=5)
    assert audit_verify()[1] == []
