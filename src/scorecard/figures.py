"""A statement's figures: every measure, for every force asked, in its own latest window.

This is the results stage's hand-over to the document builders: it runs the queries
(``ResultsEngine.latest_windows`` and ``compute_windows``, one query per measure and window for
all forces at once) and returns plain typed data, so a builder never touches the store.  A
measure whose window a statement fixes (``fixed`` — say "2022-23 Q1" for a quarter statement)
is asked for exactly that window; every other measure reports its latest complete window up
to the statement's data-to month (``scorecard.windows``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from scorecard.catalogue.schema import GRAIN_MONTHS, Catalogue, Measure
from scorecard.periods import Month, Period
from scorecard.results import Result, ResultsEngine, SubArea, provenance
from scorecard.store import Store
from scorecard.windows import StatementPeriod, months_behind


@dataclass(frozen=True)
class MeasureFigures:
    """One measure for one force: its result over its window, or why there is none."""

    measure: Measure
    result: Result | None  # None: the store holds no complete window up to the data-to month
    months_behind: int | None  # how far the window ends before the data-to month

    @property
    def window(self) -> Period | None:
        return self.result.current.period if self.result else None


@dataclass(frozen=True)
class StatementFigures:
    """Every measure of the catalogue for one force, and the files they came from."""

    force_id: str
    by_measure: dict[str, MeasureFigures]
    sources: tuple[dict[str, object], ...]

    def __getitem__(self, measure_id: str) -> MeasureFigures:
        return self.by_measure[measure_id]


def year_figures(store: Store, catalogue: Catalogue, force_id: str, measure_ids: Sequence[str],
                 year: Period) -> dict[str, MeasureFigures]:
    """The figures an annual report's table quotes: each measure over the report's year, for one
    force (None where the store holds no figure for that year; never a nearby year instead)."""
    engine = ResultsEngine(store, catalogue)
    out: dict[str, MeasureFigures] = {}
    for mid in measure_ids:
        measure = catalogue.by_id[mid]
        results = engine.compute_windows(measure, {force_id: year}, series_from=year.first)
        result = results[0] if results and results[0].current.status != "no_data" else None
        out[mid] = MeasureFigures(measure, result, 0 if result else None)
    return out


def measure_figures(store: Store, catalogue: Catalogue, measure_id: str, force_ids: Sequence[str], data_to: Month,
                    months: int = 12) -> dict[str, MeasureFigures]:
    """One measure for every force in ``force_ids``, each over its latest complete window of
    ``months`` up to ``data_to`` (one query per window for all of them): a measure's public page."""
    measure = catalogue.by_id[measure_id]
    grain = measure.series_grain
    if grain is not None:
        months = max(months, GRAIN_MONTHS[grain])
    engine = ResultsEngine(store, catalogue)
    chosen = engine.latest_windows(measure, force_ids, data_to, months)
    held = {f: w for f, w in chosen.items() if w is not None}
    start = min(data_to - 71, catalogue.baseline_for(measure).first)
    results = {r.area.force_id: r for r in engine.compute_windows(measure, held, series_from=start)}
    out = {}
    for f in force_ids:
        r = results.get(f)
        if r is not None and r.current.status == "no_data":
            r = None
        out[f] = MeasureFigures(measure, r, months_behind(r.current.period, data_to) if r else None)
    return out


def sub_area_figures(store: Store, catalogue: Catalogue, measure_id: str, force_id: str, window: Period,
                     by: SubArea = "local_authority") -> list[Result]:
    """One force's measure over ``window`` broken down by its local authorities (or CSPs), where
    the measure's data has sub-areas (``results.breakable_by``); none where it has not."""
    from scorecard.results import breakable_by

    measure = catalogue.by_id[measure_id]
    if not breakable_by(measure, by):
        return []
    engine = ResultsEngine(store, catalogue)
    return [r for r in engine.compute([measure], window, force_ids=[force_id], by=by)
            if r.area.area_type != "force"]


def statement_figures(store: Store, catalogue: Catalogue, force_ids: Sequence[str], period: StatementPeriod, *,
                      windows: dict[str, int] | None = None, fixed: dict[str, Period] | None = None,
                      series_from: Month | None = None) -> dict[str, StatementFigures]:
    """Figures for every force in ``force_ids``: one pass over the catalogue for all of them.

    ``windows`` gives a window length in months per measure id (default the statement's);
    ``fixed`` pins a measure to one window for every force.
    """
    engine = ResultsEngine(store, catalogue)
    start = series_from or min(period.data_to - 71, catalogue.baseline_for(catalogue.measures[0]).first)
    per_force: dict[str, dict[str, MeasureFigures]] = {f: {} for f in force_ids}
    for measure in catalogue.measures:
        months = (windows or {}).get(measure.id, period.window_months)
        grain = measure.series_grain
        if grain is not None:  # a source kept in years cannot answer for a quarter: it answers for a year
            months = max(months, GRAIN_MONTHS[grain])
        if fixed and measure.id in fixed:
            chosen: dict[str, Period | None] = {f: fixed[measure.id] for f in force_ids}
        else:
            chosen = engine.latest_windows(measure, force_ids, period.data_to, months)
        held = {f: w for f, w in chosen.items() if w is not None}
        results = {r.area.force_id: r for r in engine.compute_windows(measure, held, series_from=start)}
        for f in force_ids:
            r = results.get(f)
            if r is not None and r.current.status == "no_data":
                r = None
            behind = months_behind(r.current.period, period.data_to) if r else None
            per_force[f][measure.id] = MeasureFigures(measure, r, behind)
    out = {}
    for f, by_measure in per_force.items():
        loads = {i for mf in by_measure.values() if mf.result for i in mf.result.load_ids}
        out[f] = StatementFigures(f, by_measure, tuple(provenance(store, loads)))
    return out
