"""XmR / Making Data Count: point-by-point agreement with NHSRplotthedots, worked examples,
properties, and the CSV reader.

Three kinds of evidence, strongest first:

* ``test_matches_reference`` — every run in ``shared/spc-golden`` (R's NHSRplotthedots
  0.2.2 on 14 real police series × 5 option sets): centre line, limits, rule label, point
  type, icons, for every point;
* ``test_worked_example`` — the plain-text files in ``tests/golden/spc/``, one rule or
  option each, that read as examples (series in, types and icons out).  Run with
  ``SPC_UPDATE_GOLDEN=1`` to rewrite them after a deliberate change, then review the diff;
* hypothesis properties that must hold for any series.
"""

from __future__ import annotations

import csv
import json
import math
import os
from collections import defaultdict
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from functools import cache
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scorecard.errors import InputError
from scorecard.spc import (
    Series,
    SpcError,
    SpcOptions,
    SpcResult,
    read_series_csv,
    spc,
    spc_rows,
)

# /work/main/tests/test_spc.py -> parents[2] is /work
REFERENCE_DIR = Path(__file__).resolve().parents[2] / "shared" / "spc-golden"
EXAMPLES_DIR = Path(__file__).resolve().parent / "golden" / "spc"


# --------------------------------------------------------------------------- reference runs


def _reference_runs() -> list[dict[str, str]]:
    path = REFERENCE_DIR / "summary.csv"
    if not path.exists():
        return []
    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


