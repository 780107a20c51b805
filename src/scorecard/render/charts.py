"""One chart implementation: SPC charts, sparklines and icons drawn once as SVG.

The web page embeds the SVG; the Word paper gets the same SVG rasterised (``png``, by resvg),
so the page and the paper show the same chart in the same colours.  No JavaScript and nothing
random: the same model always gives the same bytes, so output can be snapshot-tested.  Every
graphic carries its own text alternative — ``<title>`` and ``<desc>`` (a chart's ``<desc>`` is
the model's ``Chart.alt_text``) — and no meaning rests on colour alone: SPC point types differ in
shape as well as colour (Making Data Count colours: blue improvement, orange concern, grey
common cause, purple neutral), and every icon stands beside its text label.

Layout rules decided here, and only layout: a count's axis starts at zero and no process
limit is drawn below zero (a count cannot be negative); tick labels are formatted by
``scorecard.documents.format``; the figures themselves arrive as text in the model.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

from markupsafe import Markup, escape

from scorecard.documents import format as fmt
from scorecard.documents.model import Chart, ChartPoint, Icon
from scorecard.units import UNITS, Unit

__all__ = ["chart_svg", "icon_svg", "line_legend_svg", "png", "point_legend_svg", "sparkline_svg"]

POINT_TYPE_LABELS = {
    "common_cause": "Common cause",
    "special_cause_improvement": "Special cause: improvement",
    "special_cause_concern": "Special cause: concern",
    "special_cause_neutral_high": "Special cause: unusually high",
    "special_cause_neutral_low": "Special cause: unusually low",
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


def _domain(values: Iterable[float], from_zero: bool) -> tuple[float, float, float]:
    vals = list(values)
    lo, hi = min(vals), max(vals)
    if from_zero:
        lo = 0.0
    if hi == lo:
        pad = abs(hi) * 0.1 or 1.0
        lo, hi = lo - pad, hi + pad
        if from_zero:
            lo = max(lo, 0.0)
    step = _nice_step(hi - lo)
    return math.floor(lo / step) * step, math.ceil(hi / step) * step, step


# --------------------------------------------------------------------------- SPC chart

WIDTH, HEIGHT = 680, 360
LEFT, RIGHT, TOP, BOTTOM = 78, 24, 20, 70


def _segments(levels: Sequence[float | None]) -> list[tuple[int, int, float]]:
    """Runs of consecutive points sharing one level (a rebased mean starts a new run)."""
    runs: list[tuple[int, int, float]] = []
    start = 0
    for i in range(1, len(levels) + 1):
        if i == len(levels) or levels[i] != levels[start]:
            v = levels[start]
            if v is not None:
                runs.append((start, i - 1, v))
            start = i
    return runs


def _tick(value: float, unit: Unit, places: int) -> str:
    """An axis tick in the unit's style, to the tick step's decimals (layout, not a figure)."""
    if unit.kind == "percentage":
        return f"{fmt.number_text(value, Unit('tick', 'score', 'mean', places))}%"
    if unit.kind == "money":
        return "£" + fmt.number_text(value, Unit("tick", "score", "mean", places))
    return fmt.number_text(value, Unit("tick", "score", "mean", places))


def _lower(chart: Chart, p: ChartPoint) -> float | None:
    """A point's lower process limit, unless it is below zero for a count (never drawn)."""
    if p.lower is None or (chart.counts and p.lower < 0):
        return None
    return p.lower


