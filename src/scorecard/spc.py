"""XmR charts with NHS England's "Making Data Count" rules, as NHSRplotthedots computes them.

A scorecard that says "special cause improvement" must mean by it exactly what an NHS or
police analyst's Making Data Count tool means, or the two will disagree in the same board
paper.  So this module reproduces the reference implementation, the R package
NHSRplotthedots 0.2.2 (``ptd_spc``), point by point — including its less obvious choices,
each marked "as the reference" below — and is checked against its output on real police
series (``tests/test_spc.py``, data in ``shared/spc-golden``).

The calculation, per segment (the points between two rebase positions):

* baseline = the segment's first ``fix_after_n_points`` values (all of them by default);
* centre line = mean of the baseline; mR̄ = mean of its moving ranges |xᵢ − xᵢ₋₁|;
* with outlier screening (the default), moving ranges ≥ 3.267·mR̄ are dropped and mR̄
  is taken again, once;
* process limits = mean ± 2.66·mR̄; the "outer third" starts at mean ± (2/3 × 2.66)·mR̄;
* four rules flag special cause: a point outside the limits; a shift of ``shift_length``
  (7) points on one side of the mean; a trend of ``trend_length`` (7) points each higher
  (or lower) than the one before; two of three points in the outer third, all three on
  the same side.

Every point gets one ``special_cause_type`` (the first rule that holds, in the order
limits, trend, two-in-three, shift) and from it a ``point_type``: the side of a limit,
two-in-three or shift rule, or the direction of a trend, is compared with the
improvement direction.  The latest point's type gives the variation icon; a target
compared with the latest limits gives the assurance icon.

Deliberate departures from the reference, none of which arise in its golden outputs:

* when every baseline moving range is zero (a flat baseline), screening keeps mR̄ = 0
  instead of dropping every range and ending with undefined (NaN) limits, so that
  screening on and off agree;
* limits that cannot be computed (a segment whose baseline is a single point) are
  ``None`` rather than NaN, and such points are never outside or close to them;
* a rebase date that is not in the series is an error instead of being ignored;
* ``fix_after_n_points`` may be below 12 (the reference refuses); segments shorter than
  12 points are flagged ``short`` as the reference's ``short_group_warning`` does.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from pathlib import Path
from typing import Any, Literal

from scorecard.errors import InputError

__all__ = [
    "CLOSE_FACTOR",
    "LIMIT_FACTOR",
    "SCREEN_FACTOR",
    "SHORT_SEGMENT",
    "AssuranceType",
    "Direction",
    "PointType",
    "Segment",
    "Series",
    "SpcError",
    "SpcOptions",
    "SpcPoint",
    "SpcResult",
    "assurance_icon",
    "assurance_type",
    "read_series_csv",
    "spc",
    "spc_rows",
    "variation_icon",
]

Direction = Literal["increase", "decrease", "neutral"]
PointType = Literal[
    "common_cause",
    "special_cause_improvement",
    "special_cause_concern",
    "special_cause_neutral_high",
    "special_cause_neutral_low",
]
AssuranceType = Literal["consistent_pass", "consistent_fail", "inconsistent"]

LIMIT_FACTOR = 2.66
"""Wheeler's 3/d₂ for moving ranges of two: limits sit this many mR̄ from the mean."""
CLOSE_FACTOR = 2 * (LIMIT_FACTOR / 3)
"""Start of the outer third of the band, written as the reference writes it so that a
point on the boundary falls the same side in both."""
SCREEN_FACTOR = 3.267
"""Upper range limit of the mR chart: a moving range at or above it is an outlier."""
SHORT_SEGMENT = 12
"""Fewer points than this and Making Data Count calls the limits provisional."""

_DIRECTIONS: tuple[Direction, ...] = ("increase", "decrease", "neutral")
_DIRECTION_SIGN: dict[Direction, int] = {"increase": 1, "decrease": -1, "neutral": 0}


class SpcError(ValueError):
    """Options or a series that the XmR calculation cannot be run on."""


