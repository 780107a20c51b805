"""A measure's public page for one force: its SPC chart, its series as a table, and the force
beside every other force (the figure, the rate per the measure's base, and the rank).

The figures come from the results stage (``figures.measure_figures``: each force over its own
latest complete twelve months up to the latest month), the chart from ``documents.parts.chart``
and ``render.charts`` (the same chart the statement prints), and every number from
``documents.format``: this module only arranges them for the page.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from scorecard.areas import force, territorial_forces
from scorecard.catalogue.schema import Catalogue, Measure
from scorecard.documents import format as fmt
from scorecard.documents.model import Chart
from scorecard.documents.parts import chart
from scorecard.figures import MeasureFigures, measure_figures, sub_area_figures
from scorecard.periods import Month
from scorecard.store import Store
from scorecard.units import rate_label
from scorecard.web import snapshots
from scorecard.web.peer_groups import group_of


@dataclass(frozen=True)
class Comparison:
    area: str
    force_id: str
    window: str
    value: str
    rate: str
    rank: int | None
    this_force: bool


@dataclass(frozen=True)
class Peers:
    name: str
    source: str
    date: str
    rows: list[Comparison]  # the group's forces, ranked among themselves (rank: within the group)


@dataclass(frozen=True)
class MeasurePage:
    measure: Measure
    area_name: str
    window: str
    value: str
    chart: Chart | None
    series: list[tuple[str, str, str, str]]  # period, value, mean, process limits
    comparison: list[Comparison]
    rate_label: str
    ranked_by: str
    of: int
    peers: Peers | None = None
    sub_areas: list[tuple[str, str]] = field(default_factory=list)  # local authority, figure


def latest_month(store: Store) -> Month:
    """The last month the store holds a figure for: the page's figures are up to it."""
    row = store.con.execute("SELECT max(last_month) FROM observations").fetchone()
    return Month.from_date(row[0]) if row and row[0] else Month(2000, 1)


def _held(catalogue: Catalogue, measure_id: str) -> dict[str, MeasureFigures]:
    forces = [f.force_id for f in territorial_forces()]
    with Store.open(snapshots.current(), read_only=True) as store:
        return measure_figures(store, catalogue, measure_id, forces, latest_month(store))


@dataclass(frozen=True)
class Ranking:
    comparison: list[Comparison]
    rate_label: str
    ranked_by: str
    of: int
    bands: dict[str, int]  # each ranked force's fifth of the ranking, 0 (best) to 4


def ranking(held: dict[str, MeasureFigures], force_id: str | None = None) -> Ranking:
    """Every force by the measure's rate per its base (or its figure, for a measure with no base),
    best first, as the comparison table and the map show it."""
    m = next(iter(held.values())).measure
    base = m.rate_base
    rate_unit = f"rate_per_{base}" if base else None
    rates = {f: (mf.result.population_rate if mf.result else None) for f, mf in held.items()}
    ranked_on = rates if rate_unit and any(v is not None for v in rates.values()) else {
        f: (mf.result.current.value if mf.result else None) for f, mf in held.items()}
    order = sorted((v, f) for f, v in ranked_on.items() if v is not None)
    if m.direction == "increase":
        order.reverse()  # rank 1 is the best
    rank = {f: i + 1 for i, (_, f) in enumerate(order)}
    comparison = [Comparison(force(f).name, f, mf.window.label if mf.window else fmt.MISSING,
                             fmt.figure(mf.result.current.value if mf.result else None, m.unit).text,
                             fmt.figure(rates[f], rate_unit).text if rate_unit else fmt.MISSING, rank.get(f),
                             f == force_id)
                  for f, mf in held.items()]
    comparison.sort(key=lambda c: (c.rank is None, c.rank or 0, c.area))
    ranked_by = ("rate " + rate_label(base)) if base and rate_unit and order else "figure"
    direction = {"decrease": "lowest first", "increase": "highest first"}.get(m.direction, "lowest first")
    bands = {f: min(4, (r - 1) * 5 // max(1, len(order))) for f, r in rank.items()}
    return Ranking(comparison, rate_label(base) if base else "", f"{ranked_by}, {direction}", len(order), bands)


def build(catalogue: Catalogue, measure_id: str, force_id: str) -> MeasurePage:
    held = _held(catalogue, measure_id)
    m = held[force_id].measure
    mine = held[force_id]
    ranked = ranking(held, force_id)
    group = group_of(force_id)
    peers = None
    if group is not None:
        within = ranking({f: held[f] for f in group.members if f in held}, force_id)
        peers = Peers(group.name, group.source, group.date, within.comparison)
    subs: list[tuple[str, str]] = []
    if mine.window is not None:
        with Store.open(snapshots.current(), read_only=True) as store:
            subs = [(r.area.name, fmt.figure(r.current.value, m.unit).text)
                    for r in sub_area_figures(store, catalogue, measure_id, force_id, mine.window)]
    return MeasurePage(m, force(force_id).name, mine.window.label if mine.window else fmt.MISSING,
                       fmt.figure(mine.result.current.value if mine.result else None, m.unit).text, chart(mine),
                       _series(mine), ranked.comparison, ranked.rate_label, ranked.ranked_by, ranked.of, peers,
                       sorted(subs))


def national(catalogue: Catalogue, measure_id: str) -> tuple[Measure, Ranking]:
    held = _held(catalogue, measure_id)
    return catalogue.by_id[measure_id], ranking(held)


def _series(mf: MeasureFigures) -> list[tuple[str, str, str, str]]:
    c = chart(mf)
    if c is None:
        return []
    unit = c.unit

    def lower(value: float | None) -> float | None:  # a count is never below zero: nor is its limit (as drawn)
        return max(0.0, value) if c.counts and value is not None else value

    return [(p.label, p.value.text, fmt.figure(p.mean, unit).text,
             f"{fmt.figure(lower(p.lower), unit).text} to {fmt.figure(p.upper, unit).text}") for p in c.points]
