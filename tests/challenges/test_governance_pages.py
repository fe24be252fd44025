"""The data governance record's pages: the owner fills it before review; it is read-only once
fixed, with a sentence why; the approver reviews it with its risks; the public reads it without
its confidential rows; every role gets what the rules say."""

import pytest
from django.urls import reverse
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

SECRET = "Police incident locations"
WITHHELD = "One item is withheld because it is confidential: Public safety."


def page(challenge, name="governance", *args):
    return reverse(f"challenges:{name}", args=[challenge.reference, *args])


@pytest.fixture
def record(challenge):
    record = complete_governance(challenge)
    DataAssetFactory(
        record=record, name=SECRET, confidential=True, confidential_reason="Public safety."
    )
    DataSharingFactory(record=record)
    GovernanceDecisionFactory(record=record)
    return record


ROLES = ["anonymous", "rita", "dave", "frank", "bob", "alice", "carol"]
INTERNAL = {"bob", "alice", "carol"}


def as_(client, request, who):
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    return client


@pytest.mark.parametrize("who", ROLES)
def test_before_publication_only_staff_and_approvers_open_the_record(
    client, request, record, challenge, who
):
    response = as_(client, request, who).get(page(challenge))
    assert response.status_code == (200 if who in INTERNAL else 404)


@pytest.mark.parametrize("who", ROLES)
def test_once_published_everyone_reads_it_without_confidential_rows(
    client, request, record, challenge, who
):
    set_status(challenge, "published")

    for url in (page(challenge), challenge.get_absolute_url()):
        response = as_(client, request, who).get(url)
        assert response.status_code == 200
        body = response.content.decode()
        assert "Data governance" in body
        assert record.assets.exclude(name=SECRET).get().name in body
        if who in INTERNAL:
            assert SECRET in body
        else:
            assert SECRET not in body
            assert WITHHELD in body


@pytest.mark.parametrize("who", ["bob", "carol", "dave", "rita"])
def test_only_the_owner_gets_the_forms(client, request, record, challenge, who):
    client = as_(client, request, who)
    asset = record.assets.first()
    expected = 403 if who in INTERNAL else 404
    assert client.get(page(challenge, "governance_row_add", "assets")).status_code == expected
    assert (
        client.post(page(challenge, "governance_row_remove", "assets", asset.pk)).status_code
        == expected
    )
    assert DataAsset.objects.filter(pk=asset.pk).exists()
    if who in INTERNAL:
        response = client.get(page(challenge))
        assert b"Save the record" not in response.content
        assert client.post(page(challenge), {"exit_plan": "x"}).status_code == 403


def test_the_owner_fills_the_record_on_its_page(client, alice, challenge):
    client.force_login(alice)
    response = client.get(page(challenge))
    assert "No datasets yet" in response.content.decode()
    assert "Fill in the data governance record" in response.content.decode()

    response = client.post(
        page(challenge),
        {
            "legal_authority": "Local Governance Act, s. 10.",
            "retention_period": "Two years.",
            "storage_location": "outside_canada",
            "storage_reason": "",
            "assessment_status": "in_progress",
            "accessibility_standard": "wcag21aa",
            "source_code": "none",
            "exit_data_return": "on",
        },
        follow=True,
    )

    assert "Data governance record saved." in response.content.decode()
    record = DataGovernanceRecord.objects.get(challenge=challenge)
    assert record.storage_location == "outside_canada"
    assert "Some data is stored outside Canada: explain why" in response.content.decode()


