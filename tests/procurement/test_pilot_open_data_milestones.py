"""Each dataset the data governance record promises as open data becomes a milestone of the
pilot when it is planned, due by the pilot's end (or 90 days after it starts); the owner may move
the date."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied

from core.errors import TransitionRefused
from core.models import AuditEntry
from procurement.models import Milestone
from procurement.services import pilot as services
from tests.factories import DataAssetFactory, DataGovernanceRecordFactory
from tests.procurement.award_fixtures import *  # noqa: F403  (fixtures)


@pytest.fixture
def open_record(final_award):
    record = DataGovernanceRecordFactory(challenge=final_award.challenge)
    DataAssetFactory(record=record, name="Household energy use")  # not open
    stops = DataAssetFactory(
        record=record,
        name="Retrofit locations",
        sensitivity="none",
        open_data=True,
        licence="ogl_canada",
        open_format="GeoJSON",
        order=1,
    )
    savings = DataAssetFactory(
        record=record,
        name="Savings per neighbourhood",
        sensitivity="aggregate",
        open_data=True,
        licence="cc_by_4",
        order=2,
    )
    DataAssetFactory(
        record=record,
        name="Secret list",
        sensitivity="none",
        open_data=True,
        licence="municipal",
        confidential=True,
        confidential_reason="Not yet decided by council.",
        order=3,
    )
    return stops, savings


def test_each_open_dataset_becomes_a_milestone(open_record, final_award, alice):
    stops, savings = open_record

    pilot = services.pilot_create(award=final_award, actor=alice, ends_on=date(2027, 6, 30))

    milestones = list(pilot.milestones.order_by("pk"))
    assert [(m.title, m.open_dataset, m.due_on) for m in milestones] == [
        (
            "Publish Retrofit locations as open data (Open Government Licence – Canada, GeoJSON)",
            stops,
            date(2027, 6, 30),
        ),
        (
            "Publish Savings per neighbourhood as open data (Creative Commons Attribution 4.0, "
            "an open format)",
            savings,
            date(2027, 6, 30),
        ),
    ]
    assert (
        AuditEntry.objects.filter(content_type__model="milestone", transition="create").count() == 2
    )


def test_without_an_end_date_they_are_due_90_days_after_the_start(open_record, final_award, alice):
    pilot = services.pilot_create(award=final_award, actor=alice, starts_on=date(2027, 1, 10))

    assert {m.due_on for m in pilot.milestones.all()} == {date(2027, 1, 10) + timedelta(90)}


def test_without_dates_they_are_due_90_days_from_today(open_record, final_award, alice):
    pilot = services.pilot_create(award=final_award, actor=alice)

    assert {m.due_on for m in pilot.milestones.all()} == {date.today() + timedelta(90)}


def test_no_record_no_open_data_milestone(final_award, alice):
    pilot = services.pilot_create(award=final_award, actor=alice)

    assert not pilot.milestones.exists()


def test_the_owner_moves_the_due_date(open_record, final_award, alice):
    pilot = services.pilot_create(award=final_award, actor=alice)
    milestone = pilot.milestones.first()

    services.milestone_reschedule(milestone=milestone, actor=alice, due_on=date(2027, 9, 1))

    milestone.refresh_from_db()
    assert milestone.due_on == date(2027, 9, 1)
    assert milestone.open_dataset is not None
    entry = AuditEntry.objects.get(content_type__model="milestone", transition="update")
    assert entry.metadata["changes"]["due_on"]["after"] == "2027-09-01"


def test_others_cannot_move_the_due_date(open_record, final_award, alice, bob):
    pilot = services.pilot_create(award=final_award, actor=alice)
    milestone = pilot.milestones.first()

    with pytest.raises(PermissionDenied):
        services.milestone_reschedule(milestone=milestone, actor=bob, due_on=date(2027, 9, 1))


def test_a_done_milestone_keeps_its_date(open_record, final_award, alice):
    pilot = services.pilot_create(award=final_award, actor=alice)
    milestone = pilot.milestones.first()
    Milestone.objects.filter(pk=milestone.pk).update(done_on=date.today())

    with pytest.raises(TransitionRefused):
        services.milestone_reschedule(milestone=milestone, actor=alice, due_on=date(2027, 9, 1))
