"""Hand-written SVG for the HTML statement: SPC charts, sparklines and scorecard icons.

No JavaScript and nothing random: the same model always gives the same bytes, so the
rendered page can be snapshot-tested.  Every graphic carries its own text alternative —
``<title>`` and ``<desc>`` (an SPC chart's ``<desc>`` is the model's ``Chart.summary``)
— and no meaning rests on colour alone: SPC point types differ in shape as well as
colour (Making Data Count colours: blue improvement, orange concern, grey common cause,
purple neutral), and every icon stands beside its text label.

Numbers are formatted with :mod:`scorecard.numbers` only; the arithmetic here is drawing
(pixel positions and axis ticks), never a figure that a reader sees as a result.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

from markupsafe import Markup, escape

from scorecard.numbers import format_number, format_percent, round_half_away
from scorecard.report.model import Chart, ChartPoint

__all__ = [
    "ASSURANCE_LABELS",
    "POINT_TYPE_LABELS",
    "STATUS_LABELS",
    "VARIATION_LABELS",
    "VARIATION_SHORT_LABELS",
    "assurance_icon_svg",
    "format_value",
    "line_legend_svg",
    "places_for",
    "point_legend_svg",
    "sparkline_svg",
    "spc_chart_svg",
    "status_icon_svg",
    "variation_icon_svg",
]

# --------------------------------------------------------------------------- formatting

MISSING = "–"


def places_for(value: float, unit: str) -> int:
    """Decimal places a figure of ``unit`` is shown with: whole counts as whole numbers."""
    if unit == "percentage":
        return 1
    if unit in ("count", "seconds", "minutes"):
        return 0 if float(value).is_integer() else 1
    return 1


def _no_negative_zero(value: float, places: int) -> float:
    """A value that rounds to zero is shown as 0, never "-0" or "-0.0"."""
    return 0.0 if round_half_away(value, places) == 0 else value


def format_value(value: float | None, unit: str, places: int | None = None) -> str:
    """A figure in UK style for its unit: "28,675", "92.1%", "12.2"; an en dash when missing."""
    if value is None:
        return MISSING
    p = places_for(value, unit) if places is None else places
    v = _no_negative_zero(value, p)
    if unit == "percentage":
        return format_percent(v, p)
    return format_number(v, p)


# --------------------------------------------------------------------------- vocabularies

POINT_TYPE_LABELS = {
    "common_cause": "Common cause",
    "special_cause_improvement": "Special cause: improvement",
    "special_cause_concern": "Special cause: concern",
    "special_cause_neutral_high": "Special cause: unusually high",
    "special_cause_neutral_low": "Special cause: unusually low",
}

VARIATION_LABELS = {
    "common_cause": "Common cause variation",
    "special_cause_improvement": "Special cause: improvement",
    "special_cause_concern": "Special cause: concern",
    "special_cause_neutral_high": "Special cause: unusually high",
    "special_cause_neutral_low": "Special cause: unusually low",
}

VARIATION_SHORT_LABELS = {
    "common_cause": "Common cause",
    "special_cause_improvement": "Improvement",
    "special_cause_concern": "Concern",
    "special_cause_neutral_high": "Unusually high",
    "special_cause_neutral_low": "Unusually low",
}

ASSURANCE_LABELS = {
    "consistent_pass": "Consistently meets target",
    "consistent_fail": "Consistently misses target",
    "inconsistent": "Hit and miss",
}

STATUS_LABELS = {
    "target_met": "Target met",
    "target_missed": "Target missed",
    "better_than_baseline": "Better than baseline",
    "worse_than_baseline": "Worse than baseline",
    "similar_to_baseline": "Similar to baseline",
    "no_comparison": "Not judged",
    "no_data": "No data",
}

# Colours with at least 3:1 contrast on white (WCAG 1.4.11), in Making Data Count's scheme.
BLUE = "#1d70b8"
ORANGE = "#d45a00"
GREY = "#6f777b"
PURPLE = "#4c2c92"
DARK = "#505a5f"
BLACK = "#0b0c0c"
GREEN = "#00703c"
RED = "#d4351c"
TARGET = "#912b88"

_COLOUR_NAMES = {GREY: "grey", BLUE: "blue", ORANGE: "orange", PURPLE: "purple"}

# point type -> (colour, marker shape)
POINT_STYLE: dict[str, tuple[str, str]] = {
    "common_cause": (GREY, "circle"),
    "special_cause_improvement": (BLUE, "triangle"),
    "special_cause_concern": (ORANGE, "diamond"),
    "special_cause_neutral_high": (PURPLE, "square"),
    "special_cause_neutral_low": (PURPLE, "square"),
}


def _n(x: float) -> str:
    """A coordinate with two decimals at most and no trailing zeros (stable output)."""
    text = f"{x:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _marker(shape: str, x: float, y: float, colour: str, size: float = 5.0) -> str:
    common = f'fill="{colour}" stroke="#ffffff" stroke-width="1"'
    if shape == "triangle":
        s = size * 1.25
        pts = f"{_n(x)},{_n(y - s)} {_n(x + s)},{_n(y + s * 0.8)} {_n(x - s)},{_n(y + s * 0.8)}"
        return f'<polygon points="{pts}" {common}/>'
    if shape == "diamond":
        s = size * 1.3
        pts = f"{_n(x)},{_n(y - s)} {_n(x + s)},{_n(y)} {_n(x)},{_n(y + s)} {_n(x - s)},{_n(y)}"
        return f'<polygon points="{pts}" {common}/>'
    if shape == "square":
        s = size * 0.9
        return f'<rect x="{_n(x - s)}" y="{_n(y - s)}" width="{_n(2 * s)}" height="{_n(2 * s)}" {common}/>'
    return f'<circle cx="{_n(x)}" cy="{_n(y)}" r="{_n(size)}" {common}/>'


def point_legend_svg(point_type: str) -> Markup:
    """A small swatch of a point type's marker, for a legend beside its text (decorative)."""
    colour, shape = POINT_STYLE.get(point_type, (GREY, "circle"))
    name = _COLOUR_NAMES[colour]
    return Markup(f'<svg class="app-legend-swatch" width="16" height="16" viewBox="0 0 16 16" aria-hidden="true" '
                  f'focusable="false"><title>{escape(POINT_TYPE_LABELS.get(point_type, point_type))}</title>'
                  f"<desc>Legend marker: {name} {shape}</desc>{_marker(shape, 8, 8.5, colour, 5)}</svg>")


