"""The parts every NPP document is made of: a priority's sentences, its table of figures, its
charts and notes, and the KPI scorecard.

The statement and the board paper say the same things about the same figures in different
orders and voices, so both are assembled from these functions.  They take the typed inputs
(``DocumentInputs``: figures already computed, commentary already read) and return model
blocks whose every number is text from ``scorecard.documents.format``.  Nothing here reads the
store or a file.

What a priority states, measure by measure:

* the measures with a figure, in catalogue order; context measures (police.uk, ONS as
  published) go in the table only;
* for each, a sentence naming its window and each comparison the document makes for it
  (``comparisons_for``): by default the national baseline and the year before, falling back
  to the previous quarter when the measure has no baseline figure;
* where two measures give the same national metric from different sources (Home Office
  recorded homicides and the force's own records), the one the configuration names in
  ``lead`` (else the national one) leads, with its source named, and the other follows as
  "Force homicide records give 43 homicides for the same period";
* a figure whose window ends more than ``stale_after_months`` before the document's data-to
  month is marked as such in a note.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import pairwise

from scorecard import narrative, spc
from scorecard.catalogue.schema import Catalogue, Measure, Priority
from scorecard.documents import format as fmt
from scorecard.documents.config import DocumentConfig
from scorecard.documents.model import (
    Chart,
    ChartPoint,
    Column,
    Commentary,
    FigureRecord,
    Icon,
    Note,
    Paragraph,
    Row,
    Source,
    Table,
    Voice,
)
from scorecard.figures import MeasureFigures, StatementFigures
from scorecard.periods import FinancialQuarter, Month, Period
from scorecard.results import Result, Role
from scorecard.units import UNITS
from scorecard.windows import Comparison, StatementPeriod

#: Roles of the result that hold each comparison.
_ROLE: dict[Comparison, Role] = {"baseline": "baseline", "year_before": "same_period_last_year",
                                 "previous_quarter": "previous"}
_COMPARISON_WORDS: dict[Comparison, str] = {"baseline": "national baseline", "year_before": "year before",
                                            "previous_quarter": "previous quarter"}
#: Roles whose measures get a sentence; context measures are shown in the table only.
STATED_ROLES = ("national", "proxy", "local")
_ROLE_RANK = {"national": 0, "proxy": 1, "local": 2, "context": 3, "series": 4}
#: An SPC chart needs enough consecutive points for its limits to mean anything (Making Data
#: Count asks for 15 before limits are fixed; fewer than 12 draws limits from noise).
MIN_CHART_POINTS = 12
#: The most recent points a chart shows (six years of quarters, two of months).
CHART_POINTS = 24


@dataclass(frozen=True)
class DocumentInputs:
    """Everything a document builder is handed: nothing it needs is fetched by it."""

    catalogue: Catalogue
    force_id: str
    area_name: str
    period: StatementPeriod
    figures: StatementFigures
    config: DocumentConfig
    commentary: dict[tuple[str, Voice], Commentary] = field(default_factory=dict)
    flags: tuple[str, ...] = ()
    generated_at: str = ""
    software_version: str = ""


# --- which figures, compared with what ----------------------------------------------------------

def shown(inputs: DocumentInputs, priority: Priority) -> list[MeasureFigures]:
    """The priority's measures that have a figure for this force, in catalogue order — but not a
    context measure whose latest figure is stale (ONS tables as first published, years ago):
    those are named in a note instead (``held_but_old``), so nothing held disappears silently."""
    return [mf for mf in (inputs.figures[m.id] for m in inputs.catalogue.for_priority(priority.id))
            if mf.result is not None and not (mf.measure.role == "context" and _stale(inputs, mf))]


def held_but_old(inputs: DocumentInputs, priority: Priority) -> list[MeasureFigures]:
    return [mf for mf in (inputs.figures[m.id] for m in inputs.catalogue.for_priority(priority.id))
            if mf.result is not None and mf.measure.role == "context" and _stale(inputs, mf)]


def _stale(inputs: DocumentInputs, mf: MeasureFigures) -> bool:
    return mf.months_behind is not None and mf.months_behind > inputs.config.stale_after_months


def comparisons_for(inputs: DocumentInputs, mf: MeasureFigures) -> tuple[Comparison, ...]:
    """What this measure's figure is compared with: the measure's own choice, else the
    document's; a measure with no baseline figure falls back to the previous quarter."""
    choice = inputs.config.measures.get(mf.measure.id)
    chosen = tuple(choice.comparisons) if choice and choice.comparisons else inputs.config.comparisons
    result = mf.result
    assert result is not None
    held = [c for c in chosen if result.figures[_ROLE[c]].value is not None]
    if not held and "previous_quarter" not in chosen and result.figures["previous"].value is not None:
        return ("previous_quarter",)
    return chosen


