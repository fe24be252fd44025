"""The pilot (DESIGN.md §3): planned → active → in_review → adopted | concluded | terminated,
with milestones, outcome indicators and measurements, and a lessons-learned summary to end."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.utils.timezone import get_default_timezone

from core.errors import InvalidInput, TransitionRefused
from core.models import AuditEntry
from opendata import ocds, packages
from procurement.models import Pilot
from procurement.services import award as award_services
from procurement.services import pilot as services
from tests.procurement.award_fixtures import *  # noqa: F403  (fixtures)


@pytest.fixture
def ready(pilot, alice):
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


@pytest.fixture
def active(ready, alice):
    return services.pilot_transition(pilot=ready, actor=alice, name="start")


@pytest.fixture
def in_review(active, alice):
    return services.pilot_transition(pilot=active, actor=alice, name="open_review")


def test_a_pilot_is_planned_from_a_final_award(pilot, final_award):
    pilot.refresh_from_db()
    assert pilot.status == Pilot.Status.PLANNED
    assert pilot.challenge_id == final_award.challenge_id
    assert AuditEntry.objects.filter(transition="plan", object_id=str(pilot.pk)).exists()


def test_it_refuses_a_pilot_before_the_award_is_final(decided, frank, alice):
    award = award_services.award_recommend(evaluation=decided.evaluation, actor=frank)

    with pytest.raises(TransitionRefused):
        services.pilot_create(award=award, actor=alice)

    assert not Pilot.objects.exists()


def test_it_refuses_a_pilot_to_staff_who_do_not_own_the_challenge(final_award, bob):
    with pytest.raises(PermissionDenied):
        services.pilot_create(award=final_award, actor=bob)

    assert not Pilot.objects.exists()


def test_it_refuses_to_start_without_milestones_and_indicators(pilot, alice):
    with pytest.raises(TransitionRefused) as refused:
        services.pilot_transition(pilot=pilot, actor=alice, name="start")

    assert len(refused.value.messages) == 2
    pilot.refresh_from_db()
    assert pilot.status == Pilot.Status.PLANNED


def test_it_starts_once_milestones_and_indicators_are_agreed(ready, alice):
    services.pilot_transition(pilot=ready, actor=alice, name="start")

    ready.refresh_from_db()
    assert ready.status == Pilot.Status.ACTIVE
    assert ready.started_at is not None
    assert ready.indicators.get().success_measure == ready.challenge.success_measures


def test_it_refuses_to_start_for_someone_else(ready, bob):
    with pytest.raises(PermissionDenied):
        services.pilot_transition(pilot=ready, actor=bob, name="start")

    ready.refresh_from_db()
    assert ready.status == Pilot.Status.PLANNED


def test_an_indicator_needs_a_target_other_than_its_baseline(pilot, alice):
    with pytest.raises(InvalidInput):
        services.indicator_add(
            pilot=pilot, actor=alice, name="Bills", unit="CAD", baseline="10", target="10"
        )

    assert not pilot.indicators.exists()


def test_measurements_are_recorded_over_time_with_their_source(active, alice):
    indicator = active.indicators.get()

    services.measurement_record(
        indicator=indicator,
        actor=alice,
        value="7.9",
        measured_on=date(2027, 3, 1),
        source_note="Utility bills, 20 homes",
    )
    services.measurement_record(
        indicator=indicator,
        actor=alice,
        value="6.8",
        measured_on=date(2027, 6, 1),
        source_note="Utility bills, 20 homes",
    )

    values = list(indicator.measurements.values_list("value", "measured_on", "source_note"))
    assert values == [
        (Decimal("7.9"), date(2027, 3, 1), "Utility bills, 20 homes"),
        (Decimal("6.8"), date(2027, 6, 1), "Utility bills, 20 homes"),
    ]


def test_it_refuses_a_measurement_before_the_pilot_starts_or_without_a_source(ready, alice):
    indicator = ready.indicators.get()
    with pytest.raises(TransitionRefused):
        services.measurement_record(
            indicator=indicator, actor=alice, value="7", measured_on=date.today(), source_note="x"
        )
    services.pilot_transition(pilot=ready, actor=alice, name="start")
    with pytest.raises(InvalidInput):
        services.measurement_record(
            indicator=indicator, actor=alice, value="7", measured_on=date.today(), source_note=""
        )

    assert not indicator.measurements.exists()


def test_milestones_are_done_or_late(active, alice):
    milestone = active.milestones.get()
    assert milestone.is_late is False
    with time_machine.travel(milestone.due_on + timedelta(days=2)):
        assert milestone.is_late is True
        assert active.ocds_milestones()[0]["status"] == "notMet"

    midday = datetime.combine(milestone.due_on, time(12), tzinfo=get_default_timezone())
    with time_machine.travel(midday):
        services.milestone_mark_done(milestone=milestone, actor=alice, done_on=milestone.due_on)

    milestone.refresh_from_db()
    assert milestone.done_on == milestone.due_on
    assert milestone.is_late is False
    assert active.ocds_milestones()[0]["status"] == "met"


def test_review_opens_only_from_an_active_pilot(ready, alice):
    with pytest.raises(TransitionRefused):
        services.pilot_transition(pilot=ready, actor=alice, name="open_review")
    services.pilot_transition(pilot=ready, actor=alice, name="start")

    services.pilot_transition(pilot=ready, actor=alice, name="open_review")

    ready.refresh_from_db()
    assert ready.status == Pilot.Status.IN_REVIEW


@pytest.mark.parametrize("name,status", [("adopt", "adopted"), ("conclude", "concluded")])
def test_a_reviewed_pilot_ends_with_its_lessons_learned(in_review, alice, name, status):
    services.pilot_end(
        pilot=in_review, actor=alice, name=name, lessons_learned="Tenants need advice visits."
    )

    in_review.refresh_from_db()
    assert in_review.status == status
    assert in_review.lessons_learned == "Tenants need advice visits."
    assert in_review.ended_at is not None


@pytest.mark.parametrize("name", ["adopt", "conclude", "terminate"])
def test_it_refuses_to_end_without_lessons_learned(in_review, alice, name):
    with pytest.raises(TransitionRefused) as refused:
        services.pilot_end(pilot=in_review, actor=alice, name=name, lessons_learned="  ")

    assert "lessons-learned" in str(refused.value)
    in_review.refresh_from_db()
    assert in_review.status == Pilot.Status.IN_REVIEW


@pytest.mark.parametrize("name", ["adopt", "conclude"])
def test_it_refuses_to_adopt_or_conclude_an_active_pilot_before_review(active, alice, name):
    with pytest.raises(TransitionRefused):
        services.pilot_end(pilot=active, actor=alice, name=name, lessons_learned="Early.")

    active.refresh_from_db()
    assert active.status == Pilot.Status.ACTIVE


def test_an_active_pilot_can_be_terminated_with_lessons_learned(active, alice):
    services.pilot_end(
        pilot=active, actor=alice, name="terminate", lessons_learned="The vendor went bankrupt."
    )

    active.refresh_from_db()
    assert active.status == Pilot.Status.TERMINATED


def test_it_refuses_to_terminate_a_planned_pilot(ready, alice):
    with pytest.raises(TransitionRefused):
        services.pilot_end(pilot=ready, actor=alice, name="terminate", lessons_learned="None.")

    ready.refresh_from_db()
    assert ready.status == Pilot.Status.PLANNED


def test_an_ended_pilot_no_longer_changes(in_review, alice):
    services.pilot_end(pilot=in_review, actor=alice, name="adopt", lessons_learned="It works.")

    with pytest.raises(TransitionRefused):
        services.milestone_add(pilot=in_review, actor=alice, title="More", due_on=date.today())
    with pytest.raises(TransitionRefused):
        services.pilot_end(pilot=in_review, actor=alice, name="conclude", lessons_learned="x")
    in_review.refresh_from_db()
    assert in_review.status == Pilot.Status.ADOPTED


def test_it_refuses_to_end_a_pilot_for_staff_who_do_not_own_it(in_review, bob):
    with pytest.raises(PermissionDenied):
        services.pilot_end(pilot=in_review, actor=bob, name="adopt", lessons_learned="x")

    in_review.refresh_from_db()
    assert in_review.status == Pilot.Status.IN_REVIEW


def test_the_open_data_shows_the_pilot_milestones_in_implementation(active):
    challenge = active.challenge
    package = packages.release_package(challenge)

    assert ocds.validation_errors(package) == []
    contract = package["releases"][-1]["contracts"][0]
    assert [m["title"] for m in contract["implementation"]["milestones"]] == ["Install in 20 homes"]