def line_legend_svg(kind: str) -> Markup:
    """A short sample of a chart line (value, mean, limit or target) for the legend (decorative)."""
    style, name, look = {
        "value": (f'stroke="{DARK}" stroke-width="2"', "Value", "solid dark grey line through a point"),
        "mean": (f'stroke="{BLACK}" stroke-width="1.5"', "Mean", "thin solid black line"),
        "limit": (f'stroke="{DARK}" stroke-width="1.5" stroke-dasharray="6 4"', "Process limits", "dashed grey line"),
        "target": (f'stroke="{TARGET}" stroke-width="2.5" stroke-dasharray="2 3"', "Target", "dotted pink line"),
    }[kind]
    dot = f'<circle cx="14" cy="8" r="3.5" fill="{GREY}" stroke="#ffffff" stroke-width="1"/>' if kind == "value" else ""
    return Markup(f'<svg class="app-legend-swatch" width="28" height="16" viewBox="0 0 28 16" aria-hidden="true" '
                  f'focusable="false"><title>{name}</title><desc>Legend sample: {look}</desc>'
                  f'<line x1="1" y1="8" x2="27" y2="8" {style}/>{dot}</svg>')


# --------------------------------------------------------------------------- axes


def _nice_step(span: float, ticks: int = 5) -> float:
    raw = span / ticks
    mag = 10.0 ** math.floor(math.log10(raw))
    for m in (1, 2, 2.5, 5, 10):
        if raw <= m * mag:
            return m * mag
    return 10 * mag


