"""Writing the data governance record: who may, when, what bad input is told, and the audit
entry every change leaves (filed under the challenge)."""

import pytest
from django.utils import timezone

from challenges import governance_services as gs
from challenges.models import DataAsset, DataGovernanceRecord, DataSharing, GovernanceDecision
from core.errors import InvalidInput, PermissionDenied
from core.models import AuditEntry
from tests.factories import (
    DataAssetFactory,
    DataSharingFactory,
    GovernanceDecisionFactory,
    complete_governance,
    set_status,
)

pytestmark = pytest.mark.django_db

ASSET = {
    "name": "Stop requests",
    "description": "Where residents ask for stops.",
    "sensitivity": "none",
    "provided_by": "Residents",
    "produced_data_owner": "The municipality",
}
SHARING = {
    "party": "Transit agency",
    "data": "Stop requests",
    "purpose": "Planning.",
    "agreement_status": "drafting",
}


def decision_data():
    return {
        "topic": "privacy",
        "decision": "Keep data in Canada.",
        "reason": "Residents asked.",
        "decided_by": "Council",
        "decided_on": timezone.localdate(),
    }


def entries(action, model):
    return AuditEntry.objects.filter(transition=action, content_type__model=model._meta.model_name)


def test_the_first_save_creates_the_record_and_audits_it(challenge, alice):
    record = gs.governance_record_update(
        challenge=challenge, actor=alice, retention_period="  Two years.  "
    )

    record.refresh_from_db()
    assert record.challenge == challenge
    assert record.retention_period == "Two years."
    assert record.updated_by == alice
    assert entries("create", DataGovernanceRecord).get().metadata["challenge_id"] == challenge.pk
    update = entries("update", DataGovernanceRecord).get()
    assert update.actor == alice
    assert update.metadata["changes"]["retention_period"] == {"before": "", "after": "Two years."}
    assert update.metadata["challenge_id"] == challenge.pk


def test_a_second_save_changes_the_same_record(challenge, alice):
    first = gs.governance_record_update(challenge=challenge, actor=alice, exit_plan="A")
    second = gs.governance_record_update(challenge=challenge, actor=alice, exit_plan="B")
    assert first.pk == second.pk
    assert DataGovernanceRecord.objects.count() == 1
    assert entries("create", DataGovernanceRecord).count() == 1


@pytest.mark.parametrize("who", ["bob", "carol", "dave", "frank", "rita", "root"])
def test_only_the_owner_writes_the_record(request, challenge, who):
    with pytest.raises(PermissionDenied):
        gs.governance_record_update(
            challenge=challenge, actor=request.getfixturevalue(who), exit_plan="x"
        )
    assert not DataGovernanceRecord.objects.exists()
    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize("state", ["in_review", "approved", "published", "closed", "cancelled"])
def test_the_record_is_frozen_from_review_on(challenge, alice, state):
    record = complete_governance(challenge)
    asset = record.assets.get()
    set_status(challenge, state)

    with pytest.raises(PermissionDenied) as denied:
        gs.governance_record_update(challenge=challenge, actor=alice, exit_plan="x")
    assert "fixed with the statement when it goes to review" in str(denied.value)
    with pytest.raises(PermissionDenied):
        gs.data_asset_add(challenge=challenge, actor=alice, **ASSET)
    with pytest.raises(PermissionDenied):
        gs.data_asset_change(asset=asset, actor=alice, name="Other")
    with pytest.raises(PermissionDenied):
        gs.data_asset_remove(asset=asset, actor=alice)
    asset.refresh_from_db()
    assert asset.name != "Other"


@pytest.mark.parametrize("state", ["draft", "co_design"])
def test_the_owner_writes_in_draft_and_co_design(challenge, alice, state):
    set_status(challenge, state)
    gs.governance_record_update(challenge=challenge, actor=alice, exit_plan="x")
    assert DataGovernanceRecord.objects.get().exit_plan == "x"