@cache
def _reference_points() -> dict[tuple[str, str, str], list[dict[str, str]]]:
    runs: dict[tuple[str, str, str], list[dict[str, str]]] = defaultdict(list)
    with (REFERENCE_DIR / "points.csv").open(newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            runs[row["force"], row["series"], row["config"]].append(row)
    return runs


def _options(run: dict[str, str]) -> SpcOptions:
    return SpcOptions(
        direction=run["improvement_direction"],  # type: ignore[arg-type]
        screen_outliers=run["screen_outliers"] == "TRUE",
        fix_after_n_points=int(run["fix_after_n_points"]) if run["fix_after_n_points"] else None,
        target=float(run["target"]) if run["target"] else None,
        rebase=tuple(date.fromisoformat(d) for d in run["rebase"].split(";") if d),
    )


def _close(expected: str, got: float | None) -> bool:
    if expected in ("", "NA"):
        return got is None
    return got is not None and math.isclose(float(expected), got, rel_tol=1e-9, abs_tol=1e-9)


REFERENCE_RUNS = _reference_runs()


@pytest.mark.skipif(not REFERENCE_RUNS, reason=f"reference outputs not found in {REFERENCE_DIR}")
def test_reference_covers_what_we_claim() -> None:
    assert len(REFERENCE_RUNS) == 70
    assert {r["config"] for r in REFERENCE_RUNS} == {
        "a_default",
        "b_no_screen_outliers",
        "c_fix_after_12",
        "d_target_2018q1_minus10pct",
        "e_rebase_2020_04_01",
    }
    assert sum(len(v) for v in _reference_points().values()) == 70 * 55


@pytest.mark.parametrize(
    "run",
    REFERENCE_RUNS or [pytest.param({}, marks=pytest.mark.skip(reason=f"no reference in {REFERENCE_DIR}"))],
    ids=[f"{r['force']}/{r['series']}/{r['config']}" for r in REFERENCE_RUNS] or ["missing"],
)
def test_matches_reference(run: dict[str, str]) -> None:
    rows = _reference_points()[run["force"], run["series"], run["config"]]
    series = Series(
        values=tuple(float(r["y"]) for r in rows),
        dates=tuple(date.fromisoformat(r["date"]) for r in rows),
    )
    result = spc(series, _options(run))
    assert len(result.points) == len(rows)

    wrong: list[str] = []
    for r, p in zip(rows, result.points, strict=True):
        checks = {
            "mean_col": _close(r["mean_col"], p.mean),
            "lpl": _close(r["lpl"], p.lpl),
            "upl": _close(r["upl"], p.upl),
            "point_type": r["point_type"] == p.point_type,
            "special_cause_type": r["special_cause_type"] == p.special_cause_type,
            "rebase_group": int(r["rebase_group"]) == p.segment,
            "fix_y": (r["fix_y"] not in ("", "NA")) == p.baseline,
            "outside_limits": (r["outside_limits"] == "TRUE") == p.outside_limits,
            "close_to_limits": (r["close_to_limits"] == "TRUE") == p.close_to_limits,
            "relative_to_mean": int(r["relative_to_mean"]) == p.relative_to_mean,
            "short_group_warning": (r["short_group_warning"] == "TRUE") == result.segments[p.segment].short,
        }
        for column, ok in checks.items():
            if not ok:
                got = {
                    "mean_col": p.mean,
                    "lpl": p.lpl,
                    "upl": p.upl,
                    "point_type": p.point_type,
                    "special_cause_type": p.special_cause_type,
                    "rebase_group": p.segment,
                    "fix_y": p.baseline,
                    "outside_limits": p.outside_limits,
                    "close_to_limits": p.close_to_limits,
                    "relative_to_mean": p.relative_to_mean,
                    "short_group_warning": result.segments[p.segment].short,
                }[column]
                wrong.append(f"{r['date']} {column}: reference {r[column]!r}, ours {got!r}")
    assert not wrong, "\n".join(wrong)

    # The run's summary, as the reference's summary() reports its last segment.
    last = result.segments[-1]
    in_last = [p for p in result.points if p.segment == last.index]
    assert len(result.segments) == int(run["n_rebase_groups"])
    assert last.n_points == int(run["n"])
    assert _close(run["mean_col"], last.mean)
    assert _close(run["lpl"], last.lpl)
    assert _close(run["upl"], last.upl)
    assert sum(not p.special_cause for p in in_last) == int(run["common_cause"])
    assert sum(p.point_type == "special_cause_improvement" for p in in_last) == int(
        run["special_cause_improvement"]
    )
    assert sum(p.point_type == "special_cause_concern" for p in in_last) == int(run["special_cause_concern"])
    assert result.variation_type == run["variation_type"]
    assert result.assurance_type == (run["assurance_type"] or None)
    assert result.variation_icon == run["variation_icon"]
    assert result.assurance_icon == (run["assurance_icon"] or None)


# --------------------------------------------------------------------------- worked examples
#
# File format: '#' comment lines, then 'option: value' lines, a blank line, a table whose
# first two columns (date, value) are the input and whose other columns are output, and
# finally the series-level 'variation:' and 'assurance:' lines.  The test reads the
# input, recomputes everything else and compares the whole file.

_OPTION_PARSERS: dict[str, Callable[[str], object]] = {
    "direction": lambda s: s,
    "target": float,
    "rebase": lambda s: tuple(date.fromisoformat(d) for d in s.split()),
    "fix_after_n_points": int,
    "screen_outliers": lambda s: {"yes": True, "no": False}[s],
    "shift_length": int,
    "trend_length": int,
}
_COLUMNS = ("date", "value", "mean", "lpl", "upl", "point_type", "special_cause_type")


def _num(x: float | None) -> str:
    if x is None:
        return "-"
    if x.is_integer() and abs(x) < 1e15:
        return str(int(x))
    return f"{x:.6g}"


def _read_example(path: Path) -> tuple[list[str], SpcOptions, Series]:
    head: list[str] = []
    kwargs: dict[str, object] = {}
    dates: list[date] = []
    values: list[float] = []
    lines = path.read_text(encoding="utf-8").splitlines()
    i = 0
    while lines[i].strip():
        head.append(lines[i])
        if not lines[i].startswith("#"):
            key, _, raw = lines[i].partition(":")
            kwargs[key.strip()] = _OPTION_PARSERS[key.strip()](raw.strip())
        i += 1
    assert lines[i + 1].split()[:2] == ["date", "value"], f"{path.name}: table must start 'date value'"
    for line in lines[i + 2 :]:
        if not line.strip() or line.split()[0].endswith(":"):
            break
        d, v = line.split()[:2]
        dates.append(date.fromisoformat(d))
        values.append(float(v))
    return head, SpcOptions(**kwargs), Series(tuple(values), tuple(dates))  # type: ignore[arg-type]


def _render_example(head: list[str], result: SpcResult) -> str:
    table = [list(_COLUMNS)]
    for p in result.points:
        assert p.date is not None
        table.append(
            [
                p.date.isoformat(),
                _num(p.value),
                _num(p.mean),
                _num(p.lpl),
                _num(p.upl),
                p.point_type,
                p.special_cause_type,
            ]
        )
    widths = [max(len(row[c]) for row in table) for c in range(len(_COLUMNS))]
    body = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip() for row in table]
    tail = [f"variation: {result.variation_icon}", f"assurance: {result.assurance_icon or '-'}"]
    return "\n".join([*head, "", *body, "", *tail]) + "\n"