def _step_places(step: float) -> int:
    places = 0
    while places < 6 and not math.isclose(step * 10**places, round(step * 10**places), abs_tol=1e-9):
        places += 1
    return places


def _domain(values: Iterable[float], non_negative: bool) -> tuple[float, float, float]:
    vals = list(values)
    lo, hi = min(vals), max(vals)
    if non_negative:
        lo = max(lo, 0.0)
    if hi == lo:
        pad = abs(hi) * 0.1 or 1.0
        lo, hi = lo - pad, hi + pad
        if non_negative:
            lo = max(lo, 0.0)
    step = _nice_step(hi - lo)
    return math.floor(lo / step) * step, math.ceil(hi / step) * step, step


AXIS_LABELS = {
    "count": "Number",
    "percentage": "Per cent",
    "rate": "Rate",
    "seconds": "Seconds",
    "minutes": "Minutes",
    "score": "Score",
}


# --------------------------------------------------------------------------- SPC chart

WIDTH, HEIGHT = 680, 360
LEFT, RIGHT, TOP, BOTTOM = 78, 24, 20, 70


def _segments(points: Sequence[ChartPoint], attr: str) -> list[tuple[int, int, float]]:
    """Runs of consecutive points sharing one value of ``attr`` (a rebased mean starts a new run)."""
    runs: list[tuple[int, int, float]] = []
    start = 0
    def level(i: int) -> float | None:
        value: float | None = getattr(points[i], attr)
        return value

    for i in range(1, len(points) + 1):
        if i == len(points) or level(i) != level(start):
            v = level(start)
            if v is not None:
                runs.append((start, i - 1, v))
            start = i
    return runs


