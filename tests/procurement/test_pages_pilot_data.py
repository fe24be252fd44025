"""The pilot page and the data governance record: why a pilot with personal information cannot
start yet, the open-data deliverables among the milestones (with a due date the owner moves), and
the review's question whether the data terms were kept, shown publicly once the pilot ended."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from procurement.models import Pilot
from procurement.services import pilot as services
from tests.factories import DataAssetFactory, DataGovernanceRecordFactory
from tests.procurement.award_fixtures import *  # noqa: F403  (fixtures)


@pytest.fixture
def record(final_award):
    record = DataGovernanceRecordFactory(challenge=final_award.challenge)
    DataAssetFactory(record=record, name="Household energy use")  # personal, assessment pending
    DataAssetFactory(
        record=record,
        name="Retrofit locations",
        sensitivity="none",
        open_data=True,
        licence="ogl_canada",
        open_format="GeoJSON",
    )
    return record


@pytest.fixture
def ready(record, final_award, alice):
    pilot = services.pilot_create(award=final_award, actor=alice)
    services.indicator_add(
        pilot=pilot,
        actor=alice,
        name="Average energy burden",
        unit="% of income",
        baseline=Decimal("8.5"),
        target=Decimal("6"),
    )
    return pilot


def url(pilot, view="pilot", **kwargs):
    return reverse(f"procurement:{view}", kwargs={"reference": pilot.challenge.reference, **kwargs})


def test_the_owner_reads_why_the_pilot_cannot_start(client, ready, alice):
    client.force_login(alice)
    text = client.get(url(ready)).content.decode()

    assert "This pilot uses personal information" in text

    response = client.post(url(ready, "pilot_step", name="start"), follow=True)
    assert "This pilot uses personal information" in response.content.decode()
    ready.refresh_from_db()
    assert ready.status == Pilot.Status.PLANNED


def test_open_data_deliverables_are_marked_and_their_date_moves(client, ready, alice):
    client.force_login(alice)
    milestone = ready.milestones.get()
    text = client.get(url(ready)).content.decode()
    assert "Publish Retrofit locations as open data" in text
    assert "Open-data deliverable" in text

    new_date = date.today() + timedelta(days=200)
    response = client.post(
        url(ready, "milestone_reschedule", milestone_id=milestone.pk),
        {"due_on": new_date.isoformat()},
    )

    assert response.status_code == 302
    milestone.refresh_from_db()
    assert milestone.due_on == new_date


@pytest.mark.parametrize("persona", ["bob", "carol", "dave", "rita"])
def test_nobody_else_moves_a_due_date(client, request, ready, persona):
    client.force_login(request.getfixturevalue(persona))
    milestone = ready.milestones.get()

    response = client.post(
        url(ready, "milestone_reschedule", milestone_id=milestone.pk), {"due_on": "2030-01-01"}
    )

    assert response.status_code == 404
    milestone.refresh_from_db()
    assert milestone.due_on != date(2030, 1, 1)


@pytest.fixture
def in_review(ready, alice):
    record = ready.challenge.data_governance
    record.assets.filter(sensitivity__in=["deidentified"]).update(sensitivity="none")
    services.pilot_transition(pilot=ready, actor=alice, name="start")
    return services.pilot_transition(pilot=ready, actor=alice, name="open_review")


def test_the_review_asks_about_the_data_terms_and_the_outcomes_show_the_answer(
    client, in_review, alice
):
    client.force_login(alice)
    assert 'name="data_terms_kept"' in client.get(url(in_review)).content.decode()

    refused = client.post(
        url(in_review, "pilot_step", name="adopt"),
        {"lessons_learned": "It worked.", "confirmed": "yes"},
        follow=True,
    )
    assert "Say whether the data terms of the contract were kept" in refused.content.decode()
    in_review.refresh_from_db()
    assert in_review.status == Pilot.Status.IN_REVIEW

    client.post(
        url(in_review, "pilot_step", name="adopt"),
        {
            "lessons_learned": "It worked.",
            "data_terms_kept": "partly",
            "data_terms_note": "The open dataset was published two months late.",
            "confirmed": "yes",
        },
    )
    in_review.refresh_from_db()
    assert in_review.status == Pilot.Status.ADOPTED

    client.logout()
    text = client.get(url(in_review, "outcomes")).content.decode()
    assert 'id="data-terms-kept">Partly<' in text
    assert "The open dataset was published two months late." in text