@dataclass(frozen=True)
class Series:
    """Values in time order; ``dates`` is empty when the values have none.

    ``source`` names where the values came from, for messages only.
    """

    values: tuple[float, ...]
    dates: tuple[date, ...] = ()
    source: str | None = None

    def __post_init__(self) -> None:
        # Store floats in tuples whatever sequence of numbers came in, so results compare
        # and hash the same however the series was built.
        object.__setattr__(self, "values", tuple(float(v) for v in self.values))
        object.__setattr__(self, "dates", tuple(self.dates))
        if self.dates and len(self.dates) != len(self.values):
            raise SpcError(f"{len(self.dates)} dates for {len(self.values)} values")
        for i, v in enumerate(self.values):
            if not math.isfinite(v):
                raise SpcError(f"value {i + 1} is {v}: every point needs a finite value")
        for i in range(1, len(self.dates)):
            if self.dates[i] <= self.dates[i - 1]:
                raise SpcError(
                    f"dates must be strictly increasing: {self.dates[i].isoformat()} follows "
                    f"{self.dates[i - 1].isoformat()}"
                )


@dataclass(frozen=True)
class SpcOptions:
    """How to run the chart; the defaults are the reference's defaults.

    ``rebase`` lists where new segments start, each as a date in the series or a
    0-based position; each segment gets its own mean and limits.  ``fix_after_n_points``
    bases every segment's mean and limits on its first n points only, so later points
    are judged against a fixed baseline instead of moving it.  The direction defaults
    to "increase" because the reference's does; a police crime count usually wants
    "decrease".
    """

    direction: Direction = "increase"
    target: float | None = None
    rebase: tuple[date | int, ...] = ()
    fix_after_n_points: int | None = None
    screen_outliers: bool = True
    shift_length: int = 7
    trend_length: int = 7

    def __post_init__(self) -> None:
        # Accept any iterable of rebase points but store a tuple, so options stay hashable.
        object.__setattr__(self, "rebase", tuple(self.rebase))
        for r in self.rebase:
            if isinstance(r, bool) or not isinstance(r, date | int):
                raise SpcError(f"a rebase point must be a date or a 0-based position, not {r!r}")
        if self.direction not in _DIRECTIONS:
            raise SpcError(f"direction must be one of {', '.join(_DIRECTIONS)}, not {self.direction!r}")
        if self.target is not None and not math.isfinite(self.target):
            raise SpcError(f"target must be a finite number, not {self.target}")
        if self.fix_after_n_points is not None and self.fix_after_n_points < 2:
            raise SpcError(
                f"fix_after_n_points must be at least 2 (one moving range), not {self.fix_after_n_points}"
            )
        for name in ("shift_length", "trend_length"):
            if getattr(self, name) < 2:
                raise SpcError(f"{name} must be at least 2, not {getattr(self, name)}")


@dataclass(frozen=True)
class Segment:
    """One run of points between rebases, with the limits every one of its points shares.

    ``start``/``stop`` index the result's points (``stop`` exclusive); ``n_baseline``
    points made the limits; ``n_screened`` moving ranges were dropped as outliers.
    ``lpl``/``upl`` are ``None`` when the baseline has no moving range.
    """

    index: int
    start: int
    stop: int
    n_baseline: int
    n_screened: int
    mean: float
    mean_moving_range: float | None
    lpl: float | None
    upl: float | None

    @property
    def n_points(self) -> int:
        return self.stop - self.start

    @property
    def short(self) -> bool:
        """True when the reference would warn that the segment is too short to trust."""
        return self.n_points < SHORT_SEGMENT


@dataclass(frozen=True)
class SpcPoint:
    """One point of the chart and what the rules make of it.

    ``relative_to_mean`` is −1, 0 or 1.  ``special_cause_type`` is the reference's label
    for the rule that fired ("Above UCL", "7 Points Below CL", "2 in 3 Above CL",
    "7 Point Trend (Decreasing)", …, or "Common Cause"), with the configured run lengths
    in place of 7.
    """

    position: int
    date: date | None
    value: float
    segment: int
    baseline: bool
    mean: float
    lpl: float | None
    upl: float | None
    relative_to_mean: int
    outside_limits: bool
    close_to_limits: bool
    special_cause_type: str
    point_type: PointType

    @property
    def special_cause(self) -> bool:
        return self.point_type != "common_cause"