def test_bad_input_is_shown_on_its_field(client, alice, challenge):
    client.force_login(alice)
    response = client.post(page(challenge), {"source_code": "none", "impact_level": "3"})
    assert response.status_code == 200
    assert response.context["form"].errors["impact_level"]
    assert not DataGovernanceRecord.objects.exists()

    response = client.post(
        page(challenge, "governance_row_add", "assets"),
        {
            "name": "Counts",
            "description": "Counts.",
            "sensitivity": "none",
            "provided_by": "City",
            "produced_data_owner": "City",
            "open_data": "on",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["licence"] == ["Open data needs a licence: choose one."]
    assert not DataAsset.objects.exists()


def test_the_owner_adds_edits_moves_and_removes_rows(client, alice, challenge):
    client.force_login(alice)
    asset_data = {
        "name": "Counts",
        "description": "Counts.",
        "sensitivity": "none",
        "provided_by": "City",
        "produced_data_owner": "City",
    }
    client.post(page(challenge, "governance_row_add", "assets"), asset_data)
    client.post(page(challenge, "governance_row_add", "assets"), {**asset_data, "name": "Second"})
    first, second = DataAsset.objects.order_by("order")
    client.post(page(challenge, "governance_asset_move", second.pk), {"direction": "up"})
    assert list(DataAsset.objects.values_list("name", flat=True)) == ["Second", "Counts"]
    client.post(
        page(challenge, "governance_row_edit", "assets", first.pk),
        {**asset_data, "name": "Renamed"},
    )
    first.refresh_from_db()
    assert first.name == "Renamed"
    assert (
        client.get(page(challenge, "governance_row_remove", "assets", first.pk)).status_code == 200
    )
    client.post(page(challenge, "governance_row_remove", "assets", first.pk))
    assert list(DataAsset.objects.values_list("name", flat=True)) == ["Second"]

    client.post(
        page(challenge, "governance_row_add", "sharings"),
        {"party": "Agency", "data": "Counts", "purpose": "Plans", "agreement_status": "none"},
    )
    sharing = DataSharing.objects.get()
    client.post(page(challenge, "governance_row_remove", "sharings", sharing.pk))
    client.post(
        page(challenge, "governance_row_add", "decisions"),
        {
            "topic": "exit",
            "decision": "Open formats.",
            "reason": "Portability.",
            "decided_by": "Council",
            "decided_on": timezone.localdate().isoformat(),
        },
    )
    decision = GovernanceDecision.objects.get()
    assert decision.recorded_by == alice
    # The row's own "decision" field and the service's argument never collide.
    client.post(
        page(challenge, "governance_row_edit", "decisions", decision.pk),
        {
            "topic": "exit",
            "decision": "Open formats only.",
            "reason": "Portability.",
            "decided_by": "Council",
            "decided_on": timezone.localdate().isoformat(),
        },
    )
    decision.refresh_from_db()
    assert decision.decision == "Open formats only."
    assert not DataSharing.objects.exists()

    history = client.get(page(challenge, "governance_history"))
    assert history.status_code == 200
    assert (
        len(history.context["entries"])
        == AuditEntry.objects.filter(metadata__challenge_id=challenge.pk).count()
    )
    assert len(history.context["entries"]) == 10


@pytest.mark.parametrize("state", ["in_review", "approved", "published"])
def test_the_record_is_read_only_once_fixed_with_a_sentence_why(
    client, alice, record, challenge, state
):
    set_status(challenge, state)
    client.force_login(alice)
    response = client.get(page(challenge))
    body = response.content.decode()
    assert "The record was fixed with the statement when the challenge went to review" in body
    assert "Save the record" not in body
    assert client.post(page(challenge), {"exit_plan": "x"}).status_code == 403
    assert client.get(page(challenge, "governance_row_add", "assets")).status_code == 403


def test_the_approver_reviews_the_record_with_its_risks_beside_the_statement(
    client, carol, record, challenge
):
    record.storage_location = "outside_canada"
    record.storage_reason = "The provider's only data centre."
    record.save()
    set_status(challenge, "in_review")
    client.force_login(carol)

    body = client.get(challenge.get_absolute_url()).content.decode()

    assert "Data governance record under review" in body
    assert "High-risk points for the approver" in body
    assert "Personal information is stored outside Canada." in body
    assert SECRET in body


def test_staff_see_the_completeness_on_the_challenge_page(client, alice, challenge):
    client.force_login(alice)
    body = client.get(challenge.get_absolute_url()).content.decode()
    assert page(challenge) in body
    assert "1 point to complete before review." in body
    complete_governance(challenge)
    body = client.get(challenge.get_absolute_url()).content.decode()
    assert "Data governance record</a>:\n  \n  complete." in body or "complete." in body


def test_the_history_is_for_staff_and_approvers(client, dave, record, challenge):
    set_status(challenge, "published")
    client.force_login(dave)
    assert client.get(page(challenge, "governance_history")).status_code == 403


def test_the_record_page_reads_in_constant_queries(
    client, alice, record, challenge, django_assert_max_num_queries
):
    client.force_login(alice)
    client.get(page(challenge))  # warm caches (content types, sessions)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(page(challenge))
    for _ in range(5):
        DataAssetFactory(record=record)
        DataSharingFactory(record=record)
        GovernanceDecisionFactory(record=record)
    with CaptureQueriesContext(connection) as many:
        client.get(page(challenge))
    assert len(many) == len(few)
