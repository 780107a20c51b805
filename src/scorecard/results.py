"""Measure × area × period → value, baseline, comparisons and the series behind them.

One SQL query per measure answers every area and every comparison period at once
(set-based: all 43 forces cost one query, not 43).  Each figure says whether the source
fully covers its period: a quarterly source asked for a single month, or a month missing
from the archive, gives an *incomplete* figure and no value — never a silent partial sum.

Coverage comes from what was loaded, not from matching rows: a force-month of
data.police.uk with no burglaries is a real zero, while a force-month never loaded is
missing.  Nothing here rounds or formats; see ``scorecard.numbers``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, Literal

import duckdb

from scorecard import windows as windows_mod
from scorecard.areas import forces, territorial_forces
from scorecard.catalogue.schema import DATASETS, GRAIN_MONTHS, Catalogue, Measure
from scorecard.errors import ScorecardError
from scorecard.numbers import percent_change
from scorecard.periods import Month, MonthRange, Period
from scorecard.store import Store

Status = Literal["complete", "incomplete", "no_data", "not_combinable"]
Role = Literal["current", "baseline", "previous", "same_period_last_year"]
ROLES: tuple[Role, ...] = ("current", "baseline", "previous", "same_period_last_year")
SubArea = Literal["force", "local_authority", "csp"]

_POLICE_UK_TABLES = {
    "police_uk_street": ("police_uk_street", "street"),
    "police_uk_outcomes": ("police_uk_outcomes", "outcomes"),
    "police_uk_stop_search": ("police_uk_stop_search", "stop-and-search"),
}


@dataclass(frozen=True)
class AreaRef:
    """A force, or a sub-area of one (local authority / community safety partnership)."""

    force_id: str
    area_type: str
    code: str
    name: str


@dataclass(frozen=True)
class Figure:
    """One measure's value for one area and period, with how completely it is covered."""

    period: Period
    value: float | None
    status: Status
    months_covered: int
    load_ids: tuple[int, ...] = ()
    numerator: float | None = None
    denominator: float | None = None
    # Set when a baseline was averaged to a shorter period: value = total × months / 12.
    scaled_to_months: int | None = None
    note_override: str | None = None

    @property
    def note(self) -> str:
        if self.status == "complete":
            if self.scaled_to_months:
                unit = "month" if self.scaled_to_months == 1 else "months"
                return (f"{self.period.label} averaged to {self.scaled_to_months} {unit} "
                        f"(total {self.value and self.value * self.period.n_months / self.scaled_to_months:,.0f})")
            return ""
        if self.status == "no_data":
            return f"no data for {self.period.label}"
        if self.note_override:
            return f"{self.status}: {self.note_override}"
        if self.status == "not_combinable":
            return "percentages given without numerator and denominator cannot be combined over this period"
        return f"incomplete: {self.months_covered} of {self.period.n_months} months held for {self.period.label}"


@dataclass(frozen=True)
class SeriesPoint:
    first: Month
    last: Month
    value: float | None


@dataclass(frozen=True)
class Result:
    measure: Measure
    area: AreaRef
    figures: dict[Role, Figure]
    population: float | None = None
    population_year: int | None = None
    series: tuple[SeriesPoint, ...] = field(default=())

    @property
    def current(self) -> Figure:
        return self.figures["current"]

    @property
    def baseline(self) -> Figure:
        return self.figures["baseline"]

    def change(self, role: Role = "baseline") -> float | None:
        cur, other = self.current.value, self.figures[role].value
        if cur is None or other is None:
            return None
        return cur - other

    def change_pct(self, role: Role = "baseline") -> float | None:
        if self.measure.unit == "percentage":
            return None  # a change in a percentage is in percentage points, see change()
        return percent_change(self.current.value, self.figures[role].value)

    @property
    def rate_per_1000(self) -> float | None:
        if self.measure.unit != "count" or self.current.value is None or not self.population:
            return None
        return self.current.value / self.population * 1000.0

    @property
    def population_rate(self) -> float | None:
        """The current value per ``measure.rate_base`` people (a count's rate), unrounded."""
        base = self.measure.rate_base
        if base is None or self.current.value is None or not self.population:
            return None
        return self.current.value / self.population * base

    @property
    def load_ids(self) -> tuple[int, ...]:
        return tuple(sorted({i for f in self.figures.values() for i in f.load_ids}))


