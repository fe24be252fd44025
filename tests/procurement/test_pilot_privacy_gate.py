"""A pilot that touches personal information cannot start until the privacy impact assessment
is completed: its status, its date, and the assessment attached to the data governance record."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from core.errors import TransitionRefused
from procurement.models import Pilot
from procurement.services import pilot as services
from tests.factories import DataAssetFactory, DataGovernanceRecordFactory, DocumentFactory
from tests.procurement.award_fixtures import *  # noqa: F403  (fixtures)

GATE = "This pilot uses personal information"


@pytest.fixture
def ready(pilot, alice):
    """Milestone and indicator agreed: only the privacy gate can hold the pilot back."""
    services.milestone_add(
        pilot=pilot, actor=alice, title="Install in 20 homes", due_on=date.today() + timedelta(30)
    )
    services.indicator_add(
        pilot=pilot,
        actor=alice,
        name="Average energy burden",
        unit="% of income",
        baseline=Decimal("8.5"),
        target=Decimal("6"),
    )
    return pilot


def personal_record(challenge, **fields):
    record = DataGovernanceRecordFactory(challenge=challenge, **fields)
    DataAssetFactory(record=record, sensitivity="deidentified")
    return record


def attach_assessment(challenge, **fields):
    values = {
        "attached_to": "governance",
        "kind": "x_privacyImpactAssessment",
        "title": "Privacy impact assessment",
        "confidential": True,
        "confidential_reason": "Describes security controls.",
    }
    return DocumentFactory(challenge=challenge, **{**values, **fields})


def completed(challenge):
    record = personal_record(
        challenge, assessment_status="completed", assessment_completed_on=date(2026, 3, 2)
    )
    attach_assessment(challenge)
    return record


def start(pilot, alice):
    return services.pilot_transition(pilot=pilot, actor=alice, name="start")


def refused_sentences(pilot, alice) -> list[str]:
    with pytest.raises(TransitionRefused) as refused:
        start(pilot, alice)
    pilot.refresh_from_db()
    assert pilot.status == Pilot.Status.PLANNED
    return refused.value.messages


def test_it_starts_once_the_assessment_is_completed_dated_and_attached(ready, alice):
    completed(ready.challenge)

    start(ready, alice)

    ready.refresh_from_db()
    assert ready.status == Pilot.Status.ACTIVE


def test_it_refuses_to_start_while_the_assessment_is_in_progress(ready, alice):
    personal_record(ready.challenge)  # the factory's assessment is in progress
    attach_assessment(ready.challenge)

    (sentence,) = refused_sentences(ready, alice)
    assert sentence.startswith(GATE)
    assert "privacy impact assessment is completed" in sentence


@pytest.mark.parametrize("status", ["not_started", ""])
def test_it_refuses_to_start_before_the_assessment_began(ready, alice, status):
    personal_record(ready.challenge, assessment_status=status)

    (sentence,) = refused_sentences(ready, alice)
    assert sentence.startswith(GATE)


def test_it_refuses_a_completed_assessment_without_its_date(ready, alice):
    personal_record(ready.challenge, assessment_status="completed")
    attach_assessment(ready.challenge)

    assert refused_sentences(ready, alice)[0].startswith(GATE)


def test_it_refuses_a_completed_assessment_without_the_document(ready, alice):
    personal_record(
        ready.challenge, assessment_status="completed", assessment_completed_on=date(2026, 3, 2)
    )
    # A document of another kind, or attached elsewhere, is not the assessment.
    attach_assessment(ready.challenge, kind="x_dataSharingAgreement")
    attach_assessment(ready.challenge, attached_to="challenge")

    assert refused_sentences(ready, alice)[0].startswith(GATE)


@pytest.mark.parametrize("sensitivity", ["aggregate", "deidentified", "identifiable"])
def test_every_kind_of_personal_information_is_held_back(ready, alice, sensitivity):
    record = DataGovernanceRecordFactory(challenge=ready.challenge)
    DataAssetFactory(record=record, sensitivity="none")
    DataAssetFactory(record=record, sensitivity=sensitivity)

    assert refused_sentences(ready, alice)[0].startswith(GATE)


def test_a_pilot_without_personal_information_starts_without_an_assessment(ready, alice):
    record = DataGovernanceRecordFactory(challenge=ready.challenge, assessment_status="")
    DataAssetFactory(record=record, sensitivity="none")

    start(ready, alice)

    ready.refresh_from_db()
    assert ready.status == Pilot.Status.ACTIVE


def test_a_challenge_without_a_record_is_not_held_back(ready, alice):
    start(ready, alice)

    ready.refresh_from_db()
    assert ready.status == Pilot.Status.ACTIVE


def test_the_gate_is_listed_with_the_other_reasons(pilot, alice):
    personal_record(pilot.challenge)

    sentences = refused_sentences(pilot, alice)

    assert len(sentences) == 3
    assert sentences[-1].startswith(GATE)