EXAMPLES = sorted(EXAMPLES_DIR.glob("*.txt"))


def test_examples_exist() -> None:
    assert len(EXAMPLES) >= 8


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_worked_example(path: Path) -> None:
    head, options, series = _read_example(path)
    rendered = _render_example(head, spc(series, options))
    if os.environ.get("SPC_UPDATE_GOLDEN"):
        path.write_text(rendered, encoding="utf-8")
    assert rendered == path.read_text(encoding="utf-8")


# --------------------------------------------------------------------------- behaviour


STABLE = (10.0, 12, 11, 13, 10, 12, 11, 13, 10, 12, 11, 13)


def test_limits_are_mean_plus_minus_2_66_average_moving_range() -> None:
    r = spc(STABLE)
    seg = r.segments[0]
    assert seg.mean == pytest.approx(11.5)
    assert seg.mean_moving_range == pytest.approx(21 / 11)
    assert seg.upl == pytest.approx(11.5 + 2.66 * 21 / 11)
    assert seg.lpl == pytest.approx(11.5 - 2.66 * 21 / 11)
    assert {p.point_type for p in r.points} == {"common_cause"}


def test_screening_drops_ranges_at_or_above_3_267_mean_range_once() -> None:
    values = (10.0, 11, 10, 11, 10, 11, 10, 11, 10, 40)
    on, off = spc(values), spc(values, SpcOptions(screen_outliers=False))
    # ranges: eight 1s and one 30 → mean 38/9; cut 13.8 drops the 30 → mean 1
    assert off.segments[0].mean_moving_range == pytest.approx(38 / 9)
    assert on.segments[0].mean_moving_range == pytest.approx(1.0)
    assert on.segments[0].n_screened == 1
    assert on.points[-1].special_cause_type == "Above UCL"


def test_fixed_baseline_judges_later_points_against_the_first_n() -> None:
    values = (*STABLE, 5.0, 5, 5)
    r = spc(values, SpcOptions(fix_after_n_points=12, direction="decrease"))
    assert r.segments[0].n_baseline == 12
    assert r.points[0].mean == pytest.approx(11.5)
    assert [p.baseline for p in r.points] == [True] * 12 + [False] * 3
    assert r.points[-1].point_type == "special_cause_improvement"
    assert r.variation_icon == "improvement_low.svg"


def test_rebase_by_position_and_by_date_agree() -> None:
    dates = tuple(date(2020, m, 1) for m in range(1, 13)) + tuple(date(2021, m, 1) for m in range(1, 13))
    values = (*STABLE, *(v + 20 for v in STABLE))
    series = Series(values, dates)
    by_date = spc(series, SpcOptions(rebase=(date(2021, 1, 1),)))
    by_pos = spc(series, SpcOptions(rebase=[12]))  # type: ignore[arg-type]
    assert by_date == replace(by_pos, options=by_date.options)
    assert [s.mean for s in by_date.segments] == pytest.approx([11.5, 31.5])
    assert {p.point_type for p in by_date.points} == {"common_cause"}
    # without the rebase the step is a special cause on both sides
    assert spc(series).points[0].point_type == "special_cause_concern"


