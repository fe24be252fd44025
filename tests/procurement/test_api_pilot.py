"""The pilot through the API (DESIGN.md §3 Pilot, §6): planned from a final award, milestones,
indicators and measurements by the owner, the steps to its end with lessons learned."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from procurement.models import Measurement, Milestone, OutcomeIndicator, Pilot
from procurement.services import pilot as services
from tests.procurement.award_fixtures import *  # noqa: F403  (fixtures)


@pytest.fixture
def active(pilot, alice):
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
    return services.pilot_transition(pilot=pilot, actor=alice, name="start")


def url(pilot_or_award, step=""):
    base = f"/api/pilots/{pilot_or_award.challenge.reference}/"
    return f"{base}{step}/" if step else base


def test_the_owner_plans_a_pilot_from_a_final_award(final_award, alice, api_as):
    response = api_as(alice).post(
        "/api/pilots/", {"challenge": final_award.challenge.reference}, format="json"
    )

    assert response.status_code == 201, response.json()
    assert response.json()["status"] == "planned"
    assert Pilot.objects.get().award_id == final_award.pk


def test_it_refuses_a_pilot_from_other_staff(final_award, bob, api_as):
    response = api_as(bob).post(
        "/api/pilots/", {"challenge": final_award.challenge.reference}, format="json"
    )

    assert response.status_code == 403
    assert not Pilot.objects.exists()


def test_the_owner_adds_milestones_and_indicators_then_starts(pilot, alice, api_as):
    client = api_as(alice)
    early = client.post(url(pilot, "start"), {}, format="json")
    assert early.status_code == 409
    pilot.refresh_from_db()
    assert pilot.status == Pilot.Status.PLANNED

    milestone = client.post(
        url(pilot, "milestones"), {"title": "Install", "due_on": "2030-01-15"}, format="json"
    )
    indicator = client.post(
        url(pilot, "indicators"),
        {"name": "Energy burden", "unit": "%", "baseline": "8.5", "target": "6"},
        format="json",
    )
    started = client.post(url(pilot, "start"), {}, format="json")

    assert milestone.status_code == 201, milestone.json()
    assert indicator.status_code == 201, indicator.json()
    assert started.status_code == 200, started.json()
    assert started.json()["status"] == "active"
    assert Milestone.objects.get(pilot=pilot).title == "Install"
    assert OutcomeIndicator.objects.get(pilot=pilot).target == Decimal("6")
    pilot.refresh_from_db()
    assert pilot.status == Pilot.Status.ACTIVE


def test_staff_record_measurements_of_the_pilots_own_indicators(active, alice, api_as):
    indicator = OutcomeIndicator.objects.get(pilot=active)
    client = api_as(alice)

    response = client.post(
        url(active, "measurements"),
        {
            "indicator": indicator.pk,
            "value": "7.9",
            "measured_on": "2030-02-01",
            "source_note": "Utility bills",
        },
        format="json",
    )
    unknown = client.post(
        url(active, "measurements"),
        {
            "indicator": indicator.pk + 1000,
            "value": "7",
            "measured_on": "2030-02-01",
            "source_note": "x",
        },
        format="json",
    )

    assert response.status_code == 201, response.json()
    assert response.json()["indicators"][0]["measurements"][0]["source_note"] == "Utility bills"
    assert unknown.status_code == 400
    measurement = Measurement.objects.get()
    assert measurement.value == Decimal("7.9")
    assert measurement.recorded_by == alice


def test_it_refuses_measurements_from_an_approver(active, carol, api_as):
    indicator = OutcomeIndicator.objects.get(pilot=active)

    response = api_as(carol).post(
        url(active, "measurements"),
        {"indicator": indicator.pk, "value": "7", "measured_on": "2030-02-01", "source_note": "x"},
        format="json",
    )

    assert response.status_code == 403
    assert not Measurement.objects.exists()


def test_ending_needs_lessons_learned(active, alice, api_as):
    client = api_as(alice)
    assert client.post(url(active, "open_review"), {}, format="json").status_code == 200

    missing = client.post(url(active, "adopt"), {}, format="json")
    adopted = client.post(
        url(active, "adopt"), {"lessons_learned": "Bills fell by a fifth."}, format="json"
    )

    assert missing.status_code == 400
    assert adopted.status_code == 200, adopted.json()
    active.refresh_from_db()
    assert active.status == Pilot.Status.ADOPTED
    assert active.lessons_learned == "Bills fell by a fifth."


@pytest.mark.parametrize(
    "persona", ["alice", "bob", "carol", "dave", "erin", "frank", "grace", "rita", "root", None]
)
def test_the_pilot_is_public_like_its_challenge(request, active, api_as, persona):
    response = api_as(request.getfixturevalue(persona) if persona else None).get(url(active))

    assert response.status_code == 200
    assert response.json()["challenge"] == active.challenge.reference
    # Only the owner is offered steps.
    expected = ["open_review"] if persona == "alice" else []
    assert response.json()["allowed_transitions"] == expected


@pytest.mark.parametrize("persona", ["bob", "carol", "dave", "frank", "rita", "root", None])
def test_only_the_owner_writes_to_the_pilot(request, pilot, api_as, persona):
    client = api_as(request.getfixturevalue(persona) if persona else None)

    response = client.post(
        url(pilot, "milestones"), {"title": "Sneaky", "due_on": "2030-01-01"}, format="json"
    )

    assert response.status_code == 403
    assert not Milestone.objects.filter(title="Sneaky").exists()


def done_url(milestone):
    return url(milestone.pilot, f"milestones/{milestone.pk}/done")


def test_the_owner_marks_a_milestone_done_on_the_day_it_was_met(active, alice, api_as):
    milestone = Milestone.objects.get(pilot=active)
    client = api_as(alice)

    response = client.post(done_url(milestone), {"done_on": str(date.today())}, format="json")
    again = client.post(done_url(milestone), {"done_on": str(date.today())}, format="json")

    assert response.status_code == 200, response.json()
    assert response.json()["milestones"][0]["done_on"] == str(date.today())
    assert again.status_code == 409
    milestone.refresh_from_db()
    assert milestone.done_on == date.today()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "done_on"),
        ({"done_on": "yesterday"}, "done_on"),
        ({"done_on": "2999-01-01"}, "done_on"),
    ],
)
def test_a_milestone_done_date_must_be_a_past_or_present_day(active, alice, api_as, body, field):
    milestone = Milestone.objects.get(pilot=active)

    response = api_as(alice).post(done_url(milestone), body, format="json")

    assert response.status_code == 400
    assert field in response.json()
    milestone.refresh_from_db()
    assert milestone.done_on is None


@pytest.mark.parametrize("persona", ["bob", "carol", "dave", "frank", "rita", "root", None])
def test_only_the_owner_marks_a_milestone_done(request, active, api_as, persona):
    milestone = Milestone.objects.get(pilot=active)
    client = api_as(request.getfixturevalue(persona) if persona else None)

    response = client.post(done_url(milestone), {"done_on": str(date.today())}, format="json")

    assert response.status_code == 403
    milestone.refresh_from_db()
    assert milestone.done_on is None


def test_a_milestone_of_another_pilot_is_not_found(active, alice, api_as):
    milestone = Milestone.objects.get(pilot=active)

    response = api_as(alice).post(
        url(active, f"milestones/{milestone.pk + 1000}/done"), {"done_on": "2026-01-01"}
    )

    assert response.status_code == 404
