"""The data governance record through the API: who reads what (the public view withholds
confidential rows), who writes, and the error shapes of the other endpoints."""

import pytest
from django.utils import timezone

from challenges.models import DataAsset, DataGovernanceRecord, DataSharing, GovernanceDecision
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
SECRET = "Police incident locations"


def url(challenge, tail=""):
    return f"/api/challenges/{challenge.reference}/data-governance/{tail}"


@pytest.fixture
def record(challenge):
    record = complete_governance(challenge)
    DataAssetFactory(
        record=record, name=SECRET, confidential=True, confidential_reason="Public safety."
    )
    DataSharingFactory(
        record=record,
        party="Secret agency",
        confidential=True,
        confidential_reason="Under negotiation.",
    )
    GovernanceDecisionFactory(record=record)
    return record


ROLES = ["anonymous", "rita", "dave", "frank", "bob", "alice", "carol"]
INTERNAL = {"bob", "alice", "carol"}


def user_of(request, who):
    return None if who == "anonymous" else request.getfixturevalue(who)


@pytest.mark.parametrize("who", ROLES)
def test_before_the_challenge_is_public_only_staff_and_approvers_read_it(
    request, api_as, record, challenge, who
):
    response = api_as(user_of(request, who)).get(url(challenge))

    assert response.status_code == (200 if who in INTERNAL else 404)


@pytest.mark.parametrize("who", ROLES)
def test_once_published_everyone_reads_it_and_only_staff_see_confidential_rows(
    request, api_as, record, challenge, who
):
    set_status(challenge, "published")

    response = api_as(user_of(request, who)).get(url(challenge))

    assert response.status_code == 200
    data = response.json()
    names = [a["name"] for a in data["assets"]]
    if who in INTERNAL:
        assert SECRET in names
        assert data["withheld"] == []
        assert data["problems"] == []
        assert isinstance(data["risks"], list)
    else:
        assert SECRET not in names
        assert SECRET not in response.content.decode()
        assert "Secret agency" not in response.content.decode()
        assert {"kind": "asset", "reason": "Public safety."} in data["withheld"]
        assert {"kind": "sharing", "reason": "Under negotiation."} in data["withheld"]
        assert data["problems"] is None and data["risks"] is None
    assert data["record"]["storage_location"] == "in_canada"
    assert len(data["decisions"]) == 1


def test_a_challenge_without_a_record_reads_as_empty_with_what_is_missing(api_as, alice, challenge):
    data = api_as(alice).get(url(challenge)).json()
    assert data["exists"] is False
    assert data["assets"] == []
    assert data["problems"][0].startswith("Fill in the data governance record")


def test_the_owner_patches_the_record_and_gets_it_back_with_problems(api_as, alice, challenge):
    response = api_as(alice).patch(
        url(challenge), {"storage_location": "mixed", "exit_data_return": True}, format="json"
    )

    assert response.status_code == 200, response.content
    data = response.json()
    assert data["exists"] is True
    assert data["record"]["storage_location"] == "mixed"
    assert "Some data is stored outside Canada: explain why it is stored there." in data["problems"]
    assert DataGovernanceRecord.objects.get().exit_data_return is True