def test_an_impact_level_needs_automated_decisions(challenge, alice):
    with pytest.raises(InvalidInput) as invalid:
        gs.governance_record_update(challenge=challenge, actor=alice, impact_level=2)
    assert list(invalid.value.field_errors) == ["impact_level"]
    assert not DataGovernanceRecord.objects.exists()

    record = gs.governance_record_update(
        challenge=challenge, actor=alice, automated_decisions=True, impact_level=2
    )
    assert record.impact_level == 2


def test_a_completion_date_needs_a_completed_assessment(challenge, alice):
    with pytest.raises(InvalidInput) as invalid:
        gs.governance_record_update(
            challenge=challenge,
            actor=alice,
            assessment_status="in_progress",
            assessment_completed_on=timezone.localdate(),
        )
    assert list(invalid.value.field_errors) == ["assessment_completed_on"]


def test_a_bad_choice_is_told_on_its_field(challenge, alice):
    with pytest.raises(InvalidInput) as invalid:
        gs.governance_record_update(challenge=challenge, actor=alice, storage_location="moon")
    assert list(invalid.value.field_errors) == ["storage_location"]


def test_unknown_fields_are_refused(challenge, alice):
    with pytest.raises(InvalidInput):
        gs.governance_record_update(challenge=challenge, actor=alice, challenge_id=3)


# Data assets


def test_an_asset_is_added_at_the_end_and_audited(challenge, alice):
    first = gs.data_asset_add(challenge=challenge, actor=alice, **ASSET)
    second = gs.data_asset_add(challenge=challenge, actor=alice, **{**ASSET, "name": "Second"})

    assert (first.order, second.order) == (1, 2)
    assert first.record == DataGovernanceRecord.objects.get(challenge=challenge)
    created = entries("create", DataAsset)
    assert created.count() == 2
    assert all(e.metadata["challenge_id"] == challenge.pk for e in created)
    assert created.first().metadata["changes"]["name"]["after"] == "Stop requests"


def test_open_data_needs_a_licence(challenge, alice):
    with pytest.raises(InvalidInput) as invalid:
        gs.data_asset_add(challenge=challenge, actor=alice, open_data=True, **ASSET)
    assert invalid.value.field_errors == {"licence": ["Open data needs a licence: choose one."]}
    assert not DataAsset.objects.exists()


def test_identifiable_information_is_never_open_data(challenge, alice):
    with pytest.raises(InvalidInput) as invalid:
        gs.data_asset_add(
            challenge=challenge,
            actor=alice,
            **{**ASSET, "sensitivity": "identifiable", "open_data": True, "licence": "cc_by_4"},
        )
    assert list(invalid.value.field_errors) == ["open_data"]


def test_a_confidential_asset_needs_a_reason(challenge, alice):
    with pytest.raises(InvalidInput) as invalid:
        gs.data_asset_add(challenge=challenge, actor=alice, confidential=True, **ASSET)
    assert list(invalid.value.field_errors) == ["confidential_reason"]


def test_a_missing_required_field_is_told_on_its_field(challenge, alice):
    with pytest.raises(InvalidInput) as invalid:
        gs.data_asset_add(challenge=challenge, actor=alice, **{**ASSET, "name": "  "})
    assert list(invalid.value.field_errors) == ["name"]


def test_an_asset_changes_and_the_change_is_audited(challenge, alice):
    asset = DataAssetFactory(record=complete_governance(challenge))

    gs.data_asset_change(asset=asset, actor=alice, open_data=True, licence="ogl_canada")

    asset.refresh_from_db()
    assert (asset.open_data, asset.licence) == (True, "ogl_canada")
    entry = entries("update", DataAsset).get()
    assert entry.metadata["changes"]["licence"] == {"before": "", "after": "ogl_canada"}
    assert entry.metadata["challenge_id"] == challenge.pk


def test_an_asset_is_removed_and_the_removal_is_audited(challenge, alice):
    asset = complete_governance(challenge).assets.get()

    gs.data_asset_remove(asset=asset, actor=alice)

    assert not DataAsset.objects.exists()
    entry = entries("delete", DataAsset).get()
    assert entry.metadata["changes"]["name"]["before"] == asset.name


