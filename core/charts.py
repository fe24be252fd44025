"""The site's charts, drawn on the server as inline SVG with pygal (DESIGN.md §6).

Every chart has axes with values, dates on a time axis, the unit in an axis title, a legend when
it has several series, and a title and description for screen readers; the page keeps the same
figures in a table beside it (`includes/chart.html`). Nothing needs JavaScript to be seen.

Two kinds of text in the SVG, kept apart:
- geometry (coordinates, sizes, the view box) is written by pygal with Python's own number
  formatting, never through Django's localisation, so it reads `272.0` in every language;
- what people read (tick labels, printed values, dates, legends) is formatted for the reader's
  language by `core.numfmt` and `core.timefmt`: « 66,5 », « 12 janv. 2027 ».

The site's Content-Security-Policy allows no inline style and only nonce'd scripts, so pygal's
embedded stylesheet and scripts are taken out of the SVG; `static/css/site.css` styles the
charts by pygal's class names, and hover text is the SVG's own `<title>`, with no script.
"""

from dataclasses import dataclass, field
from datetime import timedelta

import pygal
from babel.numbers import format_percent
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from pygal.etree import etree
from pygal.style import Style

from .locales import current_locale
from .numfmt import format_number
from .timefmt import format_day

# pygal writes its SVG with the standard library's ElementTree unless lxml is importable; one
# implementation everywhere keeps the clean-up below simple and the output the same.
etree.to_etree()

# The drawing's size in SVG user units; the page scales it to the width it has.
WIDTH = 560
# pygal lays labels out by these sizes; site.css draws them at the same sizes.
STYLE = Style(
    font_family="system-ui, sans-serif",
    label_font_size=13,
    major_label_font_size=13,
    value_font_size=12,
    legend_font_size=13,
    title_font_size=14,
    no_data_font_size=14,
)
# An indicator chart lists the measurement dates on its axis while they fit; past this, evenly
# spaced dates.
DATE_TICKS_MAX = 6
# Bar labels longer than this are cut with an ellipsis (the table beside has them whole).
LABEL_MAX = 36
# Whole-number axes (counts) get about this many ticks.
COUNT_TICKS = 5

_COMMON = {
    "style": STYLE,
    "width": WIDTH,
    "disable_xml_declaration": True,
    "no_prefix": True,
    "js": [],
    "css": [],
    "classes": ["chart-svg"],
    "legend_at_bottom": True,
    "legend_at_bottom_columns": 1,
    "truncate_legend": -1,
    "truncate_label": -1,
    "margin": 12,
    "spacing": 12,
    "tooltip_fancy_mode": False,
}


@dataclass(frozen=True)
class Series:
    title: str
    values: list
    # pygal's options for this series alone (e.g. show_dots).
    options: dict = field(default_factory=dict)


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _clean(root, *, key: str, title: str, description: str):
    """Make pygal's SVG fit the page: no embedded style or script (the CSP refuses them), no
    ids that would repeat when a page has several charts, hover text as `<title>`, and the
    chart named for assistive technology."""
    for parent in root.iter():
        has_title = any(_local(child.tag) == "title" for child in parent)
        for child in list(parent):
            tag = _local(child.tag)
            if not tag or tag in ("style", "script"):
                parent.remove(child)  # comments, the stylesheet and the scripts
            elif tag == "desc":
                if "value" in child.get("class", "").split() and not has_title:
                    child.tag = "title"  # hover text with no script
                    child.attrib.pop("class", None)
                else:
                    parent.remove(child)  # what pygal's script tooltips read
    for element in root.iter():
        element.attrib.pop("id", None)
        element.attrib.pop("style", None)
    # The `<defs>` pygal leaves is empty once its style and scripts are gone.
    for child in list(root):
        if _local(child.tag) == "defs" and not len(child):
            root.remove(child)
    title_node = next(child for child in root if _local(child.tag) == "title")
    title_node.text = title
    title_node.set("id", f"{key}-title")
    desc = etree.Element("desc", id=f"{key}-desc")
    desc.text = description
    root.insert(list(root).index(title_node) + 1, desc)
    root.set("role", "img")
    root.set("aria-labelledby", f"{key}-title {key}-desc")
    root.set("id", key)
    return root