def test_rebase_that_matches_no_point_is_an_error() -> None:
    series = Series((1.0, 2, 3), (date(2020, 1, 1), date(2020, 2, 1), date(2020, 3, 1)))
    with pytest.raises(SpcError, match="2020-01-15"):
        spc(series, SpcOptions(rebase=(date(2020, 1, 15),)))
    with pytest.raises(SpcError, match="position 3"):
        spc(series, SpcOptions(rebase=(3,)))
    with pytest.raises(SpcError, match="no dates"):
        spc((1.0, 2.0), SpcOptions(rebase=(date(2020, 1, 1),)))


def test_run_lengths_are_configurable() -> None:
    # six rising points (18 … 23) after a fall, well inside limits widened by early noise
    values = (30.0, 10, 30, 25, 18, 19, 20, 21, 22, 23)
    default = spc(values, SpcOptions(direction="increase"))
    six = spc(values, SpcOptions(direction="increase", trend_length=6))
    assert all(p.point_type == "common_cause" for p in default.points)
    assert [p.special_cause_type for p in six.points[4:]] == ["6 Point Trend (Increasing)"] * 6
    assert all(p.point_type == "common_cause" for p in six.points[:4])
    # and a shift of five below the mean only counts when shift_length allows it
    low = (13.0, 10, 13, 11, 8, 9, 8, 9, 8, 13, 11, 13, 10)
    assert not any(p.special_cause for p in spc(low).points)
    five = spc(low, SpcOptions(shift_length=5)).points
    expected = ["Common Cause"] * 4 + ["5 Points Below CL"] * 5 + ["Common Cause"] * 4
    assert [p.special_cause_type for p in five] == expected


def test_a_point_on_the_mean_breaks_a_shift() -> None:
    # mean is exactly 10; six points above, one on the mean, six above again (balanced by lows)
    values = (11.0,) * 6 + (10.0,) + (11.0,) * 6 + (4.0, 4.0)
    r = spc(values, SpcOptions(screen_outliers=False))
    assert r.segments[0].mean == 10.0
    assert not any(p.special_cause_type.startswith("7 Points") for p in r.points[:13])


def test_neutral_direction_has_high_and_low_but_no_assurance() -> None:
    values = (10.0, 12, 11, 13, 10, 12, 11, 13, 10, 12, 11, 30)
    r = spc(values, SpcOptions(direction="neutral", target=100))
    assert r.variation_type == "special_cause_neutral_high"
    assert r.variation_icon == "neutral_high.svg"
    assert r.assurance_type is None and r.assurance_icon is None
    low = spc(tuple(-v for v in values), SpcOptions(direction="neutral"))
    assert low.variation_icon == "neutral_low.svg"


@pytest.mark.parametrize(
    ("direction", "target", "expected"),
    [
        ("increase", 100.0, "consistent_fail"),
        ("increase", -100.0, "consistent_pass"),
        ("increase", 11.0, "inconsistent"),
        ("decrease", 100.0, "consistent_pass"),
        ("decrease", -100.0, "consistent_fail"),
        ("decrease", 11.0, "inconsistent"),
    ],
)
def test_assurance_compares_the_target_with_the_latest_limits(
    direction: str, target: float, expected: str
) -> None:
    r = spc(STABLE, SpcOptions(direction=direction, target=target))  # type: ignore[arg-type]
    assert r.assurance_type == expected
    assert r.assurance_icon == {"consistent_pass": "pass.svg", "consistent_fail": "fail.svg"}.get(
        expected, "inconsistent.svg"
    )


def test_icons_for_increase() -> None:
    up = spc((*STABLE, 30.0), SpcOptions(direction="increase"))
    down = spc((*STABLE, -10.0), SpcOptions(direction="increase"))
    assert (up.variation_type, up.variation_icon) == ("special_cause_improvement", "improvement_high.svg")
    assert (down.variation_type, down.variation_icon) == ("special_cause_concern", "concern_low.svg")


def test_short_series() -> None:
    empty = spc(())
    assert empty.points == () and empty.variation_icon is None
    one = spc((5.0,))
    assert (one.points[0].lpl, one.points[0].upl) == (None, None)
    assert one.variation_type == "common_cause"
    assert one.segments[0].short
    assert spc((5.0,), SpcOptions(target=1, direction="decrease")).assurance_type == "inconsistent"


