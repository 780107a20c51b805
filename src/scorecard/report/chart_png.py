"""An SPC chart of the report model drawn as a PNG, for the Word paper.

Making Data Count style: the series as a grey line, each point coloured by its SPC point
type (grey common cause, blue improvement, orange concern, purple neither), the mean as a
solid line, the process limits dashed, and the target, when there is one, dashed red; a
legend on the right names what is drawn.  The chart draws the model's points, means and
limits and computes no figure; axis labels go through ``scorecard.numbers``.

Drawn with Pillow (already needed by WeasyPrint) rather than a plotting library: a chart
takes milliseconds instead of a tenth of a second, which matters when a paper has a dozen
charts and must build in seconds.  Lines are antialiased by drawing at ``SUPERSAMPLE``
times the size and scaling down.  The font is Liberation Sans (metric-compatible with
Arial, the paper's font) or DejaVu Sans when installed, else Pillow's own; the PNG carries
no date, so the same chart on the same machine gives the same bytes.
"""

from __future__ import annotations

import io
import itertools
import math
from collections.abc import Callable, Iterator, Sequence
from functools import cache

from PIL import Image, ImageDraw, ImageFont

from scorecard.numbers import format_number, format_percent
from scorecard.report.model import Chart

# NHS England Making Data Count palette.
GREY = "#7B7D7D"
COLOURS = {
    "common_cause": GREY,
    "special_cause_improvement": "#289DE0",
    "special_cause_concern": "#FAB428",
    "special_cause_neutral_high": "#490092",
    "special_cause_neutral_low": "#490092",
}
LEGEND_WORDS = {
    "special_cause_improvement": "Special cause: improvement",
    "special_cause_concern": "Special cause: concern",
    "special_cause_neutral_high": "Special cause: neutral",
    "special_cause_neutral_low": "Special cause: neutral",
}
TARGET = "#D5281B"
INK = "#0B0C0C"
GRID = "#E5E5E5"
LABEL = "#3B3B3B"

WIDTH, HEIGHT = 945, 405  # pixels: 6.3 × 2.7 inches at 150 dpi
DPI = 150
SUPERSAMPLE = 2
FONT_FILES = (
    "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "LiberationSans-Regular.ttf",
    "DejaVuSans.ttf",
)

Font = ImageFont.FreeTypeFont | ImageFont.ImageFont
Point = tuple[float, float]


