"""The site's charts (core.charts) in English and French: values on the axes, dates on the time
axis, the unit, a legend for several series, a name for screen readers, hover text without
script, and geometry that no language turns into a decimal comma."""

import re
from datetime import date
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils import translation

from core import charts
from tests.chart_reading import read

NBSP = "\u00a0"


@pytest.fixture(params=["en", "fr"])
def language(request):
    with translation.override(request.param):
        yield request.param


def indicator(*measurements, baseline="8.5", target="6", unit="% of income"):
    rows = [
        SimpleNamespace(pk=i, measured_on=day, value=Decimal(value))
        for i, (day, value) in enumerate(measurements)
    ]
    return SimpleNamespace(
        pk=3,
        name="Energy burden",
        unit=unit,
        baseline=Decimal(baseline),
        target=Decimal(target),
        measurements=SimpleNamespace(all=lambda: list(reversed(rows))),
    )


STAGES = [
    {"label": "Draft", "count": 4},
    {"label": "Published", "count": 2},
    {"label": "Closed", "count": 0},
]


def criteria():
    return [
        SimpleNamespace(name="Technical merit", max_points=40),
        SimpleNamespace(name="Community benefit", max_points=20),
    ]


def ranked():
    merit, benefit = criteria()
    return [
        SimpleNamespace(
            rank=1,
            label="Proposal A",
            scores=[
                {"criterion": merit, "points": Decimal("32.5")},
                {"criterion": benefit, "points": Decimal("10")},
            ],
        ),
        SimpleNamespace(
            rank=2,
            label="Proposal B",
            scores=[
                {"criterion": merit, "points": Decimal("20")},
                {"criterion": benefit, "points": None},
            ],
        ),
    ]


def named_for_screen_readers(chart, key):
    assert chart.role == "img"
    assert chart.labelled_by == f"{key}-title {key}-desc"
    assert f'id="{key}-title"' in chart.markup and f'id="{key}-desc"' in chart.markup
    assert chart.title and chart.description


def fits_the_content_security_policy(chart):
    # No inline style or script: the site's CSP refuses both (site.css styles the charts).
    for forbidden in ("<style", "<script", "style=", "<?xml", "<!--", "href="):
        assert forbidden not in chart.markup


# The time chart ----------------------------------------------------------------------------


def test_an_indicator_chart_has_dates_values_the_unit_and_a_legend(language):
    chart = read(
        charts.indicator_chart(indicator((date(2026, 3, 1), "7.25"), (date(2026, 4, 15), "6.5")))[
            "svg"
        ]
    )

    expected_dates = {"en": ["Mar 1, 2026", "Apr 15, 2026"], "fr": ["1 mars 2026", "15 avr. 2026"]}
    assert chart.category_ticks == expected_dates[language]
    # Values on the axis, from the target (6) up to the baseline (8.5), with the reader's
    # decimal mark and never the other one.
    decimal, other = {"en": (".", ","), "fr": (",", ".")}[language]
    assert chart.value_ticks[0] == "6" and chart.value_ticks[-1].startswith("8")
    assert any(decimal in tick for tick in chart.value_ticks)
    assert not any(other in tick for tick in chart.value_ticks)
    assert "% of income" in chart.axis_titles
    assert {"en": "Date", "fr": "Date"}[language] in chart.axis_titles
    legend = {
        "en": ["Measured value", "Baseline", "Target"],
        "fr": ["Valeur mesurée", "Valeur de départ", "Cible"],
    }
    assert chart.legend == legend[language]
    assert chart.dots == 2 and chart.line_paths == 3
    hover = {"en": "Mar 1, 2026: 7.25 % of income", "fr": "1 mars 2026 : 7,25 % of income"}
    assert hover[language] in [text.replace(NBSP, " ") for text in chart.hover]
    named_for_screen_readers(chart, "indicator-chart-3")
    fits_the_content_security_policy(chart)
    assert chart.localised_attributes == []


def test_an_indicator_chart_gives_its_measurements_in_date_order():
    first, second = (date(2026, 3, 1), "7.25"), (date(2026, 4, 15), "6.5")
    result = charts.indicator_chart(indicator(second, first))
    assert [m.measured_on for m in result["measurements"]] == [first[0], second[0]]