def _subject(m: Measure) -> narrative.Noun | narrative.MeasureName:
    if m.noun is not None and m.unit_info.whole:
        return narrative.Noun(m.noun.singular, m.noun.plural)
    return narrative.MeasureName(m.title)


def _source_name(m: Measure) -> str:
    """A measure's source as a sentence names it: "Home Office police recorded crime"."""
    return m.source_text.split(" (")[0].strip()


def _against(result: Result, comparisons: Sequence[Comparison]) -> tuple[narrative.Against, ...]:
    out = []
    for c in comparisons:
        fig = result.figures[_ROLE[c]]
        averaged = fig.scaled_to_months if c == "baseline" else None
        out.append(narrative.Against(c, fig.value, fig.period, averaged))
    return tuple(out)


def _pairs(items: list[MeasureFigures], lead: Sequence[str]) -> tuple[list[MeasureFigures], dict[str, str]]:
    """Measures in sentence order, and for each that follows a lead measure of the same
    national metric, that lead's id."""
    by_metric: dict[str, list[MeasureFigures]] = {}
    for mf in items:
        if mf.measure.national_metric:
            by_metric.setdefault(mf.measure.national_metric, []).append(mf)
    follows: dict[str, str] = {}
    for group in by_metric.values():
        if len(group) < 2:
            continue
        first = min(group, key=lambda mf: (mf.measure.id not in lead, _ROLE_RANK.get(mf.measure.role, 9)))
        for mf in group:
            if mf is not first:
                follows[mf.measure.id] = first.measure.id
    ordered: list[MeasureFigures] = []
    for mf in items:
        if mf.measure.id in follows:
            continue
        ordered.append(mf)
        ordered.extend(o for o in items if follows.get(o.measure.id) == mf.measure.id)
    return ordered, follows


def sentences(inputs: DocumentInputs, priority: Priority) -> list[Paragraph]:
    """The priority's generated sentences, one paragraph per measure stated (see module)."""
    stated = [mf for mf in shown(inputs, priority) if mf.measure.role in STATED_ROLES]
    ordered, follows = _pairs(stated, inputs.config.lead)
    paragraphs: list[Paragraph] = []
    leads = {mid: inputs.figures[mid] for mid in follows.values()}
    for mf in ordered:
        m, r = mf.measure, mf.result
        assert r is not None
        refs: tuple[str, ...] = (f"{m.id}.value",)
        if m.id in follows:
            lead = leads[follows[m.id]]
            text = narrative.also_sentence(_subject(m), r.current.value, r.current.period, lead.window,
                                           unit=m.unit, source=_source_name(m))
        else:
            comparisons = comparisons_for(inputs, mf)
            source = _source_name(m) if m.id in follows.values() else None
            text = narrative.statement_sentence(_subject(m), r.current.value, r.current.period,
                                                _against(r, comparisons), unit=m.unit, source=source,
                                                phrase=m.phrase)
            refs += tuple(f"{m.id}.{c}" for c in comparisons)
        paragraphs.append(Paragraph(text, generated=True, refs=refs))
    if not paragraphs:
        paragraphs.append(Paragraph(
            f"No figures for this priority's national metrics are held for {inputs.area_name}: "
            f"{_not_force_level(priority)}", generated=True))
    return paragraphs


def _not_force_level(priority: Priority) -> str:
    unpublished = [nm.name for nm in priority.national_metrics if not nm.force_level]
    if unpublished and len(unpublished) == len(priority.national_metrics):
        return "they are not published at force level, and no force-held figures have been loaded."
    return "none have been loaded for the period."


# --- the table of figures -----------------------------------------------------------------------

FIGURE_COLUMNS = (Column("Measure"), Column("Period", nowrap=True), Column("Figure", numeric=True),
                  Column("Compared with"), Column("Change", numeric=True, nowrap=True))