def breakable_by(measure: Measure, by: str) -> bool:
    """Whether a measure can be broken down by ``by`` ("force", "local_authority", "csp"): its
    dataset's sub-areas (``catalogue.schema.DATASETS``) — data.police.uk street crime and
    outcomes through their LSOA codes, a local series where its file gives sub-area rows."""
    return by == "force" or by in DATASETS[measure.dataset].sub_areas


class ResultsError(ScorecardError):
    """A results request that cannot be answered (unknown area, bad sub-area for a dataset)."""


# --- periods as a table ------------------------------------------------------------------

def comparison_periods(period: Period, baseline: Period) -> dict[Role, Period]:
    return {
        "current": period,
        "baseline": baseline,
        "previous": period.previous(),
        "same_period_last_year": period.same_period_last_year(),
    }


def _register_periods(con: duckdb.DuckDBPyConnection, periods: dict[Role, Period]) -> None:
    """The periods a measure is asked for, as the temporary table ``_periods`` (one statement)."""
    rows = ", ".join("(?, ?::DATE, ?::DATE, ?::INTEGER)" for _ in periods)
    params = [x for r, p in periods.items() for x in (r, p.first.first_day(), p.last.first_day(), p.n_months)]
    con.execute(f"CREATE OR REPLACE TEMP TABLE _periods AS "
                f"SELECT * FROM (VALUES {rows}) t(role, first, last, n_months)", params)


def _filter_sql(measure: Measure, alias: str) -> tuple[str, list[Any]]:
    clauses, params = [], []
    for col, values in measure.filter.items():
        clauses.append(f"{alias}.{col} IN ({', '.join('?' for _ in values)})")
        params.extend(values)
    return (" AND ".join(clauses) or "TRUE"), params


def _months_between(first: date, last: date) -> int:
    return (last.year - first.year) * 12 + last.month - first.month + 1


def _coverage(spans: Iterable[tuple[date, date]]) -> tuple[int, bool]:
    """Months covered by distinct source spans, and whether any of them overlap."""
    covered: set[int] = set()
    overlap = False
    for first, last in set(spans):
        start = first.year * 12 + first.month - 1
        months = set(range(start, start + _months_between(first, last)))
        overlap = overlap or bool(covered & months)
        covered |= months
    return len(covered), overlap


def _latest_run(spans: list[tuple[Month, Month]], months: int) -> Period | None:
    """The latest window of ``months`` months that held periods tile exactly: periods wholly
    inside it cover every month (a year of ONS figures is never cut into a quarter)."""
    for end in sorted({last.ordinal for _, last in spans}, reverse=True):
        start = end - months + 1
        inside = {m.ordinal for first, last in spans if first.ordinal >= start and last.ordinal <= end
                  for m in MonthRange(first, last).months()}
        if len(inside) == months:
            return windows_mod.window(Month.from_ordinal(start), Month.from_ordinal(end))
    return None


def _own_latest(spans: list[tuple[Month, Month]], months: int) -> Period:
    """A local series' latest period: of those ending latest, the one of ``months`` months,
    else the longest."""
    end = max(last for _, last in spans)
    ending = [(first, last) for first, last in spans if last == end]
    first, last = min(ending, key=lambda s: (s[1].ordinal - s[0].ordinal + 1 != months,
                                             -(s[1].ordinal - s[0].ordinal)))
    return windows_mod.window(first, last)


def _point_value(measure: Measure) -> str:
    """SQL for one series point from the rows of one span (several rows when the measure's
    filter takes several series), combined as the measure says."""
    how = measure.combine
    if how == "sum":
        return "sum(o.value)"
    if how == "ratio":
        scale = 100.0 if measure.unit == "percentage" else float(measure.unit_info.per or 1)
        return (f"CASE WHEN count(*) = 1 AND any_value(o.denominator) IS NULL THEN any_value(o.value) "
                f"ELSE {scale} * sum(o.numerator) / nullif(sum(o.denominator), 0) END")
    return "CASE WHEN count(*) = 1 THEN any_value(o.value) END"


