"""Results → report model: the statement and scorecard for one force and period.

This is the only place that decides what a published document contains: which measures
appear under which priority, which sentences are generated, which caveats are attached,
how each KPI's status is judged.  It reads the store through the results engine, runs SPC
on each series, and resolves analysts' commentary; it formats nothing.
"""

from __future__ import annotations

from datetime import datetime
from itertools import pairwise

from scorecard import __version__, spc
from scorecard.areas import force
from scorecard.catalogue.schema import Catalogue, Measure
from scorecard.periods import FinancialQuarter, Month, Period
from scorecard.report import commentary as commentary_mod
from scorecard.report.config import ReportConfig as ReportConfig  # re-exported: read from here by callers
from scorecard.report.model import (
    Applicability,
    Caveat,
    Chart,
    ChartPoint,
    Figure,
    NationalMetric,
    PrioritySection,
    Provenance,
    Report,
    ScorecardRow,
    ScorecardStatus,
)
from scorecard.results import Result, ResultsEngine, provenance
from scorecard.store import Store

STATUS_RULES = {
    "target": "With a target: 'target met' when the latest value is on the improvement side of the target "
              "(at or above it when higher is better, at or below it when lower is better), else 'target missed'.",
    "baseline": "Without a target: compared with the baseline; a change smaller than the similarity threshold "
                "(default 5%, or 2 percentage points for percentages) is 'similar to baseline', otherwise "
                "'better' or 'worse' by the measure's direction of improvement. Measures with no direction "
                "are not judged.",
    "rounding": "Figures are computed unrounded; percentages are rounded once, when shown, half away from zero.",
    "spc": "Variation and assurance follow NHS England's Making Data Count (XmR, four rules, 7-point runs).",
}


DEFAULT_REASON = ("Assessed as applicable: the priority applies in every police force area and is reflected in "
                  "the Police and Crime Plan.")


def _figure(r: Result) -> Figure:
    f = r.figures
    return Figure(
        measure_id=r.measure.id, title=r.measure.title, role=r.measure.role, unit=r.measure.unit,
        direction=r.measure.direction, source_text=r.measure.source_text,
        period_label=f["current"].period.label, value=f["current"].value, status=f["current"].status,
        baseline_label=f["baseline"].period.label, baseline_value=f["baseline"].value,
        change=r.change("baseline"), change_pct=r.change_pct("baseline"),
        previous_label=f["previous"].period.label, previous_value=f["previous"].value,
        change_pct_vs_previous=r.change_pct("previous"),
        last_year_label=f["same_period_last_year"].period.label, last_year_value=f["same_period_last_year"].value,
        change_pct_vs_last_year=r.change_pct("same_period_last_year"),
        rate_per_1000=r.rate_per_1000,
        note="; ".join(dict.fromkeys(x.note for x in f.values() if x.note)),
        load_ids=r.load_ids,
    )


def _target_value(m: Measure, baseline: float | None) -> float | None:
    if m.target is None:
        return None
    if m.target.value is not None:
        return m.target.value
    if baseline is None or m.target.change_pct_vs_baseline is None:
        return None
    return baseline * (1 + m.target.change_pct_vs_baseline / 100.0)


def judge(m: Measure, value: float | None, baseline: float | None, change_pct: float | None, target: float | None,
          config: ReportConfig) -> tuple[ScorecardStatus, str]:
    """The scorecard status of one KPI, by the rules in ``STATUS_RULES``."""
    if value is None:
        return "no_data", "No data"
    if target is not None and m.direction != "neutral":
        met = value >= target if m.direction == "increase" else value <= target
        return ("target_met", "Target met") if met else ("target_missed", "Target missed")
    if baseline is None or m.direction == "neutral":
        return "no_comparison", "Not judged"
    if m.unit == "percentage":
        diff, threshold = value - baseline, config.similar_threshold_points
    else:
        if change_pct is None:
            return "no_comparison", "Not judged"
        diff, threshold = change_pct, config.similar_threshold_pct
    if abs(diff) < threshold:
        return "similar_to_baseline", "Similar to baseline"
    better = diff < 0 if m.direction == "decrease" else diff > 0
    if better:
        return "better_than_baseline", "Better than baseline"
    return "worse_than_baseline", "Worse than baseline"