def figures_table(inputs: DocumentInputs, priority: Priority) -> Table | None:
    """One row per figure and comparison: the measure's window and value, then each figure it
    is compared with (its own period named) and the change."""
    rows: list[Row] = []
    for mf in shown(inputs, priority):
        m, r = mf.measure, mf.result
        assert r is not None
        current = fmt.figure(r.current.value, m.unit, f"{m.id}.value")
        rate = fmt.figure(r.population_rate, f"rate_per_{m.rate_base}") if r.population_rate is not None else None
        figure_text = current if rate is None else fmt.Cell(current.value, f"{current.text} ({rate.text})",
                                                            current.unit, current.ref)
        head = (fmt.text(m.title), fmt.period(r.current.period), figure_text)
        comparisons = comparisons_for(inputs, mf) if m.role in STATED_ROLES else inputs.config.comparisons
        first = True
        for c in comparisons:
            fig = r.figures[_ROLE[c]]
            other = _compared_text(m, c, fig.value, fig.period, fig.scaled_to_months)
            change = fmt.change(r.current.value, fig.value, m.unit, f"{m.id}.change_{c}")
            rows.append(Row((*(head if first else (fmt.text(""), fmt.text(""), fmt.text(""))), other, change)))
            first = False
        if first:
            rows.append(Row((*head, fmt.text("–"), fmt.text("–"))))
    if not rows:
        return None
    return Table(f"Figures: {priority.title.lower()}", FIGURE_COLUMNS, tuple(rows), kind="figures")


def _compared_text(m: Measure, c: Comparison, value: float | None, period: Period, averaged: int | None) -> fmt.Cell:
    what = _COMPARISON_WORDS[c]
    if value is None:
        return fmt.Cell(None, f"{fmt.MISSING} ({what}, {period.label}: not held)", m.unit)
    figure = fmt.compared(value, m.unit, averaged if c == "baseline" else None)
    return fmt.Cell(value, f"{figure.text} ({what}, {period.label})", m.unit, f"{m.id}.{c}")


# --- notes ---------------------------------------------------------------------------------------

def notes(inputs: DocumentInputs, priority: Priority) -> list[Note]:
    """Sources, caveats, and figures older than the document's staleness limit."""
    out: list[Note] = []
    seen: set[str] = set()

    def add(text: str, kind: str) -> None:
        if text not in seen:
            seen.add(text)
            out.append(Note(text, kind))  # type: ignore[arg-type]

    for mf in shown(inputs, priority):
        m, r = mf.measure, mf.result
        assert r is not None
        if _stale(inputs, mf):
            add(f"{m.title}: the latest figure held is for {r.current.period.long_label}, "
                f"{mf.months_behind} months before {inputs.period.data_to.name()}.", "stale")
        for caveat in m.caveats:
            add(f"{m.title}: {caveat}", "caveat")
        if m.role == "proxy" and m.national_metric:
            add(f"{m.title} stands in for the national metric '{m.national_metric}', which is not published "
                "for each force.", "caveat")
        stated = comparisons_for(inputs, mf) if m.role in STATED_ROLES else inputs.config.comparisons
        for c in stated:
            fig = r.figures[_ROLE[c]]
            # Only a comparison partly held says so: one whose periods do not fit is simply not stated.
            if fig.status == "not_combinable" or (fig.status == "incomplete" and fig.months_covered > 0):
                add(f"{m.title}, {_COMPARISON_WORDS[c]}: {fig.note}.", "caveat")
    old = held_but_old(inputs, priority)
    if old:
        add("Also held, but older than the statement's figures: " + "; ".join(
            f"{mf.measure.title}, {mf.window.label if mf.window else ''}" for mf in old) + ".", "stale")
    sources = sorted({_source_name(mf.measure) for mf in shown(inputs, priority)})
    if sources:
        add("Sources: " + "; ".join(sources) + ".", "source")
    return out


# --- charts --------------------------------------------------------------------------------------

def _point_label(first: Month, last: Month) -> str:
    if first == last:
        return first.short()
    if last.ordinal - first.ordinal == 2 and first.month in (1, 4, 7, 10):
        return FinancialQuarter.containing(first).label
    return f"{first.short()} to {last.short()}"