def _one_grain(measure: Measure, points: list[SeriesPoint]) -> list[SeriesPoint]:
    """The points of one grain only, so a chart never mixes months with quarters: the
    measure's grain (or its dataset's), else — for a local series, where each file says —
    the span most of its points have (the longer one when two are as common)."""
    if not points:
        return points
    grain = measure.series_grain
    if grain is not None:
        months = GRAIN_MONTHS[grain]
    else:
        counts: dict[int, int] = defaultdict(int)
        for p in points:
            counts[p.last.ordinal - p.first.ordinal + 1] += 1
        months = max(counts, key=lambda m: (counts[m], m))
    same = [p for p in points if p.last.ordinal - p.first.ordinal + 1 == months]
    # Rolling windows overlap ("Jan to Dec 2021", "Apr 2021 to Mar 2022"): a series is
    # consecutive periods, so keep the latest and each earlier one that ends before it starts.
    kept: list[SeriesPoint] = []
    for p in sorted(same, key=lambda p: p.last.ordinal, reverse=True):
        if not kept or p.last.ordinal < kept[-1].first.ordinal:
            kept.append(p)
    return kept[::-1]


def _scale_baseline(measure: Measure, baseline: Figure, current: Period) -> Figure:
    """Put a twelve-month baseline on the current period's footing.

    A quarter compared with a whole baseline year would always look like a 75% fall.  A
    figure that is summed over time (a count, money) has its baseline averaged to the current
    period's length (a quarter is compared with a quarter of the baseline year); a ratio, a
    mean or a stock needs no adjustment.
    """
    if measure.combine != "sum" or baseline.value is None or baseline.period.n_months == current.n_months:
        return baseline
    factor = current.n_months / baseline.period.n_months
    return replace(baseline, value=baseline.value * factor, scaled_to_months=current.n_months)


def _combined(measure: Measure, period: Period, acc: _Acc, months: int, loads: tuple[int, ...]) -> Figure:
    """The figure for ``period`` from the rows that make it up, combined as the measure says
    (``Measure.combine``): counts and money summed; a ratio of summed numerator and
    denominator (a percentage, a rate); the mean of its periods, weighted by their months (a
    duration, a score); or the latest period's value (a stock, such as a headcount)."""
    how = measure.combine
    if how == "sum":
        return Figure(period, acc.value, "complete", months, loads)
    if acc.rows == 1 and acc.single_value is not None and how != "ratio":
        return Figure(period, acc.single_value, "complete", months, loads)
    if how == "ratio":
        if acc.has_ratio and acc.denominator:
            scale = 100.0 if measure.unit == "percentage" else float(measure.unit_info.per or 1)
            return Figure(period, acc.numerator / acc.denominator * scale, "complete", months, loads,
                          acc.numerator, acc.denominator)
        if acc.rows == 1 and acc.single_value is not None:
            return Figure(period, acc.single_value, "complete", months, loads)
        return Figure(period, None, "not_combinable", months, loads)
    parts = list(acc.parts.items()) or [((period.first.first_day(), period.last.first_day()), acc)]
    if any(p.rows != 1 or p.single_value is None for _, p in parts):
        return Figure(period, None, "not_combinable", months, loads,
                      note_override=f"a {measure.unit} given for several series at once cannot be combined")
    if how == "latest":
        (_, last), part = max(parts, key=lambda kv: (kv[0][1], kv[0][0]))
        if last != period.last.first_day():
            return Figure(period, None, "incomplete", months, loads,
                          note_override=f"no figure held for the end of {period.label}")
        return Figure(period, part.single_value, "complete", months, loads)
    weighted = sum((part.single_value or 0.0) * _months_between(first, last) for (first, last), part in parts)
    weight = sum(_months_between(first, last) for (first, last), _ in parts)
    return Figure(period, weighted / weight, "complete", months, loads)


# --- the engine --------------------------------------------------------------------------

@dataclass
class _Acc:
    value: float = 0.0
    numerator: float = 0.0
    denominator: float = 0.0
    has_ratio: bool = True
    rows: int = 0
    single_value: float | None = None
    loads: set[int] = field(default_factory=set)
    spans: set[tuple[date, date]] = field(default_factory=set)
    name: str = ""
    straddles: bool = False  # rows overlap the period without fitting inside it
    parts: dict[tuple[date, date], _Acc] = field(default_factory=dict)


