"""A pilot's milestones, indicators and measurements are recorded in the audit trail under the
challenge, with who and what; a refused write leaves nothing."""

from datetime import date, timedelta

import pytest

from core.audit import audit_history
from core.errors import TransitionRefused
from core.models import AuditEntry
from procurement.services import pilot as services
from tests.procurement.award_fixtures import *  # noqa: F403  (fixtures)

pytestmark = pytest.mark.django_db


def changes(entry):
    return {name: (c["before"], c["after"]) for name, c in entry.metadata["changes"].items()}


def add_indicator(pilot, actor):
    return services.indicator_add(
        pilot=pilot, actor=actor, name="Bills", unit="CAD", baseline="120", target="90"
    )


def test_milestones_are_recorded_when_added_and_done(pilot, alice):
    due = date.today() + timedelta(days=30)
    milestone = services.milestone_add(
        pilot=pilot, actor=alice, title="Install in 20 homes", due_on=due
    )
    add_indicator(pilot, alice)
    services.pilot_transition(pilot=pilot, actor=alice, name="start")
    services.milestone_mark_done(milestone=milestone, actor=alice, done_on=date.today())

    added, done = AuditEntry.objects.filter(content_type__model="milestone").order_by("sequence")
    assert (added.actor, added.transition) == (alice, "create")
    assert changes(added) == {
        "title": (None, "Install in 20 homes"),
        "due_on": (None, due.isoformat()),
    }
    assert (done.transition, changes(done)) == (
        "done",
        {"done_on": (None, date.today().isoformat())},
    )
    history = audit_history(obj=pilot.challenge, include_related_to_challenge=True)
    assert {added, done} <= set(history)


def test_indicators_and_measurements_are_recorded(pilot, alice):
    indicator = add_indicator(pilot, alice)
    services.milestone_add(
        pilot=pilot, actor=alice, title="Install", due_on=date.today() + timedelta(days=30)
    )
    services.pilot_transition(pilot=pilot, actor=alice, name="start")
    measurement = services.measurement_record(
        indicator=indicator,
        actor=alice,
        value="101",
        measured_on=date(2027, 3, 1),
        source_note="Utility bills",
    )

    added = AuditEntry.objects.get(content_type__model="outcomeindicator")
    measured = AuditEntry.objects.get(content_type__model="measurement")
    assert changes(added)["target"] == (None, "90")
    assert (measured.actor, measured.object_id) == (alice, str(measurement.pk))
    assert changes(measured)["value"] == (None, "101")
    assert changes(measured)["measured_on"] == (None, "2027-03-01")
    assert measured.metadata["challenge_id"] == pilot.challenge_id


def test_a_refused_measurement_records_nothing(pilot, alice):
    indicator = add_indicator(pilot, alice)
    before = AuditEntry.objects.count()

    with pytest.raises(TransitionRefused):  # the pilot has not started
        services.measurement_record(
            indicator=indicator, actor=alice, value="7", measured_on=date.today(), source_note="x"
        )

    assert AuditEntry.objects.count() == before