@dataclass(frozen=True)
class SpcResult:
    """The chart: every point, every segment, and the two Making Data Count icons.

    ``variation_type`` is the latest point's type; ``assurance_type`` is ``None``
    without a target or with a neutral direction.  Icons are the reference's file
    names (``improvement_low.svg``, ``pass.svg``, …).
    """

    options: SpcOptions
    points: tuple[SpcPoint, ...]
    segments: tuple[Segment, ...]
    variation_type: PointType | None
    assurance_type: AssuranceType | None
    variation_icon: str | None
    assurance_icon: str | None
    source: str | None = field(default=None)

    @property
    def last_segment(self) -> Segment | None:
        return self.segments[-1] if self.segments else None


# --------------------------------------------------------------------------- limits


def _mean(xs: Sequence[float]) -> float:
    # The exact mean, rounded once.  R's mean() gets the same by summing in extended
    # precision and adding back the residual; a naive float sum can be an ulp off, and
    # then a constant series of 0.1s has every point "above" its own mean.
    if all(x.is_integer() for x in xs):  # counts: int / int is correctly rounded, and fast
        return sum(map(int, xs)) / len(xs)
    return float(sum(map(Fraction, xs), Fraction(0)) / len(xs))


def _segment_limits(
    values: Sequence[float], index: int, start: int, stop: int, options: SpcOptions
) -> Segment:
    n_base = stop - start
    if options.fix_after_n_points is not None:
        n_base = min(n_base, options.fix_after_n_points)
    base = values[start : start + n_base]
    mean = _mean(base)
    ranges = [abs(base[i] - base[i - 1]) for i in range(1, len(base))]
    if not ranges:
        return Segment(index, start, stop, n_base, 0, mean, None, None, None)
    amr = _mean(ranges)
    n_screened = 0
    if options.screen_outliers:
        # As the reference: kept only if strictly below the cut, and screened once.
        cut = SCREEN_FACTOR * amr
        kept = [r for r in ranges if r < cut]
        if kept:
            n_screened = len(ranges) - len(kept)
            amr = _mean(kept)
        # else every range is zero (none can be below a cut of zero): keep them all and
        # mR̄ = 0, where the reference ends with NaN limits.
    return Segment(
        index,
        start,
        stop,
        n_base,
        n_screened,
        mean,
        amr,
        mean - LIMIT_FACTOR * amr,
        mean + LIMIT_FACTOR * amr,
    )


def _sign(x: float) -> int:
    return (x > 0) - (x < 0)


# --------------------------------------------------------------------------- rules


def _part_of_run(ends: Sequence[int], length: int) -> list[bool]:
    """A run is recorded at its last point; every point within ``length`` before one is in it."""
    out = [False] * len(ends)
    next_end = -1  # the nearest run end at or after i, if any
    for i in range(len(ends) - 1, -1, -1):
        if ends[i] != 0:
            next_end = i
        out[i] = next_end >= 0 and next_end - i < length
    return out


def _shift_ends(rtm: Sequence[int], length: int) -> list[int]:
    # A point on the mean (0) breaks a run, as the reference.
    ends = [0] * len(rtm)
    run = 0
    for i, r in enumerate(rtm):
        run = run + 1 if r != 0 and i > 0 and rtm[i - 1] == r else (1 if r != 0 else 0)
        if run >= length:
            ends[i] = r
    return ends


def _trend_ends(y: Sequence[float], length: int) -> list[int]:
    # Equal neighbours break a trend: each of the length-1 steps must be strictly one way.
    ends = [0] * len(y)
    run = 0
    prev_step = 0
    for i in range(1, len(y)):
        step = _sign(y[i] - y[i - 1])
        run = run + 1 if step != 0 and step == prev_step else (1 if step != 0 else 0)
        prev_step = step
        if run >= length - 1:
            ends[i] = step
    return ends