#: An SPC chart needs enough consecutive points for its limits to mean anything (Making Data
#: Count asks for 15 before limits are fixed; fewer than 12 draws limits from noise).
MIN_CHART_POINTS = 12


def _chart(r: Result, target: float | None) -> Chart | None:
    points = [p for p in r.series if p.value is not None]
    consecutive = all(b.first.ordinal == a.last.ordinal + 1 for a, b in pairwise(points))
    if len(points) < MIN_CHART_POINTS or not consecutive:
        return None
    result = spc.spc(spc.Series(tuple(float(p.value) for p in points if p.value is not None)),
                     spc.SpcOptions(direction=r.measure.direction, target=target))
    chart_points = tuple(
        ChartPoint(label=_point_label(p.first, p.last), first_month=p.first.iso(), last_month=p.last.iso(),
                   value=p.value, mean=s.mean, lower_limit=s.lpl, upper_limit=s.upl, point_type=s.point_type)
        for p, s in zip(points, result.points, strict=True)
    )
    summary = _chart_summary(r, chart_points, result.variation_type)
    return Chart(r.measure.id, r.measure.title, r.measure.unit, chart_points, result.variation_type,
                 result.variation_icon, result.assurance_type, result.assurance_icon, target, summary)


def _point_label(first: Month, last: Month) -> str:
    if first == last:
        return first.short()
    if last.ordinal - first.ordinal == 2 and first.month in (1, 4, 7, 10):
        return FinancialQuarter.containing(first).label
    return f"{first.short()} to {last.short()}"


_VARIATION_WORDS = {
    "common_cause": "common cause variation only (no significant change)",
    "special_cause_improvement": "special cause variation: improvement",
    "special_cause_concern": "special cause variation: concern",
    "special_cause_neutral_high": "special cause variation: unusually high",
    "special_cause_neutral_low": "special cause variation: unusually low",
}


def _chart_summary(r: Result, points: tuple[ChartPoint, ...], variation: str | None) -> str:
    first, last = points[0], points[-1]
    lo = min(p.value for p in points if p.value is not None)
    hi = max(p.value for p in points if p.value is not None)
    words = _VARIATION_WORDS.get(variation or "", "no assessment")
    return (f"{r.measure.title}, {len(points)} points from {first.label} to {last.label}, ranging from "
            f"{lo:,.0f} to {hi:,.0f}; the latest point ({last.label}) shows {words}.")


def _sentences(r: Result) -> list[str]:
    from scorecard import narrative

    return list(narrative.result_sentences(r))


def _caveats(r: Result, revised_loads: set[int]) -> list[Caveat]:
    m = r.measure
    out = [Caveat("measure", c, m.id) for c in m.caveats]
    if m.role == "proxy" and m.national_metric:
        out.append(Caveat("proxy", f"{m.title} is a force-level proxy for the national metric "
                                   f"'{m.national_metric}'.", m.id))
    if m.dataset == "local_series":
        out.append(Caveat("local", f"{m.title} is a force-held figure from a local series file.", m.id))
    for role, fig in r.figures.items():
        if fig.status in ("incomplete", "not_combinable"):
            out.append(Caveat("incomplete", f"{m.title}: {fig.note}.", m.id))
        elif role == "baseline" and fig.scaled_to_months:
            out.append(Caveat("baseline", f"{m.title}: {fig.note}.", m.id))
    if revised_loads & set(r.load_ids):
        out.append(Caveat("revised", f"{m.title}: figures include data revised since first loaded "
                                     "(see `scorecard revisions`).", m.id))
    return out