def test_one_measurement_stands_in_a_period_with_its_date_on_the_axis(language):
    chart = read(charts.indicator_chart(indicator((date(2026, 3, 1), "7.25")))["svg"])
    assert chart.category_ticks == [{"en": "Mar 1, 2026", "fr": "1 mars 2026"}[language]]
    # The point, and the baseline and target lines across the period.
    assert chart.dots == 1 and chart.line_paths == 2
    assert len(chart.hover) == 1
    assert chart.localised_attributes == []


def test_many_measurements_keep_dated_ticks_without_crowding(language):
    days = [date(2026, month, 1) for month in range(1, 13)]
    chart = read(charts.indicator_chart(indicator(*[(d, "7") for d in days]))["svg"])
    assert len(chart.category_ticks) == charts.DATE_TICKS_MAX
    first, last = {"en": ("Jan 1, 2026", "Dec 1, 2026"), "fr": ("1 janv. 2026", "1 déc. 2026")}[
        language
    ]
    assert chart.category_ticks[0] == first and chart.category_ticks[-1] == last
    assert chart.dots == 12


def test_no_measurement_draws_no_chart():
    assert charts.indicator_chart(indicator()) == {"measurements": [], "svg": None}


# Bar charts --------------------------------------------------------------------------------


def test_the_stage_chart_counts_on_whole_number_ticks_with_one_bar_per_stage(language):
    chart = read(charts.stage_chart(STAGES))

    assert chart.value_ticks == ["0", "1", "2", "3", "4"]
    assert chart.category_ticks == ["Closed", "Published", "Draft"]  # drawn bottom up
    assert {"en": "Number of challenges", "fr": "Nombre de défis"}[language] in chart.axis_titles
    assert chart.legend == []  # one series: the axis title says what it is
    assert sorted(chart.hover) == ["Closed: 0", "Draft: 4", "Published: 2"]
    assert sorted(chart.printed_values) == ["0", "2", "4"]
    # The largest stage has the longest bar, half of it the half-length bar, none no length.
    widths = sorted(chart.bar_widths)
    assert widths[0] == 0 and widths[2] > 0
    assert widths[1] == pytest.approx(widths[2] / 2, rel=0.01)
    named_for_screen_readers(chart, "stage-chart")
    fits_the_content_security_policy(chart)
    assert chart.localised_attributes == []


def test_the_scores_chart_has_a_legend_of_proposals_and_percent_ticks(language):
    chart = read(charts.scores_chart(ranked(), criteria()))

    percent = {"en": "{}%", "fr": "{}" + NBSP + "%"}[language]
    assert chart.value_ticks == [percent.format(n) for n in (0, 25, 50, 75, 100)]
    assert chart.legend == ["1. Proposal A", "2. Proposal B"]
    assert chart.category_ticks == ["Community benefit", "Technical merit"]
    title = {
        "en": "Share of the criterion's maximum points (%)",
        "fr": "Part des points maximaux du critère (%)",
    }[language]
    assert title in " ".join(chart.axis_titles)
    hover = {
        "en": "Proposal A, Technical merit: 32.5 of 40 points",
        "fr": "Proposal A, Technical merit : 32,5 sur 40 points",
    }[language]
    assert hover in [text.replace(NBSP, " ") for text in chart.hover]
    # 32.5 of 40 is 81 %: the printed value says so in the reader's convention.
    assert percent.format(81) in chart.printed_values
    named_for_screen_readers(chart, "scores-chart")
    fits_the_content_security_policy(chart)
    assert chart.localised_attributes == []


def test_a_score_not_given_draws_no_bar():
    chart = read(charts.scores_chart(ranked(), criteria()))
    assert sum(1 for width in chart.bar_widths if width > 0) == 3
    assert not any(text.startswith("Proposal B, Community benefit") for text in chart.hover)


def test_the_bars_are_drawn_the_same_in_both_languages():
    """Only the words change with the language, never where the bars are drawn."""
    bars = {}
    for language in ("en", "fr"):
        with translation.override(language):
            bars[language] = re.findall(r"<rect [^>]*>", charts.stage_chart(STAGES))
    assert len(bars["en"]) >= len(STAGES) and bars["en"] == bars["fr"]