def _two_in_three(close: Sequence[bool], rtm: Sequence[int]) -> list[bool]:
    """Points in the outer third that belong to a 3-point window with ≥2 such points,
    all three on one side of the mean; the third point of the window is not flagged."""
    n = len(close)
    qualifies = [sum(close[s : s + 3]) >= 2 and abs(sum(rtm[s : s + 3])) == 3 for s in range(max(0, n - 2))]
    out = []
    for i in range(n):
        windows = (s for s in (i - 2, i - 1, i) if 0 <= s < n - 2)
        out.append(close[i] and any(qualifies[s] for s in windows))
    return out


def _special_cause_types(
    y: Sequence[float],
    rtm: Sequence[int],
    close: Sequence[bool],
    outside: Sequence[bool],
    options: SpcOptions,
) -> list[str]:
    n = len(y)
    trend = _part_of_run(_trend_ends(y, options.trend_length), options.trend_length)
    two3 = _two_in_three(close, rtm)
    shift = _part_of_run(_shift_ends(rtm, options.shift_length), options.shift_length)
    labels = []
    for i in range(n):
        side = "Above" if rtm[i] > 0 else "Below"  # on the mean counts as below, as the reference
        if outside[i]:
            labels.append("Above UCL" if rtm[i] == 1 else "Below LCL")
        elif trend[i]:
            # As the reference: a trend point takes the step after it when the next point
            # is in a trend too, else the step before it — so the turning point of two
            # touching trends belongs to the second.
            if i + 1 < n and trend[i + 1]:  # noqa: SIM108 - reads as the rule is stated
                step = _sign(y[i + 1] - y[i])
            else:
                step = _sign(y[i] - y[i - 1]) if i > 0 else 0
            way = "Increasing" if step == 1 else "Decreasing"
            labels.append(f"{options.trend_length} Point Trend ({way})")
        elif two3[i]:
            labels.append(f"2 in 3 {side} CL")
        elif shift[i]:
            labels.append(f"{options.shift_length} Points {side} CL")
        else:
            labels.append("Common Cause")
    return labels


def _point_type(label: str, direction: Direction) -> PointType:
    if "Above" in label or "Increasing" in label:
        v = 1
    elif "Below" in label or "Decreasing" in label:
        v = -1
    else:
        return "common_cause"
    if direction == "neutral":
        return "special_cause_neutral_high" if v > 0 else "special_cause_neutral_low"
    v *= _DIRECTION_SIGN[direction]
    return "special_cause_improvement" if v > 0 else "special_cause_concern"


# --------------------------------------------------------------------------- icons


def variation_icon(point_type: PointType, direction: Direction) -> str:
    """The Making Data Count variation icon file for a point type.

    The icon says which way the data moved (high/low), so concern and improvement swap
    sides with the direction.
    """
    if point_type == "common_cause":
        return "common_cause.svg"
    if point_type == "special_cause_neutral_high":
        return "neutral_high.svg"
    if point_type == "special_cause_neutral_low":
        return "neutral_low.svg"
    up = direction == "increase"
    if point_type == "special_cause_improvement":
        return "improvement_high.svg" if up else "improvement_low.svg"
    return "concern_low.svg" if up else "concern_high.svg"


def assurance_type(
    target: float | None, lpl: float | None, upl: float | None, direction: Direction
) -> AssuranceType | None:
    """Whether the process as it stands will meet the target: only a target outside the
    limits is met (or missed) every time; one inside them is hit and miss."""
    if target is None or direction == "neutral":
        return None
    increasing = direction == "increase"
    if upl is not None and target > upl:
        return "consistent_fail" if increasing else "consistent_pass"
    if lpl is not None and target < lpl:
        return "consistent_pass" if increasing else "consistent_fail"
    return "inconsistent"