def test_assets_move_up_and_down(challenge, alice):
    record = complete_governance(challenge)
    a, b, c = (DataAssetFactory(record=record, order=0) for _ in range(3))
    record.assets.exclude(pk__in=[a.pk, b.pk, c.pk]).delete()

    gs.data_asset_move(asset=c, actor=alice, direction="up")

    assert list(record.assets.values_list("pk", flat=True)) == [a.pk, c.pk, b.pk]
    assert entries("move", DataAsset).get().object_id == str(c.pk)
    with pytest.raises(InvalidInput):
        gs.data_asset_move(asset=a, actor=alice, direction="up")
    with pytest.raises(InvalidInput):
        gs.data_asset_move(asset=a, actor=alice, direction="sideways")


def test_a_removed_asset_cannot_be_changed(challenge, alice):
    from core.errors import TransitionRefused

    asset = complete_governance(challenge).assets.get()
    DataAsset.objects.filter(pk=asset.pk).delete()
    with pytest.raises(TransitionRefused):
        gs.data_asset_change(asset=asset, actor=alice, name="x")


def test_another_owner_cannot_change_an_asset(challenge, bob):
    asset = complete_governance(challenge).assets.get()
    with pytest.raises(PermissionDenied):
        gs.data_asset_change(asset=asset, actor=bob, name="x")
    with pytest.raises(PermissionDenied):
        gs.data_asset_remove(asset=asset, actor=bob)


# Sharings and decisions


def test_a_sharing_is_added_changed_and_removed_with_audit(challenge, alice):
    sharing = gs.data_sharing_add(challenge=challenge, actor=alice, **SHARING)
    gs.data_sharing_change(sharing=sharing, actor=alice, agreement_status="signed")
    sharing.refresh_from_db()
    assert sharing.agreement_status == "signed"
    gs.data_sharing_remove(sharing=sharing, actor=alice)
    assert not DataSharing.objects.exists()
    assert [e.transition for e in entries_of(DataSharing)] == ["create", "update", "delete"]


def entries_of(model):
    return AuditEntry.objects.filter(content_type__model=model._meta.model_name).order_by(
        "sequence"
    )


def test_a_confidential_sharing_needs_a_reason(challenge, alice):
    with pytest.raises(InvalidInput) as invalid:
        gs.data_sharing_add(challenge=challenge, actor=alice, confidential=True, **SHARING)
    assert list(invalid.value.field_errors) == ["confidential_reason"]


def test_a_decision_is_added_changed_and_removed_with_audit(challenge, alice):
    decision = gs.governance_decision_add(challenge=challenge, actor=alice, **decision_data())
    assert decision.recorded_by == alice
    gs.governance_decision_change(governance_decision=decision, actor=alice, reason="Council vote.")
    decision.refresh_from_db()
    assert decision.reason == "Council vote."
    gs.governance_decision_remove(governance_decision=decision, actor=alice)
    assert not GovernanceDecision.objects.exists()
    assert [e.transition for e in entries_of(GovernanceDecision)] == [
        "create",
        "update",
        "delete",
    ]


def test_a_confidential_decision_needs_a_reason(challenge, alice):
    with pytest.raises(InvalidInput) as invalid:
        gs.governance_decision_add(
            challenge=challenge, actor=alice, confidential=True, **decision_data()
        )
    assert list(invalid.value.field_errors) == ["confidential_reason"]


@pytest.mark.parametrize("state", ["in_review", "published"])
def test_sharings_and_decisions_are_frozen_from_review_on(challenge, alice, state):
    record = complete_governance(challenge)
    sharing = DataSharingFactory(record=record)
    decision = GovernanceDecisionFactory(record=record)
    set_status(challenge, state)
    with pytest.raises(PermissionDenied):
        gs.data_sharing_change(sharing=sharing, actor=alice, party="x")
    with pytest.raises(PermissionDenied):
        gs.governance_decision_remove(governance_decision=decision, actor=alice)
    with pytest.raises(PermissionDenied):
        gs.data_sharing_add(challenge=challenge, actor=alice, **SHARING)