def spc_chart_svg(chart: Chart, id_prefix: str) -> Markup:
    """An XmR chart: values and points, mean, dashed process limits, the target if any.

    ``id_prefix`` must be unique in the page; it names the ``<title>`` and ``<desc>`` that
    label the ``<svg role="img">``.
    """
    pts = chart.points
    numeric = [v for p in pts for v in (p.value, p.mean, p.lower_limit, p.upper_limit) if v is not None]
    if chart.target is not None:
        numeric.append(chart.target)
    if not numeric:
        numeric = [0.0, 1.0]
    non_negative = all(p.value is None or p.value >= 0 for p in pts)
    lo, hi, step = _domain(numeric, non_negative)
    pw, ph = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    n = len(pts)
    inset = 14.0

    def x(i: int) -> float:
        if n == 1:
            return LEFT + pw / 2
        return LEFT + inset + i * (pw - 2 * inset) / (n - 1)

    def y(v: float) -> float:
        return TOP + ph - (v - lo) / (hi - lo) * ph

    title_id, desc_id, clip_id = f"{id_prefix}-title", f"{id_prefix}-desc", f"{id_prefix}-clip"
    out: list[str] = [
        f'<svg class="app-chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'role="img" aria-labelledby="{title_id}" aria-describedby="{desc_id}" focusable="false" '
        f'font-family="arial, sans-serif">',
        f'<title id="{title_id}">Statistical process control chart: {escape(chart.title)}</title>',
        f'<desc id="{desc_id}">{escape(chart.summary)}</desc>',
        f'<defs><clipPath id="{clip_id}"><rect x="{LEFT}" y="{TOP}" width="{pw}" height="{ph}"/></clipPath></defs>',
        f'<rect x="{LEFT}" y="{TOP}" width="{pw}" height="{ph}" fill="#ffffff"/>',
    ]
    # gridlines and y-axis ticks
    places = _step_places(step)
    ticks = round((hi - lo) / step)
    out.append('<g class="app-chart__grid" font-size="13" fill="#0b0c0c" text-anchor="end">')
    for k in range(ticks + 1):
        v = lo + k * step
        yy = y(v)
        label = format_value(v, chart.unit, places)
        out.append(f'<line x1="{LEFT}" y1="{_n(yy)}" x2="{LEFT + pw}" y2="{_n(yy)}" stroke="#d8dadb" '
                   f'stroke-width="1"/>')
        out.append(f'<text x="{LEFT - 8}" y="{_n(yy + 4.5)}">{escape(label)}</text>')
    out.append("</g>")
    # axes
    out.append(f'<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{TOP + ph}" stroke="{BLACK}" stroke-width="1"/>')
    out.append(f'<line x1="{LEFT}" y1="{TOP + ph}" x2="{LEFT + pw}" y2="{TOP + ph}" stroke="{BLACK}" '
               f'stroke-width="1"/>')
    # x-axis labels: at most seven, evenly spaced, always the last
    every = max(1, math.ceil(n / 7))
    shown = [i for i in range(n) if (n - 1 - i) % every == 0]
    out.append('<g font-size="13" fill="#0b0c0c" text-anchor="middle">')
    for i in shown:
        out.append(f'<line x1="{_n(x(i))}" y1="{TOP + ph}" x2="{_n(x(i))}" y2="{TOP + ph + 5}" stroke="{BLACK}"/>')
        out.append(f'<text x="{_n(x(i))}" y="{TOP + ph + 20}">{escape(pts[i].label)}</text>')
    out.append("</g>")
    out.append(f'<text x="{LEFT + pw / 2:g}" y="{HEIGHT - 12}" font-size="14" font-weight="bold" fill="#0b0c0c" '
               f'text-anchor="middle">Period</text>')
    axis = AXIS_LABELS.get(chart.unit, chart.unit.capitalize())
    out.append(f'<text transform="translate(18 {TOP + ph / 2:g}) rotate(-90)" font-size="14" font-weight="bold" '
               f'fill="#0b0c0c" text-anchor="middle">{escape(axis)}</text>')
    # mean, limits and target, clipped to the plot area
    out.append(f'<g clip-path="url(#{clip_id})" fill="none">')
    for attr, style in (("lower_limit", f'stroke="{DARK}" stroke-width="1.5" stroke-dasharray="6 4"'),
                        ("upper_limit", f'stroke="{DARK}" stroke-width="1.5" stroke-dasharray="6 4"'),
                        ("mean", f'stroke="{BLACK}" stroke-width="1.5"')):
        for a, b, v in _segments(pts, attr):
            x1, x2 = (x(a), x(b)) if a != b else (x(a) - 6, x(b) + 6)
            out.append(f'<line class="app-chart__{attr.replace("_", "-")}" x1="{_n(x1)}" y1="{_n(y(v))}" '
                       f'x2="{_n(x2)}" y2="{_n(y(v))}" {style}/>')
    if chart.target is not None:
        out.append(f'<line class="app-chart__target" x1="{LEFT}" y1="{_n(y(chart.target))}" x2="{LEFT + pw}" '
                   f'y2="{_n(y(chart.target))}" stroke="{TARGET}" stroke-width="2.5" stroke-dasharray="2 3"/>')
    out.append("</g>")
    # the value line, broken where a value is missing, then the points on top
    runs: list[list[str]] = [[]]
    for i, p in enumerate(pts):
        if p.value is None:
            runs.append([])
        else:
            runs[-1].append(f"{_n(x(i))},{_n(y(p.value))}")
    for run in runs:
        if len(run) > 1:
            out.append(f'<polyline class="app-chart__value" points="{" ".join(run)}" fill="none" stroke="{DARK}" '
                       f'stroke-width="2" stroke-linejoin="round"/>')
    out.append('<g class="app-chart__points">')
    for i, p in enumerate(pts):
        if p.value is None:
            continue
        colour, shape = POINT_STYLE.get(p.point_type, (GREY, "circle"))
        out.append(_marker(shape, x(i), y(p.value), colour))
    out.append("</g>")
    out.append("</svg>")
    return Markup("\n".join(out))


