"""The charts as a French reader's browser draws them: visible, their points, lines and bars of
real size (a decimal comma in an SVG coordinate once drew them empty), axes with values and dates
in French, and nothing scrolling the page sideways on a phone."""

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from procurement.services import pilot as pilot_services
from tests.procurement.award_fixtures import *  # noqa: F403  (fixtures)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

INDICATOR = "Charge énergétique moyenne"


@pytest.fixture
def measured(pilot, alice):
    pilot_services.indicator_add(
        pilot=pilot,
        actor=alice,
        name=INDICATOR,
        unit="% du revenu",
        baseline=Decimal("8.5"),
        target=Decimal("6"),
    )
    pilot_services.milestone_add(
        pilot=pilot, actor=alice, title="Installer", due_on=date.today() + timedelta(30)
    )
    pilot_services.pilot_transition(pilot=pilot, actor=alice, name="start")
    indicator = pilot.indicators.get()
    for days_ago, value in ((60, "7.25"), (30, "6.75"), (1, "6.5")):
        pilot_services.measurement_record(
            indicator=indicator,
            actor=alice,
            value=Decimal(value),
            measured_on=date.today() - timedelta(days_ago),
            source_note="Factures",
        )
    return pilot


@pytest.fixture
def french(browser, live_server):
    contexts = []

    def make(user=None, width=1024):
        context = browser.new_context(
            base_url=live_server.url,
            locale="fr-CA",
            viewport={"width": width, "height": 900},
        )
        context.set_default_timeout(10_000)
        if user is not None:
            client = Client()
            client.force_login(user)
            cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
            context.add_cookies(
                [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
            )
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def map_boxes(locator):
    return [locator.nth(i).bounding_box() for i in range(locator.count())]


def test_an_indicator_chart_draws_its_points_and_lines_in_french(french, measured):
    page = french()
    page.goto(reverse("procurement:outcomes", kwargs={"reference": measured.challenge.reference}))

    chart = page.get_by_role("img", name=f"{INDICATOR} au fil du temps")
    expect(chart).to_be_visible()
    box = chart.bounding_box()
    assert box["width"] > 300 and box["height"] > 150
    dots = map_boxes(chart.locator(".dots circle"))
    assert len(dots) == 3 and all(d["width"] > 0 and d["height"] > 0 for d in dots)
    # The measured line climbs down across the plot; the baseline and target lines span it.
    lines = map_boxes(chart.locator(".series path.line"))
    assert len(lines) == 3 and all(line["width"] > 100 for line in lines)
    expect(chart.locator(".legend text")).to_have_text(
        ["Valeur mesurée", "Valeur de départ", "Cible"]
    )
    expect(chart.locator(".titles")).to_contain_text("% du revenu")
    # French dates on the time axis, French decimal marks among the values.
    expect(chart.locator(".axis.x text").first).to_have_text(re.compile(r"^\d{1,2} \S+ \d{4}$"))
    assert any("," in text for text in chart.locator(".axis.y text").all_text_contents())
    # The figures beside it.
    expect(page.get_by_role("table", name=f"Mesures de {INDICATOR}")).to_be_visible()


def test_the_bar_charts_draw_bars_of_real_length_in_french(french, measured, alice):
    page = french(alice)
    page.goto(reverse("procurement:dashboard"))
    chart = page.get_by_role("img", name="Nombre de défis à chaque étape")
    expect(chart).to_be_visible()
    widths = [b["width"] for b in map_boxes(chart.locator("rect.rect"))]
    assert sum(1 for width in widths if width > 1) >= 1

    evaluation = measured.award.evaluation
    page.goto(reverse("evaluation:results", kwargs={"reference": evaluation.challenge.reference}))
    chart = page.get_by_role("img", name="Points combinés")
    expect(chart).to_be_visible()
    widths = [b["width"] for b in map_boxes(chart.locator("rect.rect"))]
    assert sum(1 for width in widths if width > 1) >= 2
    expect(chart.locator(".axis.x text").last).to_have_text("100\u00a0%")


def test_a_chart_does_not_scroll_the_page_sideways_on_a_phone(french, measured):
    page = french(width=320)
    page.goto(reverse("procurement:outcomes", kwargs={"reference": measured.challenge.reference}))
    figure = page.locator("figure.chart").first
    expect(figure).to_be_visible()
    # The drawing keeps a readable size and scrolls inside its figure, not the page.
    box = figure.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 320