def chart_svg(chart: Chart, id_prefix: str | None = None) -> Markup:
    """An XmR chart: values and points, mean, dashed process limits, the target if any.

    ``id_prefix`` (default the chart's id) must be unique in the page; it names the
    ``<title>`` and ``<desc>`` that label the ``<svg role="img">``.
    """
    id_prefix = id_prefix or chart.id
    pts = chart.points
    target = chart.target.value if chart.target is not None else None
    numeric = [v for p in pts for v in (p.value.value, p.mean, _lower(chart, p), p.upper) if v is not None]
    if target is not None:
        numeric.append(target)
    if not numeric:
        numeric = [0.0, 1.0]
    lo, hi, step = _domain(numeric, chart.counts)
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
        f'<desc id="{desc_id}">{escape(chart.alt_text)}</desc>',
        f'<defs><clipPath id="{clip_id}"><rect x="{LEFT}" y="{TOP}" width="{pw}" height="{ph}"/></clipPath></defs>',
        f'<rect x="{LEFT}" y="{TOP}" width="{pw}" height="{ph}" fill="#ffffff"/>',
    ]
    # gridlines and y-axis ticks
    places = _step_places(step)
    ticks = round((hi - lo) / step)
    tick_unit = UNITS[chart.unit]
    out.append('<g class="app-chart__grid" font-size="13" fill="#0b0c0c" text-anchor="end">')
    for k in range(ticks + 1):
        v = lo + k * step
        yy = y(v)
        label = _tick(v, tick_unit, places)
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
    axis = chart.y_label
    out.append(f'<text transform="translate(18 {TOP + ph / 2:g}) rotate(-90)" font-size="14" font-weight="bold" '
               f'fill="#0b0c0c" text-anchor="middle">{escape(axis)}</text>')
    # mean, limits and target, clipped to the plot area
    out.append(f'<g clip-path="url(#{clip_id})" fill="none">')
    levels = {"lower_limit": [_lower(chart, p) for p in pts], "upper_limit": [p.upper for p in pts],
              "mean": [p.mean for p in pts]}
    for attr, style in (("lower_limit", f'stroke="{DARK}" stroke-width="1.5" stroke-dasharray="6 4"'),
                        ("upper_limit", f'stroke="{DARK}" stroke-width="1.5" stroke-dasharray="6 4"'),
                        ("mean", f'stroke="{BLACK}" stroke-width="1.5"')):
        for a, b, v in _segments(levels[attr]):
            x1, x2 = (x(a), x(b)) if a != b else (x(a) - 6, x(b) + 6)
            out.append(f'<line class="app-chart__{attr.replace("_", "-")}" x1="{_n(x1)}" y1="{_n(y(v))}" '
                       f'x2="{_n(x2)}" y2="{_n(y(v))}" {style}/>')
    if target is not None:
        out.append(f'<line class="app-chart__target" x1="{LEFT}" y1="{_n(y(target))}" x2="{LEFT + pw}" '
                   f'y2="{_n(y(target))}" stroke="{TARGET}" stroke-width="2.5" stroke-dasharray="2 3"/>')
    out.append("</g>")
    # the value line, broken where a value is missing, then the points on top
    out.extend(_lines([None if p.value.value is None else (x(i), y(p.value.value)) for i, p in enumerate(pts)],
                      f'class="app-chart__value" fill="none" stroke="{DARK}" stroke-width="2" '
                      'stroke-linejoin="round"'))
    out.append('<g class="app-chart__points">')
    for i, p in enumerate(pts):
        if p.value.value is None:
            continue
        colour, shape = POINT_STYLE.get(p.point_type, (GREY, "circle"))
        out.append(_marker(shape, x(i), y(p.value.value), colour))
    out.append("</g>")
    out.append("</svg>")
    return Markup("\n".join(out))


# --------------------------------------------------------------------------- sparkline


def _lines(points: Sequence[tuple[float, float] | None], attributes: str) -> list[str]:
    """A polyline through ``points``, broken where a value is missing (None): a gap is never
    bridged, and a lone point gets no line (its marker, if any, shows it)."""
    runs: list[list[str]] = [[]]
    for point in points:
        if point is None:
            runs.append([])
        else:
            runs[-1].append(f"{_n(point[0])},{_n(point[1])}")
    return [f'<polyline points="{" ".join(run)}" {attributes}/>' for run in runs if len(run) > 1]


def sparkline_svg(values: Sequence[float | None], description: str, title: str, id_prefix: str) -> Markup:
    """A small trend line; its accessible name says what it is, ``description`` says its values."""
    spark_w, spark_h, pad = 112, 28, 4.0
    present = [v for v in values if v is not None]
    name = f"Trend for {title}"
    desc_id = f"{id_prefix}-desc"
    out = [f'<svg class="app-sparkline" xmlns="http://www.w3.org/2000/svg" width="{spark_w}" height="{spark_h}" '
           f'viewBox="0 0 {spark_w} {spark_h}" role="img" aria-label="{escape(name)}" '
           f'aria-describedby="{desc_id}" focusable="false">',
           f"<title>{escape(name)}</title>",
           f'<desc id="{desc_id}">{escape(description)}</desc>']
    if present:
        lo, hi = min(present), max(present)
        span = (hi - lo) or 1.0
        n = len(values)

        def sx(i: int) -> float:
            return pad + (i * (spark_w - 2 * pad) / (n - 1) if n > 1 else (spark_w - 2 * pad) / 2)

        def sy(v: float) -> float:
            return spark_h - pad - (v - lo) / span * (spark_h - 2 * pad) if hi != lo else spark_h / 2

        out.extend(_lines([None if v is None else (sx(i), sy(v)) for i, v in enumerate(values)],
                          f'fill="none" stroke="{DARK}" stroke-width="1.5" stroke-linejoin="round"'))
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