def chart(mf: MeasureFigures, target: float | None = None) -> Chart | None:
    """An SPC chart of the measure's series (one grain, consecutive points), or None when
    it has too few points for limits to mean anything."""
    m, r = mf.measure, mf.result
    if r is None:
        return None
    points = [p for p in r.series if p.value is not None][-CHART_POINTS:]
    if len(points) < MIN_CHART_POINTS or any(b.first.ordinal != a.last.ordinal + 1 for a, b in pairwise(points)):
        return None
    result = spc.spc(spc.Series(tuple(float(p.value) for p in points if p.value is not None)),
                     spc.SpcOptions(direction=m.direction, target=target))
    chart_points = tuple(
        ChartPoint(_point_label(p.first, p.last), fmt.figure(p.value, m.unit), s.mean, s.lpl, s.upl, s.point_type)
        for p, s in zip(points, result.points, strict=True))
    variation = Icon("variation", (result.variation_icon or "common_cause.svg").removesuffix(".svg"),
                     fmt.VARIATION_WORDS.get(result.variation_type or "", "Not assessed"))
    assurance = (Icon("assurance", (result.assurance_icon or "inconsistent.svg").removesuffix(".svg"),
                      fmt.ASSURANCE_WORDS[result.assurance_type]) if result.assurance_type else None)
    return Chart(id=f"chart-{m.id}", title=m.title, unit=m.unit, y_label=m.unit_info.label.capitalize(),
                 points=chart_points, target=fmt.figure(target, m.unit) if target is not None else None,
                 variation=variation, assurance=assurance, alt_text=_chart_alt(m, chart_points, result),
                 counts=m.unit_info.whole)


def _chart_alt(m: Measure, points: Sequence[ChartPoint], result: spc.SpcResult) -> str:
    listed = "; ".join(f"{p.label}: {p.value.text}" for p in points)
    words = fmt.VARIATION_SENTENCES.get(result.variation_type or "", "no assessment")
    return (f"{m.title}, {len(points)} points from {points[0].label} to {points[-1].label}: {listed}. "
            f"The latest point shows {words}.")


# --- the KPI scorecard ---------------------------------------------------------------------------

SCORECARD_COLUMNS = (Column("Measure"), Column("Period", nowrap=True), Column("Figure", numeric=True, nowrap=True),
                     Column("Baseline", numeric=True, nowrap=True), Column("Change", numeric=True, nowrap=True),
                     Column("Target", numeric=True, nowrap=True), Column("Status"), Column("Variation"),
                     Column("Assurance"))


def target_value(m: Measure, baseline: float | None) -> float | None:
    if m.target is None:
        return None
    if m.target.value is not None:
        return m.target.value
    if baseline is None or m.target.change_pct_vs_baseline is None:
        return None
    return baseline * (1 + m.target.change_pct_vs_baseline / 100.0)


def judge(m: Measure, value: float | None, baseline: float | None, target: float | None,
          config: DocumentConfig) -> str:
    """A KPI's status, by the rules in docs/report.md ("Status rules")."""
    if value is None:
        return "no_data"
    if target is not None and m.direction != "neutral":
        met = value >= target if m.direction == "increase" else value <= target
        return "target_met" if met else "target_missed"
    if baseline is None or m.direction == "neutral":
        return "no_comparison"
    if m.unit_info.change_in_points:
        diff, threshold = value - baseline, config.similar_threshold_points
    else:
        if baseline == 0:
            return "no_comparison"
        diff, threshold = (value - baseline) / abs(baseline) * 100.0, config.similar_threshold_pct
    if abs(diff) < threshold:
        return "similar_to_baseline"
    better = diff < 0 if m.direction == "decrease" else diff > 0
    return "better_than_baseline" if better else "worse_than_baseline"


