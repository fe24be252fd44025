"""One way of drawing an outcome indicator: its measurements over time against the baseline and
the target, as the geometry of an inline SVG (drawn by `_indicator_chart.html`)."""

from decimal import Decimal

# The chart's geometry, in SVG user units.
CHART_WIDTH = 480
CHART_HEIGHT = 160
CHART_PAD = 24
# Room right of the plot for the "baseline" and "target" labels, clear of the data points.
CHART_LABELS = 56


def indicator_chart(indicator) -> dict:
    """Points of the measurements and the y of the baseline and the target, in chart units.

    Reads `indicator.measurements.all()`, so a page that prefetched them draws every chart
    without another query.
    """
    measurements = sorted(indicator.measurements.all(), key=lambda m: (m.measured_on, m.pk))
    values = [m.value for m in measurements] + [indicator.baseline, indicator.target]
    low, high = min(values), max(values)
    span = (high - low) or Decimal(1)
    inner_h = CHART_HEIGHT - 2 * CHART_PAD
    inner_w = CHART_WIDTH - 2 * CHART_PAD - CHART_LABELS

    def y(value):
        return round(float(CHART_PAD + (high - value) / span * inner_h), 1)

    step = inner_w / max(len(measurements) - 1, 1)
    points = [
        {"x": round(CHART_PAD + i * step, 1), "y": y(m.value), "m": m}
        for i, m in enumerate(measurements)
    ]
    return {
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        "left": CHART_PAD,
        "right": CHART_WIDTH - CHART_PAD - CHART_LABELS,
        "label_x": CHART_WIDTH - CHART_PAD - CHART_LABELS + 6,
        "baseline_y": y(indicator.baseline),
        "target_y": y(indicator.target),
        "points": points,
        "polyline": " ".join(f"{p['x']},{p['y']}" for p in points),
        "measurements": measurements,
    }