def assurance_icon(kind: AssuranceType | None) -> str | None:
    if kind is None:
        return None
    return {"consistent_pass": "pass.svg", "consistent_fail": "fail.svg", "inconsistent": "inconsistent.svg"}[
        kind
    ]


# --------------------------------------------------------------------------- main entry


def _segment_starts(series: Series, rebase: Iterable[date | int]) -> list[int]:
    n = len(series.values)
    where = {d: i for i, d in enumerate(series.dates)}
    starts = {0}
    for r in rebase:
        if isinstance(r, date):
            if r not in where:
                if not series.dates:
                    raise SpcError(f"cannot rebase at {r.isoformat()}: the series has no dates")
                raise SpcError(f"cannot rebase at {r.isoformat()}: no point has that date")
            starts.add(where[r])
        else:
            if not 0 <= r < n:
                raise SpcError(f"cannot rebase at position {r}: the series has {n} points")
            starts.add(r)
    return sorted(starts)


def spc(series: Series | Sequence[float], options: SpcOptions | None = None) -> SpcResult:
    """Run the XmR chart on a series; ``options`` default to the reference's defaults."""
    if not isinstance(series, Series):
        series = Series(tuple(series))
    opts = options if options is not None else SpcOptions()
    values = series.values
    n = len(values)
    if n == 0:
        return SpcResult(opts, (), (), None, None, None, None, series.source)

    starts = _segment_starts(series, opts.rebase)
    bounds = list(zip(starts, [*starts[1:], n], strict=True))
    segments = tuple(_segment_limits(values, k, a, b, opts) for k, (a, b) in enumerate(bounds))

    points: list[SpcPoint] = []
    for seg in segments:
        y = values[seg.start : seg.stop]
        rtm = [_sign(v - seg.mean) for v in y]
        if seg.lpl is None or seg.upl is None or seg.mean_moving_range is None:
            outside = [False] * len(y)
            close = [False] * len(y)
        else:
            lpl, upl = seg.lpl, seg.upl
            nlpl = seg.mean - CLOSE_FACTOR * seg.mean_moving_range
            nupl = seg.mean + CLOSE_FACTOR * seg.mean_moving_range
            outside = [v > upl or v < lpl for v in y]
            close = [not o and (v < nlpl or v > nupl) for v, o in zip(y, outside, strict=True)]
        labels = _special_cause_types(y, rtm, close, outside, opts)
        for j, v in enumerate(y):
            i = seg.start + j
            points.append(
                SpcPoint(
                    position=i,
                    date=series.dates[i] if series.dates else None,
                    value=v,
                    segment=seg.index,
                    baseline=j < seg.n_baseline,
                    mean=seg.mean,
                    lpl=seg.lpl,
                    upl=seg.upl,
                    relative_to_mean=rtm[j],
                    outside_limits=outside[j],
                    close_to_limits=close[j],
                    special_cause_type=labels[j],
                    point_type=_point_type(labels[j], opts.direction),
                )
            )

    last = points[-1]
    kind = assurance_type(opts.target, last.lpl, last.upl, opts.direction)
    return SpcResult(
        options=opts,
        points=tuple(points),
        segments=segments,
        variation_type=last.point_type,
        assurance_type=kind,
        variation_icon=variation_icon(last.point_type, opts.direction),
        assurance_icon=assurance_icon(kind),
        source=series.source,
    )


def spc_rows(result: SpcResult) -> list[dict[str, Any]]:
    """One flat record per point, ready for CSV or JSON output.

    Keys, in order: ``date`` (ISO string, or ``None`` for an undated series),
    ``value``, ``mean``, ``lpl``, ``upl`` (``None`` when undefined), ``point_type``,
    ``special_cause_type``, ``segment`` (0-based), then the series-level
    ``variation_type``, ``variation_icon``, ``assurance_type`` and ``assurance_icon``
    (``None`` without a target), repeated on every row so that each row stands alone.
    Numbers are unrounded: rounding is the renderer's job.
    """
    return [
        {
            "date": p.date.isoformat() if p.date is not None else None,
            "value": p.value,
            "mean": p.mean,
            "lpl": p.lpl,
            "upl": p.upl,
            "point_type": p.point_type,
            "special_cause_type": p.special_cause_type,
            "segment": p.segment,
            "variation_type": result.variation_type,
            "variation_icon": result.variation_icon,
            "assurance_type": result.assurance_type,
            "assurance_icon": result.assurance_icon,
        }
        for p in result.points
    ]