def _status_icon(name: str, label: str) -> Markup:
    if name in ("target_met", "better_than_baseline"):
        body = (f'<circle cx="12" cy="12" r="11" fill="{GREEN}"/>'
                '<path d="M6.5 12.5l3.5 3.5 7-8" fill="none" stroke="#ffffff" stroke-width="2.6" '
                'stroke-linecap="round" stroke-linejoin="round"/>')
        return _icon(body, label, "Icon: a tick in a green circle")
    if name in ("target_missed", "worse_than_baseline"):
        body = (f'<circle cx="12" cy="12" r="11" fill="{RED}"/>'
                '<path d="M8 8l8 8M16 8l-8 8" stroke="#ffffff" stroke-width="2.6" stroke-linecap="round"/>')
        return _icon(body, label, "Icon: a cross in a red circle")
    if name == "similar_to_baseline":
        body = (f'<circle cx="12" cy="12" r="11" fill="{DARK}"/>'
                '<path d="M7 9.5h10M7 14.5h10" stroke="#ffffff" stroke-width="2.4" stroke-linecap="round"/>')
        return _icon(body, label, "Icon: an equals sign in a grey circle")
    if name == "no_data":
        body = (f'<circle cx="12" cy="12" r="10" fill="#ffffff" stroke="{DARK}" stroke-width="2"/>'
                f'<text x="12" y="16.5" font-size="13" font-weight="bold" text-anchor="middle" fill="{DARK}">?</text>')
        return _icon(body, label, "Icon: a question mark in a grey ring")
    body = (f'<circle cx="12" cy="12" r="10" fill="#ffffff" stroke="{DARK}" stroke-width="2"/>'
            f'<path d="M7.5 12h9" stroke="{DARK}" stroke-width="2.4" stroke-linecap="round"/>')
    return _icon(body, label, "Icon: a dash in a grey ring")


_VARIATION_ICON_STYLE = {
    "common_cause": (GREY, ""),
    "improvement_high": (BLUE, "H"),  # (colour, letter)
    "improvement_low": (BLUE, "L"),
    "concern_high": (ORANGE, "H"),
    "concern_low": (ORANGE, "L"),
    "neutral_high": (PURPLE, "H"),
    "neutral_low": (PURPLE, "L"),
}


def _variation_icon(name: str, label: str) -> Markup:
    """Making Data Count variation icon: a ring in the variation's colour, H or L for special
    cause high or low, a level wave for common cause."""
    colour, letter = _VARIATION_ICON_STYLE.get(name, (GREY, ""))
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
    "pass": (BLUE, "P", "the letter P in a blue ring"),
    "fail": (ORANGE, "F", "the letter F in an orange ring"),
    "inconsistent": (GREY, "?", "a question mark in a grey ring"),
}


def _assurance_icon(name: str, label: str) -> Markup:
    """Making Data Count assurance icon: P (pass), F (fail) or ? (hit and miss)."""
    colour, letter, shape = _ASSURANCE_ICON_STYLE.get(name, (GREY, "?", "a question mark in a grey ring"))
    body = (f'<circle cx="12" cy="12" r="10" fill="#ffffff" stroke="{colour}" stroke-width="2.5"/>'
            f'<text x="12" y="16.5" font-size="13" font-weight="bold" text-anchor="middle" fill="{colour}">'
            f"{letter}</text>")
    return _icon(body, label, f"Icon: {shape}")


def icon_svg(icon: Icon) -> Markup:
    """The SVG for a model icon (status, variation or assurance), decorative beside its label."""
    if icon.kind == "status":
        return _status_icon(icon.name, icon.label)
    if icon.kind == "variation":
        return _variation_icon(icon.name, icon.label)
    return _assurance_icon(icon.name, icon.label)


# --------------------------------------------------------------------------- rasterised, for Word

def png(svg: str, width_px: int = 1360) -> bytes:
    """The SVG as a PNG (resvg, with the system's fonts: Liberation Sans stands in for Arial),
    for documents that cannot embed SVG."""
    import resvg_py

    return bytes(resvg_py.svg_to_bytes(svg_string=str(svg), width=width_px, background="#ffffff",
                                       font_family="Liberation Sans", sans_serif_family="Liberation Sans"))