def test_bad_input_is_400_with_field_errors(api_as, alice, challenge):
    response = api_as(alice).patch(url(challenge), {"impact_level": 3}, format="json")
    assert response.status_code == 400
    assert "impact_level" in response.json()

    response = api_as(alice).post(
        url(challenge, "assets/"), {**ASSET, "open_data": True}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["licence"] == ["Open data needs a licence: choose one."]

    response = api_as(alice).post(url(challenge, "assets/"), {"name": ""}, format="json")
    assert response.status_code == 400
    assert "description" in response.json()


@pytest.mark.parametrize("who", ["bob", "carol", "dave", "frank", "rita"])
def test_only_the_owner_writes(request, api_as, record, challenge, who):
    client = api_as(request.getfixturevalue(who))
    asset = record.assets.first()
    expected = 403 if who in INTERNAL else 404

    assert client.patch(url(challenge), {"exit_plan": "x"}, format="json").status_code == expected
    assert client.post(url(challenge, "assets/"), ASSET, format="json").status_code == expected
    assert client.delete(url(challenge, f"assets/{asset.pk}/")).status_code == expected
    assert DataAsset.objects.filter(pk=asset.pk).exists()


def test_anonymous_writes_are_refused(api_as, record, challenge):
    set_status(challenge, "published")
    response = api_as(None).patch(url(challenge), {"exit_plan": "x"}, format="json")
    assert response.status_code in (401, 403)


@pytest.mark.parametrize("state", ["in_review", "approved", "published"])
def test_the_record_is_frozen_from_review_on(api_as, alice, record, challenge, state):
    set_status(challenge, state)
    client = api_as(alice)
    response = client.patch(url(challenge), {"exit_plan": "x"}, format="json")
    assert response.status_code == 403
    assert "fixed with the statement" in response.json()["detail"]
    asset = record.assets.first()
    assert (
        client.patch(
            url(challenge, f"assets/{asset.pk}/"), {"name": "y"}, format="json"
        ).status_code
        == 403
    )


def test_the_owner_adds_changes_moves_and_removes_rows(api_as, alice, challenge):
    client = api_as(alice)
    first = client.post(url(challenge, "assets/"), ASSET, format="json")
    assert first.status_code == 201, first.content
    second = client.post(url(challenge, "assets/"), {**ASSET, "name": "B"}, format="json").json()
    moved = client.post(
        url(challenge, f"assets/{second['id']}/move/"), {"direction": "up"}, format="json"
    )
    assert moved.status_code == 200
    assert moved.json()["order"] == 1
    changed = client.patch(
        url(challenge, f"assets/{first.json()['id']}/"), {"sensitivity": "aggregate"}, format="json"
    )
    assert changed.json()["is_personal"] is True
    assert client.delete(url(challenge, f"assets/{second['id']}/")).status_code == 204

    sharing = client.post(
        url(challenge, "sharings/"),
        {"party": "Agency", "data": "Counts", "purpose": "Planning", "agreement_status": "none"},
        format="json",
    )
    assert sharing.status_code == 201
    sid = sharing.json()["id"]
    assert (
        client.patch(
            url(challenge, f"sharings/{sid}/"), {"agreement_status": "signed"}, format="json"
        ).json()["agreement_status"]
        == "signed"
    )
    assert client.delete(url(challenge, f"sharings/{sid}/")).status_code == 204

    decision = client.post(
        url(challenge, "decisions/"),
        {
            "topic": "exit",
            "decision": "Open formats only.",
            "reason": "Portability.",
            "decided_by": "Council",
            "decided_on": timezone.localdate().isoformat(),
        },
        format="json",
    )
    assert decision.status_code == 201, decision.content
    did = decision.json()["id"]
    changed = client.patch(
        url(challenge, f"decisions/{did}/"), {"decision": "Open formats."}, format="json"
    )
    assert changed.status_code == 200, changed.content
    assert changed.json()["decision"] == "Open formats."
    assert client.delete(url(challenge, f"decisions/{did}/")).status_code == 204

    assert DataAsset.objects.count() == 1
    assert not DataSharing.objects.exists() and not GovernanceDecision.objects.exists()
    assert AuditEntry.objects.filter(metadata__challenge_id=challenge.pk).count() == 12


def test_a_row_of_another_challenge_is_not_found(api_as, alice, challenge):
    from tests.factories import ChallengeFactory

    other = complete_governance(ChallengeFactory(owner=alice))
    asset = other.assets.get()
    response = api_as(alice).patch(
        url(challenge, f"assets/{asset.pk}/"), {"name": "x"}, format="json"
    )
    assert response.status_code == 404