# --------------------------------------------------------------------------- sparkline


def sparkline_svg(values: Sequence[float | None], labels: Sequence[str], unit: str, title: str,
                  id_prefix: str) -> Markup:
    """A small trend line; its accessible name says what it is, its description lists every value."""
    spark_w, spark_h, pad = 112, 28, 4.0
    present = [v for v in values if v is not None]
    desc = "; ".join(f"{label}: {format_value(v, unit)}" for label, v in zip(labels, values, strict=False))
    if labels:
        name = f"Trend for {title}, {len(values)} periods from {labels[0]} to {labels[-1]}"
    else:
        name = f"Trend for {title}"
    desc_id = f"{id_prefix}-desc"
    out = [f'<svg class="app-sparkline" xmlns="http://www.w3.org/2000/svg" width="{spark_w}" height="{spark_h}" '
           f'viewBox="0 0 {spark_w} {spark_h}" role="img" aria-label="{escape(name)}" '
           f'aria-describedby="{desc_id}" focusable="false">',
           f"<title>{escape(name)}</title>",
           f'<desc id="{desc_id}">{escape(desc)}</desc>']
    if present:
        lo, hi = min(present), max(present)
        span = (hi - lo) or 1.0
        n = len(values)

        def sx(i: int) -> float:
            return pad + (i * (spark_w - 2 * pad) / (n - 1) if n > 1 else (spark_w - 2 * pad) / 2)

        def sy(v: float) -> float:
            return spark_h - pad - (v - lo) / span * (spark_h - 2 * pad) if hi != lo else spark_h / 2

        runs: list[list[str]] = [[]]
        for i, v in enumerate(values):
            if v is None:
                runs.append([])
            else:
                runs[-1].append(f"{_n(sx(i))},{_n(sy(v))}")
        for run in runs:
            if len(run) > 1:
                out.append(f'<polyline points="{" ".join(run)}" fill="none" stroke="{DARK}" stroke-width="1.5" '
                           f'stroke-linejoin="round"/>')
        last = max(i for i, v in enumerate(values) if v is not None)
        last_v = values[last]
        assert last_v is not None
        out.append(f'<circle cx="{_n(sx(last))}" cy="{_n(sy(last_v))}" r="2.5" fill="{BLACK}"/>')
    out.append("</svg>")
    return Markup("".join(out))


# --------------------------------------------------------------------------- icons


def _icon(body: str, title: str, description: str, size: int = 22) -> Markup:
    """A decorative icon beside its text label: hidden from assistive technology (the label
    says the same), with a ``<title>`` tooltip for pointer users."""
    return Markup(f'<svg class="app-icon" xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" '
                  f'viewBox="0 0 24 24" aria-hidden="true" focusable="false" font-family="arial, sans-serif">'
                  f"<title>{escape(title)}</title><desc>{escape(description)}</desc>{body}</svg>")