def test_flat_baseline_gives_zero_width_limits_with_screening_too() -> None:
    # The reference ends with NaN limits here when screening; we keep mR̄ = 0 (module docstring).
    r = spc((3.0,) * 12 + (4.0,), SpcOptions(fix_after_n_points=12))
    assert (r.segments[0].lpl, r.segments[0].upl) == (3.0, 3.0)
    assert r.points[-1].special_cause_type == "Above UCL"
    assert r == replace(
        spc((3.0,) * 12 + (4.0,), SpcOptions(fix_after_n_points=12, screen_outliers=False)), options=r.options
    )


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"direction": "up"}, "direction"),
        ({"fix_after_n_points": 1}, "fix_after_n_points"),
        ({"shift_length": 1}, "shift_length"),
        ({"trend_length": 0}, "trend_length"),
        ({"target": math.nan}, "target"),
        ({"rebase": ("2020-01-01",)}, "rebase"),
    ],
)
def test_bad_options(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(SpcError, match=message):
        SpcOptions(**kwargs)  # type: ignore[arg-type]


def test_bad_series() -> None:
    with pytest.raises(SpcError, match="finite"):
        Series((1.0, math.nan))
    with pytest.raises(SpcError, match="strictly increasing"):
        Series((1.0, 2.0), (date(2020, 2, 1), date(2020, 1, 1)))
    with pytest.raises(SpcError, match="2 dates for 1 values"):
        Series((1.0,), (date(2020, 1, 1), date(2020, 2, 1)))


def test_spc_rows_are_flat_and_serialisable() -> None:
    dates = tuple(date(2024, m, 1) for m in range(1, 13))
    rows = spc_rows(spc(Series(STABLE, dates), SpcOptions(direction="decrease", target=20)))
    assert list(rows[0]) == [
        "date",
        "value",
        "mean",
        "lpl",
        "upl",
        "point_type",
        "special_cause_type",
        "segment",
        "variation_type",
        "variation_icon",
        "assurance_type",
        "assurance_icon",
    ]
    assert rows[0]["date"] == "2024-01-01"
    assert rows[-1]["variation_icon"] == "common_cause.svg"
    assert rows[-1]["assurance_icon"] == "pass.svg"
    json.dumps(rows)
    assert spc_rows(spc((1.0,)))[0]["date"] is None


# --------------------------------------------------------------------------- properties

_series = st.lists(st.integers(-1000, 1000), max_size=40).map(lambda xs: tuple(float(x) for x in xs))
_options_st = st.builds(
    SpcOptions,
    direction=st.sampled_from(["increase", "decrease", "neutral"]),
    screen_outliers=st.booleans(),
    fix_after_n_points=st.none() | st.integers(2, 30),
)


@settings(max_examples=150, deadline=None)
@given(st.floats(-1e6, 1e6, allow_nan=False), st.integers(1, 40), _options_st)
def test_constant_series_has_no_special_cause(level: float, n: int, options: SpcOptions) -> None:
    r = spc((level,) * n, options)
    assert all(p.point_type == "common_cause" for p in r.points)


@settings(max_examples=150, deadline=None)
@given(_series, _options_st)
def test_limits_are_symmetric_and_shared_within_a_segment(
    values: tuple[float, ...], options: SpcOptions
) -> None:
    r = spc(values, options)
    for p in r.points:
        seg = r.segments[p.segment]
        assert (p.mean, p.lpl, p.upl) == (seg.mean, seg.lpl, seg.upl)
        if p.lpl is not None and p.upl is not None:
            assert p.upl - p.mean == pytest.approx(p.mean - p.lpl, rel=1e-9, abs=1e-9)
        if p.outside_limits:
            assert p.special_cause


@settings(max_examples=150, deadline=None)
@given(_series)
def test_screening_never_widens_the_limits(values: tuple[float, ...]) -> None:
    on, off = spc(values), spc(values, SpcOptions(screen_outliers=False))
    for a, b in zip(on.segments, off.segments, strict=True):
        if a.mean_moving_range is not None and b.mean_moving_range is not None:
            assert a.mean_moving_range <= b.mean_moving_range


_SWAP = {
    "special_cause_improvement": "special_cause_concern",
    "special_cause_concern": "special_cause_improvement",
}


@settings(max_examples=150, deadline=None)
@given(_series)
def test_reversing_the_direction_swaps_improvement_and_concern(values: tuple[float, ...]) -> None:
    up = spc(values, SpcOptions(direction="increase"))
    down = spc(values, SpcOptions(direction="decrease"))
    assert [_SWAP.get(p.point_type, p.point_type) for p in up.points] == [p.point_type for p in down.points]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.integers(-1000, 1000), unique=True, max_size=40))
