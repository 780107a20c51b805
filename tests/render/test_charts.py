"""The one chart implementation (``scorecard.render.charts``), read back as SVG.

A count cannot be negative, so a count's axis starts at zero and a process limit that falls
below zero is not drawn; a percentage's axis fits its values.  Each chart is an image with an
accessible name (``<title>``) and description (``<desc>``, the model's ``alt_text``), and
rasterises to a PNG of the width asked for (the Word paper's picture).
"""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET

from PIL import Image

from scorecard.documents import format as fmt
from scorecard.documents.model import Chart, ChartPoint
from scorecard.render import charts

SVG = "{http://www.w3.org/2000/svg}"


def chart(values: list[float], unit: str, *, mean: float, lower: float, upper: float, counts: bool,
          lower_from: dict[int, float] | None = None) -> Chart:
    """A chart built from the model's types, as the builders make them; ``lower_from`` gives
    some points a different lower limit (a rebased process)."""
    lower_from = lower_from or {}
    points = tuple(ChartPoint(f"2023 M{i + 1}", fmt.figure(v, unit), mean, lower_from.get(i, lower), upper,
                              "common_cause") for i, v in enumerate(values))
    return Chart(id="chart-test", title="Homicide", unit=unit, y_label="Number", points=points, target=None,
                 variation=None, assurance=None, alt_text="Homicide, 12 points: " + "; ".join(
                     p.value.text for p in points) + ".", counts=counts)


def read(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def ticks(root: ET.Element) -> list[tuple[float, str]]:
    """(y, label) of each y-axis tick, from the bottom of the axis up."""
    grid = root.find(f"{SVG}g[@class='app-chart__grid']")
    assert grid is not None
    labelled = [(float(t.attrib["y"]), t.text or "") for t in grid.iterfind(f"{SVG}text")]
    return sorted(labelled, reverse=True)


def lower_limit_lines(root: ET.Element) -> list[ET.Element]:
    return [e for e in root.iter(f"{SVG}line") if e.attrib.get("class") == "app-chart__lower-limit"]


def x_axis_y(root: ET.Element) -> float:
    """The plot's bottom edge: the horizontal black axis line."""
    axes = [e for e in root.iter(f"{SVG}line") if "class" not in e.attrib and e.attrib.get("stroke") == charts.BLACK
            and e.attrib["y1"] == e.attrib["y2"] and e.attrib["x1"] != e.attrib["x2"]]
    assert len(axes) == 1
    return float(axes[0].attrib["y1"])


COUNTS = [3.0, 1.0, 4.0, 2.0, 0.0, 5.0, 2.0, 3.0, 1.0, 4.0, 2.0, 3.0]


def test_a_count_axis_starts_at_zero_and_no_limit_is_drawn_below_it() -> None:
    root = read(charts.chart_svg(chart(COUNTS, "count", mean=2.5, lower=-2.3, upper=7.3, counts=True)))
    (bottom_y, bottom_label), *_ = ticks(root)
    assert bottom_label == "0"
    assert abs(bottom_y - 4.5 - x_axis_y(root)) < 0.01, "the 0 tick is on the x axis: nothing is drawn below it"
    assert lower_limit_lines(root) == [], "a lower limit of -2.3 is not drawn for a count"


def test_a_count_draws_its_lower_limit_only_where_it_is_not_below_zero() -> None:
    rebased = {i: 0.5 for i in range(6, 12)}  # the last six points' process has a lower limit above zero
    root = read(charts.chart_svg(chart(COUNTS, "count", mean=2.5, lower=-2.3, upper=7.3, counts=True,
                                       lower_from=rebased)))
    lines = lower_limit_lines(root)
    assert len(lines) == 1
    assert float(lines[0].attrib["y1"]) < x_axis_y(root), "drawn above the axis, at 0.5"


def test_a_count_far_from_zero_still_starts_at_zero() -> None:
    root = read(charts.chart_svg(chart([9_000 + 50 * i for i in range(12)], "count", mean=9_275, lower=8_800,
                                       upper=9_750, counts=True)))
    assert ticks(root)[0][1] == "0"


def test_a_percentage_axis_need_not_start_at_zero() -> None:
    root = read(charts.chart_svg(chart([61.0, 64.5, 66.0, 63.2, 62.8, 65.1, 67.4, 64.0, 63.3, 66.6, 65.0, 64.4],
                                       "percentage", mean=64.4, lower=58.9, upper=69.9, counts=False)))
    (_, bottom_label), *_ = ticks(root)
    assert bottom_label.endswith("%") and float(bottom_label.rstrip("%")) > 0
    assert len(lower_limit_lines(root)) == 1, "the lower limit is drawn"


def test_the_chart_is_an_image_named_by_its_title_and_described_by_its_alt_text() -> None:
    model = chart(COUNTS, "count", mean=2.5, lower=-2.3, upper=7.3, counts=True)
    root = read(charts.chart_svg(model))
    assert root.tag == f"{SVG}svg" and root.attrib["role"] == "img"
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title is not None and desc is not None
    assert root.attrib["aria-labelledby"] == title.attrib["id"]
    assert root.attrib["aria-describedby"] == desc.attrib["id"]
    assert title.text == "Statistical process control chart: Homicide"
    assert desc.text == model.alt_text


def test_the_chart_rasterises_to_a_png_of_the_width_asked_for() -> None:
    svg = charts.chart_svg(chart(COUNTS, "count", mean=2.5, lower=-2.3, upper=7.3, counts=True))
    width, height = charts.WIDTH, charts.HEIGHT
    with Image.open(io.BytesIO(charts.png(svg, width_px=800))) as image:
        assert image.format == "PNG"
        assert image.size[0] == 800
        assert abs(image.size[1] - 800 * height / width) <= 1