def build_report(store: Store, catalogue: Catalogue, force_id: str, period: Period,
                 config: ReportConfig | None = None) -> Report:
    config = config or ReportConfig()
    f = force(force_id)
    engine = ResultsEngine(store, catalogue)
    series_from = min(period.first - 35, catalogue.baseline_for(catalogue.measures[0]).first)
    results = engine.compute(catalogue.measures, period, force_ids=[force_id], series_from=series_from)
    by_measure = {r.measure.id: r for r in results}
    revised = {int(row[0]) for row in store.con.execute("SELECT DISTINCT new_load_id FROM revisions").fetchall()}
    sections: list[PrioritySection] = []
    all_loads: set[int] = set()
    baseline = catalogue.baseline_for(catalogue.measures[0])
    for p in catalogue.priorities:
        shown = [by_measure[m.id] for m in catalogue.for_priority(p.id)
                 if by_measure[m.id].current.status != "no_data"]
        figures = tuple(_figure(r) for r in shown)
        sentences = tuple(s for r in shown for s in _sentences(r))
        charts = tuple(c for r in shown if r.measure.role in ("national", "proxy", "local")
                       for c in [_chart(r, _target_value(r.measure, r.baseline.value))] if c is not None)
        caveats = tuple(dict.fromkeys(c for r in shown for c in _caveats(r, revised)))
        for r in shown:
            all_loads.update(r.load_ids)
        comment = commentary_mod.load(config.commentary_dir, force_id, period, p.id, by_measure)
        sections.append(PrioritySection(
            priority_id=p.id, number=p.number, title=p.title, summary=p.summary,
            national_metrics=tuple(NationalMetric(m.name, m.source, m.force_level, m.note) for m in p.national_metrics),
            applicability=config.applicability.get(p.id, Applicability(True, DEFAULT_REASON)),
            figures=figures, sentences=sentences, charts=charts, caveats=caveats, commentary=comment,
        ))
    scorecard = tuple(_scorecard_rows(catalogue, by_measure, config))
    return Report(
        force_id=force_id, area_name=f.name, period_label=period.label, period_long_label=period.long_label,
        period_first=period.first.iso(), period_last=period.last.iso(),
        baseline_label=baseline.label, baseline_long_label=baseline.long_label,
        generated_at=datetime.now().replace(microsecond=0).isoformat(),
        catalogue_version=catalogue.version, software_version=__version__,
        title=config.title or f"National Policing Priorities statement: {f.name}, {period.label}",
        introduction=(
            "The Elected Local Policing Bodies (Specified Information) (Amendment) Order 2021 requires the Police "
            "and Crime Commissioner to publish a statement on the force's contribution to the national policing "
            "priorities, and which priorities are assessed as applicable locally, with reasons.",
            f"Figures are for {period.long_label} and are compared with {baseline.long_label} (the national "
            "baseline set by the Home Office), the previous period and the same period a year earlier.",
            *config.notes,
        ),
        sections=tuple(sections), scorecard=scorecard,
        provenance=tuple(Provenance(**p) for p in provenance(store, all_loads)),
        store_path=str(store.path), rules=dict(STATUS_RULES),
    )


def _scorecard_rows(catalogue: Catalogue, by_measure: dict[str, Result], config: ReportConfig
                    ) -> list[ScorecardRow]:
    ids = config.scorecard_measures or tuple(
        m.id for m in catalogue.measures if m.role in ("national", "proxy", "local")
        and by_measure[m.id].current.status != "no_data")
    rows = []
    for mid in ids:
        r = by_measure.get(mid)
        if r is None:
            continue
        m = r.measure
        target = _target_value(m, r.baseline.value)
        status, text = judge(m, r.current.value, r.baseline.value, r.change_pct(), target, config)
        chart = _chart(r, target)
        trend = tuple(p.value for p in r.series[-12:])
        rows.append(ScorecardRow(
            measure_id=m.id, title=m.title, priority_id=m.priority, unit=m.unit, direction=m.direction,
            period_label=r.current.period.label, value=r.current.value, baseline_value=r.baseline.value,
            change=r.change(), change_pct=r.change_pct(), target=target,
            target_description=m.target.description if m.target else "",
            status=status, status_text=text,
            variation_type=chart.variation_type if chart else None,
            variation_icon=chart.variation_icon if chart else None,
            assurance_type=chart.assurance_type if chart else None,
            assurance_icon=chart.assurance_icon if chart else None,
            trend=trend, trend_labels=tuple(_point_label(p.first, p.last) for p in r.series[-12:]),
        ))
    return rows
