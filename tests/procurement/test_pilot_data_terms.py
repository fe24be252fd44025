"""The pilot's review asks whether the contract's data terms were kept: ending a pilot whose
challenge has a data governance record needs the answer (and a note when they were not kept)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from core.errors import InvalidInput, TransitionRefused
from core.models import AuditEntry
from procurement.models import Pilot
from procurement.services import pilot as services
from tests.factories import DataGovernanceRecordFactory
from tests.procurement.award_fixtures import *  # noqa: F403  (fixtures)

LESSONS = "Residents used it; the data stayed in Canada."


@pytest.fixture
def in_review(pilot, alice):
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
    services.pilot_transition(pilot=pilot, actor=alice, name="start")
    # The record comes after the start: the privacy gate is another test's matter.
    DataGovernanceRecordFactory(challenge=pilot.challenge, assessment_status="")
    return services.pilot_transition(pilot=pilot, actor=alice, name="open_review")


@pytest.mark.parametrize("ending", ["adopt", "conclude", "terminate"])
def test_ending_needs_the_answer_when_the_challenge_has_a_record(in_review, alice, ending):
    with pytest.raises(TransitionRefused) as refused:
        services.pilot_end(pilot=in_review, actor=alice, name=ending, lessons_learned=LESSONS)

    assert refused.value.messages == [
        "Say whether the data terms of the contract were kept before ending the pilot."
    ]
    in_review.refresh_from_db()
    assert in_review.status == Pilot.Status.IN_REVIEW
    assert in_review.lessons_learned == ""


def test_the_pilot_ends_with_the_answer(in_review, alice):
    services.pilot_end(
        pilot=in_review,
        actor=alice,
        name="adopt",
        lessons_learned=LESSONS,
        data_terms_kept="yes",
        data_terms_note="Data returned in CSV as agreed.",
    )

    in_review.refresh_from_db()
    assert in_review.status == Pilot.Status.ADOPTED
    assert in_review.data_terms_kept == "yes"
    assert in_review.data_terms_note == "Data returned in CSV as agreed."
    entry = AuditEntry.objects.get(
        content_type__model="pilot", object_id=str(in_review.pk), transition="update"
    )
    assert entry.metadata["changes"]["data_terms_kept"] == {"before": "", "after": "yes"}


@pytest.mark.parametrize("answer", ["partly", "no"])
def test_terms_not_kept_need_a_note(in_review, alice, answer):
    with pytest.raises(InvalidInput) as refused:
        services.pilot_end(
            pilot=in_review,
            actor=alice,
            name="conclude",
            lessons_learned=LESSONS,
            data_terms_kept=answer,
        )

    assert "data_terms_note" in refused.value.field_errors
    in_review.refresh_from_db()
    assert in_review.status == Pilot.Status.IN_REVIEW


def test_an_unknown_answer_is_bad_input(in_review, alice):
    with pytest.raises(InvalidInput):
        services.pilot_end(
            pilot=in_review,
            actor=alice,
            name="conclude",
            lessons_learned=LESSONS,
            data_terms_kept="maybe",
        )


def test_without_a_record_the_question_is_not_asked(pilot, alice):
    Pilot.objects.filter(pk=pilot.pk).update(lessons_learned=LESSONS)
    pilot.refresh_from_db()

    assert pilot.governance_record() is None
    assert pilot.end_problems() == []
