"""A final award with a data governance record, and its contract drafted by the owner.

The record (tests.factories) holds de-identified personal information stored in Canada with its
assessment in progress; `record` adds what each topic of the contract is drafted from.
"""

from datetime import date

import pytest

from procurement.services import contract as contract_services
from tests.factories import (
    DataAssetFactory,
    DataGovernanceRecordFactory,
    DataSharingFactory,
    DocumentFactory,
)
from tests.procurement.award_fixtures import *  # noqa: F403  (fixtures)


@pytest.fixture
def record(final_award):
    """Every topic: an owned asset, an open dataset, a confidential asset, a sharing and a
    confidential sharing, automated decisions at level III, residency, retention, exit."""
    record = DataGovernanceRecordFactory(
        challenge=final_award.challenge,
        storage_reason="The utility's data centre is in Fredericton.",
        automated_decisions=True,
        impact_level=3,
        impact_explanation="It decides who gets a free retrofit first.",
        source_code="escrow",
    )
    DataAssetFactory(record=record, name="Household energy use", order=1)
    DataAssetFactory(
        record=record,
        name="Retrofit locations",
        sensitivity="none",
        produced_data_owner="The municipality",
        open_data=True,
        licence="ogl_canada",
        open_format="GeoJSON",
        order=2,
    )
    DataAssetFactory(
        record=record,
        name="Income bands of applicants",
        sensitivity="identifiable",
        produced_data_owner="The municipality alone",
        confidential=True,
        confidential_reason="Names a social assistance programme's criteria.",
        order=3,
    )
    DataSharingFactory(record=record)
    DataSharingFactory(
        record=record,
        party="The police service",
        data="Addresses of vacant homes",
        purpose="Fire safety patrols.",
        agreement_status="none",
        confidential=True,
        confidential_reason="Security of vacant homes.",
    )
    return record


@pytest.fixture
def contract(record, final_award, alice):
    return contract_services.contract_create(award=final_award, actor=alice)


def attach_signed_copy(challenge, **fields):
    values = {"attached_to": "contract", "kind": "contractSigned", "title": "Signed contract"}
    return DocumentFactory(challenge=challenge, **{**values, **fields})


@pytest.fixture
def ready_to_sign(contract, alice):
    """Value, period, signing date and the signed copy recorded."""
    contract = contract_services.contract_update(
        contract=contract,
        actor=alice,
        starts_on=date(2026, 1, 5),
        ends_on=date(2027, 1, 4),
        signed_on=date(2026, 1, 2),
    )
    attach_signed_copy(contract.challenge)
    return contract