def status_icon_svg(status: str) -> Markup:
    label = STATUS_LABELS.get(status, status)
    if status in ("target_met", "better_than_baseline"):
        body = (f'<circle cx="12" cy="12" r="11" fill="{GREEN}"/>'
                '<path d="M6.5 12.5l3.5 3.5 7-8" fill="none" stroke="#ffffff" stroke-width="2.6" '
                'stroke-linecap="round" stroke-linejoin="round"/>')
        return _icon(body, label, "Icon: a tick in a green circle")
    if status in ("target_missed", "worse_than_baseline"):
        body = (f'<circle cx="12" cy="12" r="11" fill="{RED}"/>'
                '<path d="M8 8l8 8M16 8l-8 8" stroke="#ffffff" stroke-width="2.6" stroke-linecap="round"/>')
        return _icon(body, label, "Icon: a cross in a red circle")
    if status == "similar_to_baseline":
        body = (f'<circle cx="12" cy="12" r="11" fill="{DARK}"/>'
                '<path d="M7 9.5h10M7 14.5h10" stroke="#ffffff" stroke-width="2.4" stroke-linecap="round"/>')
        return _icon(body, label, "Icon: an equals sign in a grey circle")
    if status == "no_data":
        body = (f'<circle cx="12" cy="12" r="10" fill="#ffffff" stroke="{DARK}" stroke-width="2"/>'
                f'<text x="12" y="16.5" font-size="13" font-weight="bold" text-anchor="middle" fill="{DARK}">?</text>')
        return _icon(body, label, "Icon: a question mark in a grey ring")
    body = (f'<circle cx="12" cy="12" r="10" fill="#ffffff" stroke="{DARK}" stroke-width="2"/>'
            f'<path d="M7.5 12h9" stroke="{DARK}" stroke-width="2.4" stroke-linecap="round"/>')
    return _icon(body, label, "Icon: a dash in a grey ring")


_VARIATION_ICON_STYLE = {
    "common_cause.svg": (GREY, ""),
    "improvement_high.svg": (BLUE, "H"),  # (colour, letter)
    "improvement_low.svg": (BLUE, "L"),
    "concern_high.svg": (ORANGE, "H"),
    "concern_low.svg": (ORANGE, "L"),
    "neutral_high.svg": (PURPLE, "H"),
    "neutral_low.svg": (PURPLE, "L"),
}


def variation_icon_svg(icon: str | None, variation_type: str | None) -> Markup:
    """Making Data Count variation icon: a ring in the variation's colour, H or L for special
    cause high or low, a level wave for common cause."""
    if icon is None or variation_type is None:
        return Markup("")
    colour, letter = _VARIATION_ICON_STYLE.get(icon, (GREY, ""))
    label = VARIATION_LABELS.get(variation_type, variation_type)
    ring = f'<circle cx="12" cy="12" r="10" fill="#ffffff" stroke="{colour}" stroke-width="2.5"/>'
    if letter:
        body = ring + (f'<text x="12" y="16.5" font-size="13" font-weight="bold" text-anchor="middle" '
                       f'fill="{colour}">{letter}</text>')
        shape = f"the letter {letter} in a {_COLOUR_NAMES[colour]} ring"
    else:
        body = ring + f'<path d="M6 12c2-3 4-3 6 0s4 3 6 0" fill="none" stroke="{colour}" stroke-width="2"/>'
        shape = "a level wave in a grey ring"
    return _icon(body, label, f"Icon: {shape}")


_ASSURANCE_ICON_STYLE = {
    "pass.svg": (BLUE, "P", "the letter P in a blue ring"),
    "fail.svg": (ORANGE, "F", "the letter F in an orange ring"),
    "inconsistent.svg": (GREY, "?", "a question mark in a grey ring"),
}


def assurance_icon_svg(icon: str | None, assurance_type: str | None) -> Markup:
    """Making Data Count assurance icon: P (pass), F (fail) or ? (hit and miss)."""
    if icon is None or assurance_type is None:
        return Markup("")
    colour, letter, shape = _ASSURANCE_ICON_STYLE.get(icon, (GREY, "?", "a question mark in a grey ring"))
    label = ASSURANCE_LABELS.get(assurance_type, assurance_type)
    body = (f'<circle cx="12" cy="12" r="10" fill="#ffffff" stroke="{colour}" stroke-width="2.5"/>'
            f'<text x="12" y="16.5" font-size="13" font-weight="bold" text-anchor="middle" fill="{colour}">'
            f"{letter}</text>")
    return _icon(body, label, f"Icon: {shape}")