# --------------------------------------------------------------------------- input

# Stricter than float(): no "nan", "inf", "1_000" or padding slips through as a value.
#: The largest series file ``read_series_csv`` reads (a monthly series since 1900 is 40 KB).
SERIES_MAX_BYTES = 16 * 1024 * 1024


def read_series_csv(path: str | Path) -> Series:
    """Read a series for ``scorecard spc``.

    Format: UTF-8 CSV (a byte-order mark is fine) with a header row naming at least the
    columns ``date`` and ``value`` (any case, any order; other columns are ignored, so a
    file this module wrote can be read back).  One row per period:

    * ``date`` — ISO ``YYYY-MM-DD``, the period's first day by convention
      (2018/19 Q1 → 2018-04-01); no two rows may share a date;
    * ``value`` — a number by the one cell grammar every reader uses
      (``scorecard.sources.cells``: ``2144``, ``2,144``, ``3.5``, ``-12``; no exponents, no
      "%"); no blanks — a missing period is an error, because XmR limits assume
      consecutive periods;

    Rows may come in any order and are sorted by date; blank lines are skipped.  The file
    must be a regular file of at most 16 MiB.  Errors are ``InputError`` naming the file
    and line.
    """
    from scorecard.sources import cells

    path = Path(path)
    warnings: list[str] = []
    text = cells.read_text_file(path, warnings, limit=SERIES_MAX_BYTES, what="series CSV")
    if warnings:
        raise InputError(path, "not UTF-8 text: save it as CSV UTF-8")

    reader = csv.reader(text.splitlines())
    header: list[str] | None = None
    header_line = 0
    for row in reader:
        if any(cell.strip() for cell in row):
            header = [cell.strip().lower() for cell in row]
            header_line = reader.line_num
            break
    if header is None:
        raise InputError(path, "empty file: expected a header row 'date,value'")
    missing = [c for c in ("date", "value") if c not in header]
    if missing:
        names = " or ".join(repr(c) for c in missing)
        raise InputError(path, f"header has no {names} column: expected 'date,value'", header_line)
    for c in ("date", "value"):
        if header.count(c) > 1:
            raise InputError(path, f"header names the column {c!r} twice", header_line)
    di, vi = header.index("date"), header.index("value")

    rows: list[tuple[date, float, int]] = []
    seen: dict[date, int] = {}
    for row in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(row) <= max(di, vi):
            raise InputError(path, f"{len(row)} fields, but the header has {len(header)}", line)
        raw_date, raw_value = row[di].strip(), row[vi].strip()
        try:
            d = date.fromisoformat(raw_date)
            if len(raw_date) != 10:
                raise ValueError
        except ValueError:
            raise InputError(path, f"date {raw_date!r} is not a date in the form YYYY-MM-DD", line) from None
        if not raw_value:
            raise InputError(path, f"no value for {raw_date}: every period needs a value", line)
        try:
            written = cells.number(raw_value)
        except cells.CellError as exc:
            raise InputError(path, f"value {exc}", line) from None
        if written.percent_sign:
            raise InputError(path, f"value {raw_value!r}: give the number without a % sign", line)
        v = written.value
        if d in seen:
            raise InputError(path, f"date {raw_date} already given on line {seen[d]}", line)
        seen[d] = line
        rows.append((d, v, line))
    if not rows:
        raise InputError(path, "no data rows after the header", header_line)
    rows.sort(key=lambda r: r[0])
    return Series(
        values=tuple(v for _, v, _ in rows),
        dates=tuple(d for d, _, _ in rows),
        source=str(path),
    )
