"""Reading the site's charts as a person would: what the axes, legend and hover texts say, and
whether the shapes have a size; for tests of pages and of core.charts."""

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

SVG = re.compile(r"<svg\b.*?</svg>", flags=re.S)
# Attributes that hold numbers (coordinates, sizes, the view box, paths, transforms).
NUMERIC_ATTRIBUTES = {
    "x", "y", "x1", "x2", "y1", "y2", "cx", "cy", "r", "rx", "ry", "dx", "dy",
    "width", "height", "viewBox", "d", "transform", "points",
}  # fmt: skip
DECIMAL_COMMA = re.compile(r"\d,\d")


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _classes(element) -> set[str]:
    return set(element.get("class", "").split())


def _texts(element) -> list[str]:
    return [node.text for node in element.iter() if _local(node.tag) == "text" and node.text]


@dataclass
class Chart:
    markup: str
    title: str = ""
    description: str = ""
    labelled_by: str = ""
    role: str = ""
    value_ticks: list[str] = field(default_factory=list)  # the axis of values
    category_ticks: list[str] = field(default_factory=list)  # the other axis (dates, names)
    axis_titles: list[str] = field(default_factory=list)
    legend: list[str] = field(default_factory=list)
    hover: list[str] = field(default_factory=list)
    printed_values: list[str] = field(default_factory=list)
    bar_widths: list[float] = field(default_factory=list)
    dots: int = 0
    line_paths: int = 0
    localised_attributes: list[str] = field(default_factory=list)


def read(markup: str) -> Chart:
    root = ET.fromstring(markup)
    chart = Chart(markup=markup, role=root.get("role", ""))
    chart.labelled_by = root.get("aria-labelledby", "")
    horizontal = any("horizontal" in _classes(e) for e in root.iter())
    for element in root:
        if _local(element.tag) == "title":
            chart.title = element.text or ""
        elif _local(element.tag) == "desc":
            chart.description = element.text or ""
    for element in root.iter():
        classes = _classes(element)
        tag = _local(element.tag)
        for name, value in element.attrib.items():
            if name in NUMERIC_ATTRIBUTES and DECIMAL_COMMA.search(value):
                chart.localised_attributes.append(f"{tag} {name}={value!r}")
        if tag == "g" and "axis" in classes:
            values_axis = ("x" in classes) if horizontal else ("y" in classes)
            ticks = _texts(element)
            (chart.value_ticks if values_axis else chart.category_ticks).extend(ticks)
        elif tag == "g" and "titles" in classes:
            chart.axis_titles.extend(_texts(element))
        elif tag == "g" and "legend" in classes:
            chart.legend.extend(_texts(element))
        elif tag == "g" and "text-overlay" in classes:
            chart.printed_values.extend(_texts(element))
        elif tag == "rect" and "rect" in classes:
            chart.bar_widths.append(float(element.get("width", "0")))
        elif tag == "circle" and "dot" in classes:
            chart.dots += 1
        elif tag == "path" and "line" in classes and "reactive" in classes:
            chart.line_paths += 1
    for group in root.iter():
        if _local(group.tag) != "g" or not _classes(group) & {"bar", "dots"}:
            continue
        chart.hover.extend(node.text for node in group if _local(node.tag) == "title" and node.text)
    return chart


def charts_in(html: str) -> list[Chart]:
    return [read(markup) for markup in SVG.findall(html)]