@cache
def _font(size: int) -> Font:
    for name in FONT_FILES:
        try:
            return ImageFont.truetype(name, size)
        except OSError:
            continue
    return ImageFont.load_default(size)


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round axis ticks covering ``low``..``high``: steps of 1, 2, 2.5 or 5 × 10ⁿ."""
    if not (math.isfinite(low) and math.isfinite(high)):
        return [0.0, 1.0]
    if high - low < 1e-9:
        pad = abs(high) * 0.1 or 1.0
        low, high = low - pad, high + pad
    raw = (high - low) / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    first = math.floor(low / step + 1e-9) * step
    last = math.ceil(high / step - 1e-9) * step
    return [first + i * step for i in range(round((last - first) / step) + 1)]


def _axis_label(unit: str, value: float, places: int) -> str:
    if unit == "percentage":
        return format_percent(value, places)
    return format_number(value, places)


def _runs(xs: Sequence[float], values: Sequence[float | None], to_y: Callable[[float], float]
          ) -> Iterator[list[Point]]:
    """Consecutive runs of points that have a value (a missing value breaks the line)."""
    run: list[Point] = []
    for x, v in zip(xs, values, strict=True):
        if v is None:
            if run:
                yield run
            run = []
        else:
            run.append((x, to_y(v)))
    if run:
        yield run


def _dashed(draw: ImageDraw.ImageDraw, points: Sequence[Point], colour: str, width: int,
            dash: tuple[float, float]) -> None:
    on, off = dash
    phase = 0.0  # distance into the current on+off cycle, carried across segments
    for (x0, y0), (x1, y1) in itertools.pairwise(points):
        length = math.hypot(x1 - x0, y1 - y0)
        done = 0.0
        while done < length:
            in_on = phase < on
            step = min((on - phase) if in_on else (on + off - phase), length - done)
            if in_on:
                a, b = done / length, (done + step) / length
                draw.line([(x0 + (x1 - x0) * a, y0 + (y1 - y0) * a), (x0 + (x1 - x0) * b, y0 + (y1 - y0) * b)],
                          fill=colour, width=width)
            done += step
            phase = (phase + step) % (on + off)
    if len(points) == 1:
        x, y = points[0]
        half = min(on, 16.0) / 2
        draw.line([(x - half, y), (x + half, y)], fill=colour, width=width)


def render_png(chart: Chart, *, width: int = WIDTH, height: int = HEIGHT) -> bytes:
    """The chart as PNG bytes, ``width`` × ``height`` pixels (150 dpi)."""
    s = SUPERSAMPLE
    img = Image.new("RGB", (width * s, height * s), "white")
    draw = ImageDraw.Draw(img)
    small = _font(15 * s)
    points = chart.points
    n = len(points)

    # What is drawn sets the vertical range.
    drawn = [v for p in points for v in (p.value, p.mean, p.lower_limit, p.upper_limit) if v is not None]
    if chart.target is not None:
        drawn.append(chart.target)
    ticks = nice_ticks(min(drawn, default=0.0), max(drawn, default=1.0))
    places = 0 if all(abs(t - round(t)) < 1e-9 for t in ticks) else 1
    labels = [_axis_label(chart.unit, t, places) for t in ticks]

    # Legend entries, and the plot area left between the axis labels and the legend.
    legend: list[tuple[str, str, str]] = [("line", GREY, "Value"), ("line", INK, "Mean"),
                                          ("dash", GREY, "Process limits")]
    if chart.target is not None:
        legend.append(("dash", TARGET, "Target"))
    for p in points:
        word = LEGEND_WORDS.get(p.point_type)
        if word and all(word != text for _, _, text in legend):
            legend.append(("dot", COLOURS[p.point_type], word))
    label_w = max(draw.textlength(text, font=small) for text in labels)
    legend_w = 34 * s + max(draw.textlength(text, font=small) for _, _, text in legend)
    left = 12 * s + label_w + 8 * s
    right = width * s - legend_w - 24 * s
    top, bottom = 16 * s, height * s - 34 * s
    lo, hi = ticks[0], ticks[-1]

    def to_y(v: float) -> float:
        return bottom - (v - lo) / (hi - lo) * (bottom - top)

    slot = (right - left) / max(n, 1)
    xs = [left + slot * (i + 0.5) for i in range(n)]

    # Grid and axes.
    for t, text in zip(ticks, labels, strict=True):
        y = to_y(t)
        draw.line([(left, y), (right, y)], fill=GRID, width=s)
        draw.text((left - 8 * s, y), text, font=small, fill=LABEL, anchor="rm")
    draw.line([(left, top), (left, bottom)], fill=INK, width=s)
    draw.line([(left, bottom), (right, bottom)], fill=INK, width=s)

    # Period labels along the bottom: as many as fit, always the latest.
    widest = max((draw.textlength(p.label, font=small) for p in points), default=0.0) + 16 * s
    every = max(1, math.ceil(widest / slot)) if slot else 1
    for i in range(n - 1, -1, -every):
        draw.line([(xs[i], bottom), (xs[i], bottom + 5 * s)], fill=INK, width=s)
        draw.text((xs[i], bottom + 8 * s), points[i].label, font=small, fill=LABEL, anchor="mt")

    # Limits, mean, target, then the series on top.
    dash = (8.0 * s, 5.0 * s)
    for limits in ([p.upper_limit for p in points], [p.lower_limit for p in points]):
        for run in _runs(xs, limits, to_y):
            _dashed(draw, run, GREY, 2 * s, dash)
    for run in _runs(xs, [p.mean for p in points], to_y):
        _dashed(draw, run, INK, 2 * s, (math.inf, 0.0))
    if chart.target is not None:
        _dashed(draw, [(left, to_y(chart.target)), (right, to_y(chart.target))], TARGET, 2 * s, (12.0 * s, 6.0 * s))
    for run in _runs(xs, [p.value for p in points], to_y):
        if len(run) > 1:
            draw.line(run, fill=GREY, width=3 * s, joint="curve")
    r = 4.5 * s
    for x, p in zip(xs, points, strict=True):
        if p.value is not None:
            y = to_y(p.value)
            draw.ellipse([(x - r, y - r), (x + r, y + r)], fill=COLOURS.get(p.point_type, GREY))

    # Legend.
    lx, ly = right + 20 * s, top + 4 * s
    for kind, colour, text in legend:
        mid = ly + 9 * s
        if kind == "line":
            draw.line([(lx, mid), (lx + 24 * s, mid)], fill=colour, width=(3 if text == "Value" else 2) * s)
        elif kind == "dash":
            _dashed(draw, [(lx, mid), (lx + 24 * s, mid)], colour, 2 * s, (7.0 * s, 4.0 * s))
        else:
            draw.ellipse([(lx + 12 * s - r, mid - r), (lx + 12 * s + r, mid + r)], fill=colour)
        draw.text((lx + 32 * s, mid), text, font=small, fill=INK, anchor="lm")
        ly += 22 * s

    out = io.BytesIO()
    img.reduce(s).save(out, format="PNG", dpi=(DPI, DPI), compress_level=3)
    return out.getvalue()