def scorecard(inputs: DocumentInputs) -> Table:
    """The KPI scorecard: each KPI's latest figure against its baseline and target, its status,
    and the SPC variation and assurance of its series, with a trend line."""
    ids = inputs.config.scorecard_measures or tuple(
        m.id for m in inputs.catalogue.measures if m.role in STATED_ROLES and inputs.figures[m.id].result)
    rows: list[Row] = []
    for mid in ids:
        mf = inputs.figures[mid]
        m, r = mf.measure, mf.result
        value = r.current.value if r else None
        base = r.baseline.value if r else None
        target = target_value(m, base)
        status = judge(m, value, base, target, inputs.config)
        c = chart(mf, target)
        icons: list[tuple[int, Icon]] = [(6, Icon("status", status, fmt.STATUS_WORDS[status]))]
        if c and c.variation:
            icons.append((7, c.variation))
        if c and c.assurance:
            icons.append((8, c.assurance))
        trend = tuple(p.value for p in r.series[-12:]) if r else ()
        rows.append(Row(
            (fmt.text(m.title), fmt.period(r.current.period if r else None),
             fmt.figure(value, m.unit, f"{m.id}.value"),
             fmt.compared(base, m.unit, r.baseline.scaled_to_months if r else None, f"{m.id}.baseline"),
             fmt.change(value, base, m.unit, f"{m.id}.change_baseline"),
             fmt.figure(target, m.unit, f"{m.id}.target") if target is not None else fmt.text("–"),
             fmt.text(fmt.STATUS_WORDS[status]),
             fmt.text(c.variation.label if c and c.variation else "–"),
             fmt.text(c.assurance.label if c and c.assurance else "–")),
            icons=tuple(icons), trend=trend,
            trend_text=(f"Trend of the last {len(trend)} points, from {fmt.figure(trend[0], m.unit).text} to "
                        f"{fmt.figure(trend[-1], m.unit).text}." if trend and trend[0] is not None
                        and trend[-1] is not None else "")))
    pct = fmt.number_text(inputs.config.similar_threshold_pct, _PLAIN)
    points = fmt.number_text(inputs.config.similar_threshold_points, _PLAIN)
    rule = (f"Status: with a target, whether the latest figure meets it; without one, whether it is better or worse "
            f"than the baseline by more than {pct}% ({points} points for a percentage). Variation and assurance "
            "follow NHS England's Making Data Count rules.")
    return Table("Police and Crime Plan KPI scorecard", SCORECARD_COLUMNS, tuple(rows), kind="scorecard",
                 notes=(rule,))


_PLAIN = UNITS["score"]


# --- figures as records (CSV, JSON, verify) and sources -------------------------------------------

def figure_records(inputs: DocumentInputs) -> tuple[FigureRecord, ...]:
    out: list[FigureRecord] = []
    for p in inputs.catalogue.priorities:
        for mf in shown(inputs, p):
            m, r = mf.measure, mf.result
            assert r is not None
            stale = _stale(inputs, mf)
            cur = r.current
            out.append(FigureRecord(m.id, m.title, p.id, "current", cur.period.label, cur.period.first.iso(),
                                    cur.period.last.iso(), fmt.figure(cur.value, m.unit, f"{m.id}.value"), None,
                                    cur.status, m.source_text, cur.load_ids, stale))
            for c in COMPARISON_ORDER:
                fig = r.figures[_ROLE[c]]
                out.append(FigureRecord(m.id, m.title, p.id, c, fig.period.label, fig.period.first.iso(),
                                        fig.period.last.iso(),
                                        fmt.compared(fig.value, m.unit, fig.scaled_to_months, f"{m.id}.{c}"),
                                        fmt.change(cur.value, fig.value, m.unit, f"{m.id}.change_{c}"),
                                        fig.status, m.source_text, fig.load_ids, stale))
    return tuple(out)


COMPARISON_ORDER: tuple[Comparison, ...] = ("baseline", "year_before", "previous_quarter")


def sources(inputs: DocumentInputs) -> tuple[Source, ...]:
    return tuple(Source(int(str(s["load_id"])), str(s["file"]), str(s["sha256"]), str(s["loaded_at"]),
                        str(s["kind"]), str(s["covers"])) for s in inputs.figures.sources)


def sources_table(inputs: DocumentInputs) -> Table:
    rows = tuple(Row((fmt.text(s.file), fmt.text(s.covers), fmt.text(s.loaded_at[:10]), fmt.text(s.sha256[:12])))
                 for s in sources(inputs))
    return Table("Files the figures come from", (Column("File"), Column("Covers"), Column("Loaded"),
                                                  Column("SHA-256 (first 12)")), rows)


def commentary_for(inputs: DocumentInputs, priority_id: str, voice: Voice) -> Commentary | None:
    return inputs.commentary.get((priority_id, voice))
