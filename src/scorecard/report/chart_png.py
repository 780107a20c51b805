"""An SPC chart of the report model drawn as a PNG, for the Word paper.

Making Data Count style: the series as a grey line, each point coloured by its SPC point
type (grey common cause, blue improvement, orange concern, purple neutral), the mean as a
solid line, the process limits dashed, and the target, when there is one, in red.  The
chart only draws the model's points, means and limits; it computes nothing.  Axis labels
go through ``scorecard.numbers`` like every other figure.

Matplotlib is used without pyplot (a ``Figure`` on an Agg canvas): no global state, no
GUI backend, and quick to import.  The PNG carries no creation time or software version,
so the same chart gives the same bytes.
"""

from __future__ import annotations

import io
import math

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import FuncFormatter, MaxNLocator

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
    "common_cause": "Common cause",
    "special_cause_improvement": "Special cause: improvement",
    "special_cause_concern": "Special cause: concern",
    "special_cause_neutral_high": "Special cause: neither better nor worse",
    "special_cause_neutral_low": "Special cause: neither better nor worse",
}
TARGET = "#D5281B"
INK = "#0B0C0C"

WIDTH_IN = 6.3
HEIGHT_IN = 2.7
DPI = 150


def _nan(value: float | None) -> float:
    return math.nan if value is None else value


def _axis_label(unit: str, value: float) -> str:
    if unit == "percentage":
        return format_percent(value, 0)
    return format_number(value, 0 if abs(value) >= 10 or value == int(value) else 1)


def render_png(chart: Chart, *, width_in: float = WIDTH_IN, height_in: float = HEIGHT_IN, dpi: int = DPI) -> bytes:
    """The chart as PNG bytes (``width_in`` × ``height_in`` inches at ``dpi``)."""
    fig = Figure(figsize=(width_in, height_in), dpi=dpi)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    points = chart.points
    xs = list(range(len(points)))
    values = [_nan(p.value) for p in points]

    ax.plot(xs, [_nan(p.upper_limit) for p in points], color=GREY, linewidth=1, linestyle=(0, (4, 3)))
    ax.plot(xs, [_nan(p.lower_limit) for p in points], color=GREY, linewidth=1, linestyle=(0, (4, 3)))
    ax.plot(xs, [_nan(p.mean) for p in points], color=INK, linewidth=1)
    if chart.target is not None:
        ax.axhline(chart.target, color=TARGET, linewidth=1.2, linestyle=(0, (6, 3)))
    ax.plot(xs, values, color=GREY, linewidth=1.6, zorder=3)
    ax.scatter(xs, values, s=22, zorder=4, linewidths=0,
               c=[COLOURS.get(p.point_type, GREY) for p in points])

    ax.set_xlim(-0.5, len(points) - 0.5)
    step = max(1, math.ceil(len(points) / 16))
    ticks = xs[::step]
    ax.set_xticks(ticks, [points[i].label for i in ticks], rotation=45, ha="right", fontsize=7)
    ax.yaxis.set_major_locator(MaxNLocator(nbins=5))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: _axis_label(chart.unit, float(v))))
    ax.tick_params(axis="y", labelsize=7)
    ax.grid(axis="y", color="#E5E5E5", linewidth=0.6)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)

    legend = [Line2D([], [], color=GREY, linewidth=1.6, label="Value"),
              Line2D([], [], color=INK, linewidth=1, label="Mean"),
              Line2D([], [], color=GREY, linewidth=1, linestyle=(0, (4, 3)), label="Process limits")]
    if chart.target is not None:
        legend.append(Line2D([], [], color=TARGET, linewidth=1.2, linestyle=(0, (6, 3)), label="Target"))
    seen: list[str] = []
    for p in points:
        word = LEGEND_WORDS.get(p.point_type)
        if word and p.point_type != "common_cause" and word not in seen:
            seen.append(word)
            legend.append(Line2D([], [], color=COLOURS[p.point_type], marker="o", linestyle="", label=word))
    ax.legend(handles=legend, fontsize=6.5, frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    fig.subplots_adjust(left=0.08, right=0.72, top=0.96, bottom=0.25)

    out = io.BytesIO()
    fig.savefig(out, format="png", dpi=dpi, metadata={"Software": None}, pil_kwargs={"compress_level": 2})
    return out.getvalue()
