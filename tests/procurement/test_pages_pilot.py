"""The pilot page: public outcomes with an inline SVG chart per indicator; the owner records
measurements and moves the pilot; nobody else can."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from procurement.models import Measurement, Pilot
from procurement.services import award as award_services
from procurement.services import pilot as services
from tests.chart_reading import charts_in
from tests.procurement.award_fixtures import *  # noqa: F403  (fixtures)


@pytest.fixture
def ready(decided, frank, carol, alice):
    award = award_services.award_recommend(evaluation=decided.evaluation, actor=frank)
    award_services.award_approve(award=award, actor=carol)
    award = award_services.award_notify(award=award, actor=alice)
    with time_machine.travel(award.standstill_ends_at, tick=False):
        award_services.award_finalise(award=award, actor=alice)
    award.refresh_from_db()
    pilot = services.pilot_create(award=award, actor=alice)
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


def url(pilot, name=None):
    reference = pilot.challenge.reference
    if name is None:
        return reverse("procurement:pilot", kwargs={"reference": reference})
    return reverse("procurement:pilot_step", kwargs={"reference": reference, "name": name})


def measure_url(pilot):
    indicator = pilot.indicators.get()
    return reverse(
        "procurement:measurement_record",
        kwargs={"reference": pilot.challenge.reference, "indicator_id": indicator.pk},
    )


MEASUREMENT = {"value": "7.25", "measured_on": "2026-03-01", "source_note": "Utility bills"}


def test_the_public_sees_milestones_indicators_and_no_chart_before_a_measurement(client, ready):
    response = client.get(url(ready))

    assert response.status_code == 200
    text = response.content.decode()
    assert "Install in 20 homes" in text
    assert "Average energy burden" in text
    assert "No measurement yet." in text and charts_in(text) == []
    assert "Record a measurement" not in text
    assert "Start the pilot" not in text


def test_the_owner_starts_the_pilot_and_records_a_measurement(client, ready, alice):
    client.force_login(alice)
    assert client.post(url(ready, "start")).status_code == 302
    ready.refresh_from_db()
    assert ready.status == Pilot.Status.ACTIVE

    response = client.post(measure_url(ready), MEASUREMENT)

    assert response.status_code == 302
    measurement = Measurement.objects.get()
    assert measurement.value == Decimal("7.25")
    assert measurement.recorded_by == alice
    text = client.get(url(ready)).content.decode()
    (chart,) = charts_in(text)
    assert chart.dots == 1 and chart.category_ticks == ["Mar 1, 2026"]
    assert chart.legend == ["Measured value", "Baseline", "Target"]
    assert "% of income" in chart.axis_titles
    assert "Utility bills" in text


def test_it_refuses_a_measurement_while_the_pilot_is_planned(client, ready, alice):
    client.force_login(alice)
    response = client.post(measure_url(ready), MEASUREMENT, follow=True)

    assert "once the pilot is active" in response.content.decode()
    assert not Measurement.objects.exists()


def test_an_invalid_measurement_shows_the_form_errors(client, ready, alice):
    services.pilot_transition(pilot=ready, actor=alice, name="start")
    client.force_login(alice)
    response = client.post(measure_url(ready), {**MEASUREMENT, "value": "lots"})

    assert response.status_code == 200
    assert "error-summary" in response.content.decode()
    assert not Measurement.objects.exists()


def test_ending_the_pilot_needs_lessons_learned(client, ready, alice):
    services.pilot_transition(pilot=ready, actor=alice, name="start")
    services.pilot_transition(pilot=ready, actor=alice, name="open_review")
    client.force_login(alice)

    client.post(url(ready, "conclude"), {"lessons_learned": "", "confirmed": "yes"})
    ready.refresh_from_db()
    assert ready.status == Pilot.Status.IN_REVIEW

    response = client.post(
        url(ready, "conclude"), {"lessons_learned": "Heat pumps work.", "confirmed": "yes"}
    )
    assert response.status_code == 302
    ready.refresh_from_db()
    assert ready.status == Pilot.Status.CONCLUDED
    assert ready.lessons_learned == "Heat pumps work."


def test_the_owner_is_offered_the_endings_with_the_lessons_they_need(client, ready, alice):
    services.pilot_transition(pilot=ready, actor=alice, name="start")
    services.pilot_transition(pilot=ready, actor=alice, name="open_review")
    client.force_login(alice)

    html = client.get(url(ready)).content.decode()

    for name in ("adopt", "conclude", "terminate"):
        assert url(ready, name) in html, name
    assert 'name="lessons_learned"' in html


def test_an_active_pilot_offers_only_the_review_and_termination(client, ready, alice):
    services.pilot_transition(pilot=ready, actor=alice, name="start")
    client.force_login(alice)

    html = client.get(url(ready)).content.decode()

    assert url(ready, "open_review") in html and url(ready, "terminate") in html
    assert url(ready, "adopt") not in html and url(ready, "conclude") not in html


@pytest.mark.parametrize("persona", ["bob", "carol", "dave", "grace", "root"])
def test_nobody_but_the_owner_moves_the_pilot_or_measures(client, ready, request, persona):
    client.force_login(request.getfixturevalue(persona))

    assert client.post(url(ready, "start")).status_code == 404
    assert client.post(measure_url(ready), MEASUREMENT).status_code == 404
    ready.refresh_from_db()
    assert ready.status == Pilot.Status.PLANNED
    assert not Measurement.objects.exists()


def test_there_is_no_pilot_page_before_a_pilot_exists(client, decided):
    reference = decided.challenge.reference
    response = client.get(reverse("procurement:pilot", kwargs={"reference": reference}))
    assert response.status_code == 404


def _add_measured_indicators(pilot, alice, count):
    for n in range(count):
        indicator = services.indicator_add(
            pilot=pilot,
            actor=alice,
            name=f"Indicator {n}",
            unit="%",
            baseline=Decimal("10"),
            target=Decimal("5"),
        )
        for day in (1, 2, 3):
            services.measurement_record(
                indicator=indicator,
                actor=alice,
                value=Decimal(day),
                measured_on=date(2026, 3, day),
                source_note="Survey",
            )


def test_the_pilot_page_draws_every_chart_in_the_same_number_of_queries(
    client, ready, alice, django_assert_num_queries
):
    services.pilot_transition(pilot=ready, actor=alice, name="start")
    _add_measured_indicators(ready, alice, 1)
    client.force_login(alice)
    with CaptureQueriesContext(connection) as one:
        assert client.get(url(ready)).status_code == 200

    _add_measured_indicators(ready, alice, 3)

    with django_assert_num_queries(len(one.captured_queries)):
        assert client.get(url(ready)).status_code == 200
