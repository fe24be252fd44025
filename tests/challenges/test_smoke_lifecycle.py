from datetime import timedelta

import pytest
from django.utils import timezone

from challenges import services
from challenges.models import Challenge
from procurement.audit import audit_verify
from procurement.models import AuditEntry


@pytest.mark.django_db
def test_it_runs_a_challenge_from_draft_to_published(alice, carol, department):
    challenge = services.challenge_create(
        actor=alice,
        department=department,
        title="Warm homes",
        problem="Cold homes",
        context="Old stock",
        desired_outcomes="Warm",
        success_measures="Less burden",
        budget_min=1,
        budget_max=2,
    )
    assert challenge.reference.endswith("-001")
    services.challenge_transition(challenge=challenge, actor=alice, name="open_co_design")
    services.engagement_activity_add(
        challenge=challenge,
        actor=alice,
        kind="workshop",
        held_on="2026-11-01",
        participants=12,
        groups_reached="Seniors",
        summary="Heard a lot",
    )
    services.challenge_transition(challenge=challenge, actor=alice, name="submit_for_review")
    services.challenge_transition(challenge=challenge, actor=carol, name="approve")
    services.challenge_schedule(
        challenge=challenge,
        actor=alice,
        questions_deadline=timezone.now() + timedelta(days=5),
        submission_deadline=timezone.now() + timedelta(days=20),
    )
    challenge = services.challenge_transition(challenge=challenge, actor=alice, name="publish")
    assert challenge.status == Challenge.Status.PUBLISHED
    assert AuditEntry.objects.count() == 4
    count, breaks = audit_verify()
    assert count == 4 and breaks == []
