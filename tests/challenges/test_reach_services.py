"""Reach targets and the reason they were not met: set by the challenge's owner in draft or
co-design, fixed by review, every change in the audit trail."""

import pytest

from challenges import reach_services
from challenges.models import Challenge, ReachTarget
from core.errors import InvalidInput, PermissionDenied
from core.models import AuditEntry
from tests.factories import PriorityGroupFactory, ReachTargetFactory, set_status

pytestmark = pytest.mark.django_db


@pytest.fixture
def seniors():
    return PriorityGroupFactory(slug="s-seniors", name_en="Seniors s")


@pytest.fixture
def youth():
    return PriorityGroupFactory(slug="s-youth", name_en="Youth s")


@pytest.mark.parametrize("state", ["draft", "co_design"])
def test_the_owner_sets_changes_and_removes_a_target(challenge, alice, seniors, state):
    set_status(challenge, state)

    reach_services.reach_target_set(challenge=challenge, actor=alice, group=seniors, target=25)
    reach_services.reach_target_set(challenge=challenge, actor=alice, group=seniors, target=30)

    stored = ReachTarget.objects.get(challenge=challenge, group=seniors)
    assert (stored.target, stored.set_by) == (30, alice)
    entries = list(
        AuditEntry.objects.filter(object_id=str(stored.pk)).values_list("transition", flat=True)
    )
    assert entries == ["create", "update"]

    assert reach_services.reach_target_remove(challenge=challenge, actor=alice, group=seniors)
    assert not ReachTarget.objects.filter(challenge=challenge).exists()
    assert AuditEntry.objects.filter(object_id=str(stored.pk), transition="delete").exists()
    assert not reach_services.reach_target_remove(challenge=challenge, actor=alice, group=seniors)


@pytest.mark.parametrize("state", ["in_review", "approved", "published", "awarded"])
def test_targets_are_fixed_once_the_challenge_goes_to_review(challenge, alice, seniors, state):
    ReachTargetFactory(challenge=challenge, group=seniors, target=10)
    set_status(challenge, state)

    with pytest.raises(PermissionDenied, match="fixed with the statement"):
        reach_services.reach_target_set(challenge=challenge, actor=alice, group=seniors, target=5)
    with pytest.raises(PermissionDenied):
        reach_services.reach_target_remove(challenge=challenge, actor=alice, group=seniors)
    with pytest.raises(PermissionDenied):
        reach_services.reach_gap_reason_set(challenge=challenge, actor=alice, reason="Late.")

    assert ReachTarget.objects.get(challenge=challenge).target == 10


@pytest.mark.parametrize("persona", ["bob", "carol", "dave", "rita", "root"])
def test_only_the_owner_sets_targets(challenge, seniors, persona, request):
    with pytest.raises(PermissionDenied):
        reach_services.reach_target_set(
            challenge=challenge, actor=request.getfixturevalue(persona), group=seniors, target=5
        )

    assert not ReachTarget.objects.exists()


@pytest.mark.parametrize("target", [0, -1, 1_000_001, "12", True, None])
def test_a_target_is_a_whole_number_of_people(challenge, alice, seniors, target):
    with pytest.raises(InvalidInput) as invalid:
        reach_services.reach_target_set(
            challenge=challenge, actor=alice, group=seniors, target=target
        )

    assert "target" in invalid.value.field_errors
    assert not ReachTarget.objects.exists()


def test_a_group_no_longer_offered_takes_no_new_target(challenge, alice, seniors):
    seniors.active = False
    seniors.save()

    with pytest.raises(InvalidInput, match="no longer offered"):
        reach_services.reach_target_set(challenge=challenge, actor=alice, group=seniors, target=5)


def test_the_form_saves_every_group_at_once_or_nothing(challenge, alice, seniors, youth):
    ReachTargetFactory(challenge=challenge, group=youth, target=4)

    with pytest.raises(InvalidInput) as invalid:
        reach_services.reach_targets_save(
            challenge=challenge, actor=alice, targets={seniors: 10, youth: 0}
        )
    assert set(invalid.value.field_errors) == {f"group_{youth.pk}"}
    assert list(ReachTarget.objects.values_list("group", "target")) == [(youth.pk, 4)]

    reach_services.reach_targets_save(
        challenge=challenge, actor=alice, targets={seniors: 10, youth: None}
    )
    assert list(ReachTarget.objects.values_list("group", "target")) == [(seniors.pk, 10)]


def test_the_owner_records_why_targets_were_not_met(challenge, alice):
    set_status(challenge, "co_design")

    reach_services.reach_gap_reason_set(
        challenge=challenge, actor=alice, reason="  The youth centre closed for repairs.  "
    )

    challenge.refresh_from_db()
    assert challenge.reach_gap_reason == "The youth centre closed for repairs."
    entry = AuditEntry.objects.get(transition="reach_gap_reason")
    assert entry.metadata["changes"]["reach_gap_reason"]["after"] == challenge.reach_gap_reason


def test_a_reason_too_long_is_refused(challenge, alice):
    with pytest.raises(InvalidInput):
        reach_services.reach_gap_reason_set(challenge=challenge, actor=alice, reason="x" * 4001)

    assert Challenge.objects.get(pk=challenge.pk).reach_gap_reason == ""