def test_mirroring_the_series_and_the_direction_changes_nothing(ints: list[int]) -> None:
    # Distinct values only: the reference labels a trend point with a flat step after it
    # "Decreasing" whichever way the data run, which mirroring cannot preserve.
    values = tuple(float(x) for x in ints)
    up = spc(values, SpcOptions(direction="increase"))
    mirrored = spc(tuple(-v for v in values), SpcOptions(direction="decrease"))
    assert [p.point_type for p in up.points] == [p.point_type for p in mirrored.points]


# --------------------------------------------------------------------------- reading a CSV


def _write(tmp_path: Path, text: str, name: str = "series.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    return path


def test_read_series_csv(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "\ufeffForce,Date,Value\nWM,2020-07-01,12\n\nWM,2020-04-01,10.5\nWM,2020-10-01,-30\n",
    )
    series = read_series_csv(path)
    assert series.dates == (date(2020, 4, 1), date(2020, 7, 1), date(2020, 10, 1))
    assert series.values == (10.5, 12.0, -30.0)
    assert series.source == str(path)


def test_read_series_csv_reads_numbers_by_the_one_grammar(tmp_path: Path) -> None:
    path = _write(tmp_path, 'date,value\n2020-01-01,"2,144"\n2020-02-01,.5\n')
    assert read_series_csv(path).values == (2144.0, 0.5)


def test_read_series_csv_round_trips_spc_rows(tmp_path: Path) -> None:
    dates = tuple(date(2024, m, 1) for m in range(1, 13))
    rows = spc_rows(spc(Series(STABLE, dates)))
    path = tmp_path / "out.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    assert read_series_csv(path) == Series(STABLE, dates, str(path))


@pytest.mark.parametrize(
    ("text", "line", "problem"),
    [
        ("", None, "empty file"),
        ("when,value\n2020-01-01,1\n", 1, "no 'date' column"),
        ("date,count\n2020-01-01,1\n", 1, "no 'value' column"),
        ("date,value,date\n2020-01-01,1,x\n", 1, "twice"),
        ("date,value\n", 1, "no data rows"),
        ("date,value\n2020-01-01,1\n01/02/2020,2\n", 3, "YYYY-MM-DD"),
        ("date,value\n2020-01-01,1\n2020-02,2\n", 3, "YYYY-MM-DD"),
        ("date,value\n2020-01-01,1\n2020-02-01,\n", 3, "no value for 2020-02-01"),
        ('date,value\n2020-01-01,1\n2020-02-01,"1,2"\n', 3, "commas separate thousands in groups of three"),
        ("date,value\n2020-01-01,nan\n", 2, "not a number"),
        ("date,value\n2020-01-01,1_000\n", 2, "not a number"),
        ("date,value\n2020-01-01,1e999\n", 2, "without an exponent"),
        ("date,value\n2020-01-01,12%\n", 2, "without a % sign"),
        ("date,value\n2020-01-01,1\n\n2020-01-01,2\n", 4, "already given on line 2"),
        ("date,value\n2020-01-01\n", 2, "1 fields"),
    ],
)
def test_read_series_csv_errors_name_the_line(
    tmp_path: Path, text: str, line: int | None, problem: str
) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(InputError, match=problem) as err:
        read_series_csv(path)
    assert err.value.line == line
    assert err.value.file == str(path)


def test_read_series_csv_unreadable(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        read_series_csv(tmp_path / "missing.csv")
    bad = tmp_path / "latin1.csv"
    bad.write_bytes("date,value\n2020-01-01,£1\n".encode("latin-1"))
    with pytest.raises(InputError, match="not UTF-8"):
        read_series_csv(bad)