def _choose_spans(acc: _Acc, period: Period) -> tuple[_Acc, int, bool]:
    """Which held rows make up ``period``: an exact match wins, else rows that tile it.

    A local series may hold both "YE Dec 2021" and "Oct–Dec 2021"; asked for the year,
    the year row is the answer, not the two summed.  Overlapping rows that do not include
    an exact match cannot be added up honestly.
    """
    exact = (period.first.first_day(), period.last.first_day())
    if exact in acc.parts:
        return acc.parts[exact], period.n_months, False
    months, overlap = _coverage(acc.spans)
    return acc, months, overlap


class ResultsEngine:
    """Computes results against one open store and catalogue."""

    def __init__(self, store: Store, catalogue: Catalogue) -> None:
        self.store = store
        self.catalogue = catalogue
        self.con = store.con

    # public API --------------------------------------------------------------------------

    def compute(
        self,
        measures: Sequence[Measure],
        period: Period,
        *,
        force_ids: Sequence[str] | None = None,
        by: SubArea = "force",
        series_from: Month | None = None,
    ) -> list[Result]:
        """Results for ``measures`` in ``period`` for the given forces (default: all 43)."""
        wanted = list(force_ids) if force_ids else [f.force_id for f in territorial_forces()]
        for f in wanted:
            if f not in forces():
                raise ResultsError(f"unknown force {f!r}")
        out: list[Result] = []
        for measure in measures:
            periods = comparison_periods(period, self.catalogue.baseline_for(measure))
            start = series_from or min(p.first for p in periods.values())
            out.extend(self._measure(measure, periods, wanted, by, start, period.last))
        return out

    def compute_windows(self, measure: Measure, windows: dict[str, Period], *,
                        series_from: Month | None = None) -> list[Result]:
        """Results for one measure, each force over its own window (see ``latest_windows``):
        current = the window, baseline = the catalogue's, previous = the window a quarter
        earlier (the last quarterly statement's), same period last year = a year earlier.
        Forces sharing a window are answered by one query."""
        by_window: dict[Period, list[str]] = defaultdict(list)
        for force_id, w in windows.items():
            by_window[w].append(force_id)
        baseline = self.catalogue.baseline_for(measure)
        out: list[Result] = []
        for w, force_ids in by_window.items():
            periods: dict[Role, Period] = {
                "current": w, "baseline": baseline,
                "previous": windows_mod.comparison_window(w, "previous_quarter", baseline),
                "same_period_last_year": windows_mod.comparison_window(w, "year_before", baseline),
            }
            start = series_from or min(p.first for p in periods.values())
            out.extend(self._measure(measure, periods, force_ids, "force", start, w.last))
        return out

    def latest_windows(self, measure: Measure, force_ids: Sequence[str], data_to: Month,
                       months: int = 12) -> dict[str, Period | None]:
        """Each force's latest complete window of the measure up to ``data_to`` (None: nothing held).

        For row-level and tabulated sources (data.police.uk months, Home Office quarters, ONS
        years) it is the latest run of ``months`` held months ending at the end of a held
        period; a local series has its own periods, so it is the series' latest period,
        choosing among periods that end in the same month the one of ``months`` months, else
        the longest (a force's November-to-October year, a rolling six months).
        """
        if measure.dataset in _POLICE_UK_TABLES:
            _, kind = _POLICE_UK_TABLES[measure.dataset]
            rows = self.con.execute(
                """SELECT force_id, month, month FROM load_members
                   WHERE kind = ? AND superseded_by IS NULL AND list_contains(?, force_id) AND month <= ?""",
                [kind, list(force_ids), data_to.first_day()]).fetchall()
        else:
            where, params = _filter_sql(measure, "o")
            rows = self.con.execute(
                f"""SELECT DISTINCT o.force_id, o.first_month, o.last_month FROM observations o
                    WHERE o.dataset = ? AND o.area_type = 'force' AND list_contains(?, o.force_id)
                      AND o.last_month <= ? AND {where}""",
                [measure.dataset, list(force_ids), data_to.first_day(), *params]).fetchall()
        spans: dict[str, list[tuple[Month, Month]]] = defaultdict(list)
        for force_id, first, last in rows:
            spans[force_id].append((Month.from_date(first), Month.from_date(last)))
        own_periods = measure.dataset == "local_series"
        return {f: (_own_latest(spans[f], months) if own_periods else _latest_run(spans[f], months))
                if spans.get(f) else None for f in force_ids}

    # one measure -------------------------------------------------------------------------

    def _measure(self, measure: Measure, periods: dict[Role, Period], force_ids: list[str], by: SubArea,
                 series_first: Month, series_last: Month) -> list[Result]:
        _register_periods(self.con, periods)
        if measure.dataset in _POLICE_UK_TABLES:
            accs, coverage = self._police_uk(measure, force_ids, by)
            series = self._police_uk_series(measure, force_ids, by, series_first, series_last)
        else:
            accs, coverage = self._observations(measure, force_ids, by)
            series = self._observation_series(measure, force_ids, by, series_first, series_last)
        areas: dict[tuple[str, str], AreaRef] = {}
        for (_, force_id, code), acc in accs.items():
            areas.setdefault((force_id, code), AreaRef(force_id, by, code, acc.name))
        for (_, force_id, code), name in coverage.get("names", {}).items():
            areas.setdefault((force_id, code), AreaRef(force_id, by, code, name))
        if by == "force":
            for f in force_ids:
                areas.setdefault((f, f), AreaRef(f, "force", f, forces()[f].name))
        results = []
        for (force_id, code), area in sorted(areas.items(), key=lambda kv: (kv[0][0], kv[1].name)):
            figures: dict[Role, Figure] = {}
            for role, p in periods.items():
                figures[role] = self._figure(measure, p, accs.get((role, force_id, code)),
                                             coverage.get((role, force_id)))
            figures["baseline"] = _scale_baseline(measure, figures["baseline"], periods["current"])
            pop, pop_year = self._population(force_id, periods["current"]) if by == "force" else (None, None)
            results.append(Result(measure, area, figures, pop, pop_year,
                                  tuple(series.get((force_id, code), ()))))
        return results

    def _figure(self, measure: Measure, period: Period, acc: _Acc | None, covered: Any) -> Figure:
        if measure.dataset in _POLICE_UK_TABLES:
            months = int(covered or 0)
        elif acc is None:
            months = 0
        else:
            acc, months, overlap = _choose_spans(acc, period)
            if overlap:
                return Figure(period, None, "incomplete", months, tuple(sorted(acc.loads)),
                              note_override="source periods overlap and do not add up to this period")
        loads = tuple(sorted(acc.loads)) if acc else ()
        straddles = bool(acc and acc.straddles)
        if months == 0 and not straddles:
            return Figure(period, None, "no_data", 0, loads)
        if months < period.n_months:
            why = (f"the source's periods do not fit {period.label}" if straddles and months == 0 else None)
            return Figure(period, None, "incomplete", months, loads, note_override=why)
        if acc is None:  # covered, and nothing matched: a true zero
            return Figure(period, 0.0, "complete", months, loads)
        return _combined(measure, period, acc, months, loads)

    # observations (Home Office, ONS, local series) ---------------------------------------

    def _observations(self, measure: Measure, force_ids: list[str], area_type: str
                      ) -> tuple[dict[tuple[str, str, str], _Acc], dict[Any, Any]]:
        where, params = _filter_sql(measure, "o")
        rows = self.con.execute(
            f"""SELECT p.role, o.force_id, o.area_code, any_value(o.area_name), o.first_month, o.last_month,
                       o.first_month >= p.first AND o.last_month <= p.last AS inside,
                       sum(o.value), sum(o.numerator), sum(o.denominator),
                       bool_and(o.numerator IS NOT NULL AND o.denominator IS NOT NULL),
                       count(*), any_value(o.value), list(DISTINCT o.load_id)
                FROM observations o JOIN _periods p ON o.first_month <= p.last AND o.last_month >= p.first
                WHERE o.dataset = ? AND o.area_type = ? AND list_contains(?, o.force_id) AND {where}
                GROUP BY ALL""",
            [measure.dataset, area_type, force_ids, *params],
        ).fetchall()
        accs: dict[tuple[str, str, str], _Acc] = {}
        for role, force_id, code, name, first, last, inside, total, num, den, ratio, n, one, loads in rows:
            key = (role, force_id, code if area_type != "force" else force_id)
            acc = accs.setdefault(key, _Acc(name=name))
            if not inside:
                acc.straddles = True
                continue
            part = acc.parts.setdefault((first, last), _Acc(name=name))
            for a in (acc, part):
                a.value += total or 0.0
                a.numerator += num or 0.0
                a.denominator += den or 0.0
                a.has_ratio = a.has_ratio and bool(ratio)
                a.rows += int(n)
                a.single_value = one
                a.loads.update(loads)
                a.spans.add((first, last))
        return accs, {}

    def _observation_series(self, measure: Measure, force_ids: list[str], by: str, first: Month, last: Month
                            ) -> dict[tuple[str, str], list[SeriesPoint]]:
        where, params = _filter_sql(measure, "o")
        rows = self.con.execute(
            f"""SELECT o.force_id, o.area_code, o.first_month, o.last_month, {_point_value(measure)}
                FROM observations o
                WHERE o.dataset = ? AND o.area_type = ? AND list_contains(?, o.force_id) AND {where}
                  AND o.first_month >= ? AND o.last_month <= ?
                GROUP BY ALL ORDER BY o.first_month""",
            [measure.dataset, by, force_ids, *params, first.first_day(), last.first_day()],
        ).fetchall()
        spans: dict[tuple[str, str], list[SeriesPoint]] = defaultdict(list)
        for force_id, code, f, la, v in rows:
            spans[(force_id, code if by != "force" else force_id)].append(
                SeriesPoint(Month.from_date(f), Month.from_date(la), v))
        return {key: _one_grain(measure, points) for key, points in spans.items()}

    # data.police.uk ----------------------------------------------------------------------

    def _counted(self, table: str) -> tuple[str, str]:
        """Where a data.police.uk figure is counted from, and how: the counts the load keeps
        (street_counts.py), or the rows of an older store opened read-only."""
        if self.store.counts_kept:
            return f"{table}_counts", "sum(s.n)"
        return table, "count(*)"

    def _area_columns(self, by: SubArea) -> tuple[str, str, str]:
        if by == "force":
            return "s.force_id", "any_value(f.name)", ""
        if self.store.counts_kept:  # the counts hold each row's sub-area, resolved by the load
            code, name = ("s.lad_code", "s.lad_name") if by == "local_authority" else ("s.csp_code", "s.csp_name")
            return code, f"any_value({name})", ""
        code, name = ("l.lad_code", "l.lad_name") if by == "local_authority" else ("l.csp_code", "l.csp_name")
        # Anonymised points can snap across a boundary: such rows stay with the publishing
        # force but are shown apart, not credited to a neighbour's authority.
        area_code = (f"CASE WHEN s.lsoa_code IS NULL OR s.lsoa_code = '' THEN 'unknown' "
                     f"WHEN l.force_id = s.force_id THEN {code} ELSE 'outside' END")
        area_name = (f"CASE WHEN s.lsoa_code IS NULL OR s.lsoa_code = '' THEN 'Location not known' "
                     f"WHEN l.force_id = s.force_id THEN {name} ELSE 'Outside the force area' END")
        return area_code, f"any_value({area_name})", "LEFT JOIN lsoa_lookup l ON l.lsoa_code = s.lsoa_code"

    def _police_uk(self, measure: Measure, force_ids: list[str], by: SubArea
                   ) -> tuple[dict[tuple[str, str, str], _Acc], dict[Any, Any]]:
        table, kind = _POLICE_UK_TABLES[measure.dataset]
        table, counted = self._counted(table)
        where, params = _filter_sql(measure, "s")
        code, name, join = self._area_columns(by)
        self._register_force_names(force_ids)
        rows = self.con.execute(
            f"""SELECT p.role, s.force_id, {code}, {name}, {counted}, list(DISTINCT s.load_id)
                FROM {table} s JOIN _periods p ON s.month BETWEEN p.first AND p.last
                JOIN _forces f ON f.force_id = s.force_id {join}
                WHERE {where}
                GROUP BY ALL""",
            params,
        ).fetchall()
        accs: dict[tuple[str, str, str], _Acc] = {}
        for role, force_id, area_code, area_name, n, loads in rows:
            accs[(role, force_id, area_code)] = _Acc(value=float(n), rows=int(n), loads=set(loads), name=area_name)
        cover = self.con.execute(
            """SELECT p.role, m.force_id, count(DISTINCT m.month)
               FROM load_members m JOIN _periods p ON m.month BETWEEN p.first AND p.last
               JOIN _forces f ON f.force_id = m.force_id
               WHERE m.kind = ? AND m.superseded_by IS NULL GROUP BY ALL""",
            [kind],
        ).fetchall()
        coverage: dict[Any, Any] = {(role, f): n for role, f, n in cover}
        if by != "force":  # every sub-area seen in the force's data, so true zeros are reported
            names = self.con.execute(
                f"""SELECT s.force_id, {code}, {name} FROM {table} s JOIN _forces f ON f.force_id = s.force_id
                    {join} JOIN _periods p ON s.month BETWEEN p.first AND p.last GROUP BY ALL"""
            ).fetchall()
            coverage["names"] = {("", f, c): n for f, c, n in names}
        return accs, coverage

    def _police_uk_series(self, measure: Measure, force_ids: list[str], by: SubArea, first: Month, last: Month
                          ) -> dict[tuple[str, str], list[SeriesPoint]]:
        table, kind = _POLICE_UK_TABLES[measure.dataset]
        table, counted = self._counted(table)
        where, params = _filter_sql(measure, "s")
        code, _, join = self._area_columns(by)
        rows = self.con.execute(
            f"""WITH held AS (SELECT force_id, month FROM load_members
                              WHERE kind = ? AND superseded_by IS NULL AND month BETWEEN ? AND ?),
                counts AS (SELECT s.force_id, {code} AS code, s.month, {counted} AS n
                           FROM {table} s JOIN _forces f ON f.force_id = s.force_id {join}
                           WHERE {where} AND s.month BETWEEN ? AND ? GROUP BY ALL)
                SELECT a.force_id, a.code, h.month, coalesce(c.n, 0) FROM held h
                JOIN (SELECT DISTINCT force_id, code FROM counts) a ON a.force_id = h.force_id
                LEFT JOIN counts c ON c.force_id = a.force_id AND c.code = a.code AND c.month = h.month
                ORDER BY h.month""",
            [kind, first.first_day(), last.first_day(), *params, first.first_day(), last.first_day()],
        ).fetchall()
        out: dict[tuple[str, str], list[SeriesPoint]] = defaultdict(list)
        for force_id, area_code, month, n in rows:
            m = Month.from_date(month)
            out[(force_id, area_code)].append(SeriesPoint(m, m, float(n)))
        return out

    def _register_force_names(self, force_ids: list[str]) -> None:
        self.con.execute("CREATE OR REPLACE TEMP TABLE _forces (force_id VARCHAR, name VARCHAR)")
        self.con.executemany("INSERT INTO _forces VALUES (?, ?)", [[f, forces()[f].name] for f in force_ids])

    # population --------------------------------------------------------------------------

    def _population(self, force_id: str, period: Period) -> tuple[float | None, int | None]:
        if not hasattr(self, "_pop_cache"):
            self._pop_cache: dict[str, list[tuple[int, float]]] = defaultdict(list)
            for f, year, pop in self.con.execute(
                    "SELECT force_id, year, population FROM population WHERE area_type = 'force' ORDER BY year"
            ).fetchall():
                self._pop_cache[f].append((int(year), float(pop)))
        years = self._pop_cache.get(force_id)
        if not years:
            return None, None
        target = period.last.year
        before = [yp for yp in years if yp[0] <= target]
        year, pop = before[-1] if before else years[0]
        return pop, year


def provenance(store: Store, load_ids: Iterable[int]) -> list[dict[str, Any]]:
    """The files behind a figure: name, checksum, when loaded, what they cover."""
    ids = sorted(set(load_ids))
    if not ids:
        return []
    rows = store.con.execute(
        """SELECT load_id, file_name, sha256, loaded_at, kind, covers FROM loads
           WHERE list_contains(?, load_id) ORDER BY load_id""", [ids]).fetchall()
    return [{"load_id": r[0], "file": r[1], "sha256": r[2], "loaded_at": r[3].isoformat(), "kind": r[4],
             "covers": r[5]} for r in rows]