def _render(
    kind, config: dict, series: list[Series], *, key: str, title: str, description: str
) -> SafeString:
    chart = kind(**config)
    chart.add_xml_filter(lambda root: _clean(root, key=key, title=title, description=description))
    for one in series:
        chart.add(str(one.title), one.values, **one.options)
    # pygal formats coordinates with Python's own formatting: never localised.
    return mark_safe(chart.render(is_unicode=True))  # noqa: S308 - pygal escapes every text


def _count_ticks(largest: int) -> list[int]:
    step = max(1, -(-largest // COUNT_TICKS))
    top = max(step, -(-largest // step) * step)
    return list(range(0, top + 1, step))


def _percent(value) -> str:
    if value is None:
        return "—"
    return format_percent(value / 100, locale=current_locale())


def bar_chart(
    *,
    key: str,
    title: str,
    description: str,
    labels: list[str],
    series: list[Series],
    axis_title: str,
    percent: bool = False,
) -> SafeString:
    """Horizontal bars, one group per label and one bar per series, with a legend when there
    are several series. `percent`: values are percentages, the axis runs from 0 to 100 %;
    otherwise they are counts on whole-number ticks."""
    values = [v["value"] if isinstance(v, dict) else v for s in series for v in s.values]
    largest = max((v for v in values if v is not None), default=0)
    rows = len(labels) * max(len(series), 1)
    # pygal stacks horizontal bars from the bottom up; reversed, they read top down as given.
    labels = [str(label) for label in labels[::-1]]
    series = [Series(one.title, one.values[::-1]) for one in series]
    config = {
        **_COMMON,
        "height": 90 + rows * 26 + (len(series) * 22 if len(series) > 1 else 0),
        "show_legend": len(series) > 1,
        "x_labels": labels,
        # The value axis of horizontal bars runs along the bottom.
        "x_title": axis_title,
        "truncate_label": LABEL_MAX,
        "margin_right": 48,
        "print_values": True,
        "print_values_position": "top",
        "show_x_guides": False,
        "classes": ["chart-svg", "bar-chart"],
    }
    if percent:
        config |= {"range": (0, 100), "y_labels": [0, 25, 50, 75, 100]}
        config["value_formatter"] = _percent
    else:
        ticks = _count_ticks(int(largest))
        config |= {"range": (0, ticks[-1]), "y_labels": ticks}
        config["value_formatter"] = lambda v: format_number(v, places=0) if v is not None else "—"
    return _render(
        pygal.HorizontalBar, config, series, key=key, title=title, description=description
    )


def _point(value) -> tuple:
    return value["value"] if isinstance(value, dict) else value


def time_chart(
    *,
    key: str,
    title: str,
    description: str,
    series: list[Series],
    unit: str,
    levels: list[Series] = (),
) -> SafeString:
    """Lines of (date, value) points on a time axis, plus `levels`: constant values (a baseline,
    a target) drawn across the whole period. The unit is the value axis's title."""
    days = sorted({_point(value)[0] for one in series for value in one.values})
    first, last = days[0], days[-1]
    if first == last:
        # One day: a week either side, so the point stands in a period and the levels show.
        first, last = first - timedelta(days=7), last + timedelta(days=7)
    lines = list(series) + [
        Series(
            level.title,
            [(first, level.values[0]), (last, level.values[0])],
            {"show_dots": False},
        )
        for level in levels
    ]
    config = {
        **_COMMON,
        "height": 330 + 22 * len(lines),
        "show_legend": len(lines) > 1,
        "x_title": _("Date"),
        "y_title": unit,
        "x_value_formatter": format_day,
        "value_formatter": lambda v: format_number(v),
        "x_label_rotation": 20,
        "dots_size": 4,
        # About eight value ticks at most, so a phone can still read them.
        "max_scale": 8,
        "xrange": (first, last),
        "classes": ["chart-svg", "time-chart"],
    }
    if len(days) > DATE_TICKS_MAX:
        # Evenly spaced days across the period.
        step = (last - first) / (DATE_TICKS_MAX - 1)
        days = [first + step * i for i in range(DATE_TICKS_MAX)]
    config["x_labels"] = days
    return _render(pygal.DateLine, config, lines, key=key, title=title, description=description)


# The site's charts.


def stage_chart(stages) -> SafeString:
    """The dashboard's challenges per stage: `stages` are dicts with `label` and `count`."""
    return bar_chart(
        key="stage-chart",
        title=_("Number of challenges in each stage"),
        description=_(
            "One bar per stage, in pipeline order; the sections below list the same challenges."
        ),
        labels=[stage["label"] for stage in stages],
        series=[
            Series(
                _("Challenges"),
                [
                    {"value": stage["count"], "tooltip": f"{stage['label']}: {stage['count']}"}
                    for stage in stages
                ],
            )
        ],
        axis_title=_("Number of challenges"),
    )


def scores_chart(entries, criteria) -> SafeString:
    """Each ranked proposal's combined points on each rated criterion, as a share of the
    criterion's maximum: `entries` carry `rank`, `label` and `scores` (dicts with `criterion`
    and `points`, in the order of `criteria`)."""
    series = []
    for entry in entries:
        values = []
        for score in entry.scores:
            points, criterion = score["points"], score["criterion"]
            share = None if points is None else float(points / criterion.max_points * 100)
            tooltip = _("%(proposal)s, %(criterion)s: %(points)s of %(max)s points") % {
                "proposal": entry.label,
                "criterion": criterion.name,
                "points": format_number(points) if points is not None else "—",
                "max": format_number(criterion.max_points),
            }
            values.append({"value": share, "tooltip": tooltip})
        series.append(Series(f"{entry.rank}. {entry.label}", values))
    return bar_chart(
        key="scores-chart",
        title=_("Combined points of each proposal on each rated criterion"),
        description=_(
            "One bar per proposal for each criterion, as a share of the criterion's maximum "
            "points; the table below gives the points."
        ),
        labels=[criterion.name for criterion in criteria],
        series=series,
        axis_title=_("Share of the criterion's maximum points (%)"),
        percent=True,
    )


def indicator_chart(indicator) -> dict:
    """An outcome indicator's measurements over time against its baseline and target.

    Reads `indicator.measurements.all()`, so a page that prefetched them draws every chart
    without another query. Returns the measurements in date order and the chart (None before
    the first measurement: the table says there is none yet).
    """
    measurements = sorted(indicator.measurements.all(), key=lambda m: (m.measured_on, m.pk))
    if not measurements:
        return {"measurements": [], "svg": None}
    svg = time_chart(
        key=f"indicator-chart-{indicator.pk}",
        title=_("%(name)s over time") % {"name": indicator.name},
        description=_(
            "Each measurement in time order, with the baseline and the target as level lines; "
            "the table gives every measurement."
        ),
        series=[
            Series(
                _("Measured value"),
                [
                    {
                        "value": (m.measured_on, float(m.value)),
                        "tooltip": _("%(date)s: %(value)s %(unit)s")
                        % {
                            "date": format_day(m.measured_on),
                            "value": format_number(m.value),
                            "unit": indicator.unit,
                        },
                    }
                    for m in measurements
                ],
            )
        ],
        levels=[
            Series(_("Baseline"), [float(indicator.baseline)]),
            Series(_("Target"), [float(indicator.target)]),
        ],
        unit=indicator.unit,
    )
    return {"measurements": measurements, "svg": svg}


def reach_chart(rows) -> SafeString:
    """People reached per priority group against the target: `rows` are dicts with `label`,
    `target` (None: no target), `reached` and `gap` (people still to reach). The gap is its own
    series, so it stands out in its own colour and in the legend, not by colour alone."""

    targets, reached, gaps = [], [], []
    for row in rows:
        figures = {
            "group": row["label"],
            "target": format_number(row["target"], places=0) if row["target"] else "—",
            "reached": format_number(row["reached"], places=0),
            "gap": format_number(row["gap"], places=0),
        }
        targets.append(
            {"value": row["target"], "tooltip": _("%(group)s: target %(target)s") % figures}
            if row["target"]
            else None
        )
        reached.append(
            {"value": row["reached"], "tooltip": _("%(group)s: %(reached)s reached") % figures}
        )
        gaps.append(
            {"value": row["gap"], "tooltip": _("%(group)s: %(gap)s still to reach") % figures}
            if row["gap"]
            else None
        )
    return bar_chart(
        key="reach-chart",
        title=_("People reached in each priority group, against the target"),
        description=_(
            "For each group, the target, the people reached across every engagement activity, "
            "and, where the target is not met, the people still to reach; the table gives the "
            "same figures."
        ),
        labels=[row["label"] for row in rows],
        series=[
            Series(_("Target"), targets),
            Series(_("Reached"), reached),
            Series(_("Still to reach"), gaps),
        ],
        axis_title=_("Number of people"),
    )
